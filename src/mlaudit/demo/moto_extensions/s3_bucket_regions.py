"""S3 ListBuckets with its parameters (moto 5.x): AWS answers each bucket's `BucketRegion` when the request has
at least one valid parameter (mlaudit sends `MaxBuckets`, so that no bucket needs a GetBucketLocation call); moto
drops the field, and ignores the continuation token. The override answers as AWS does, in moto's own format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.s3.responses import S3Response

RESPONSE_CLASS = S3Response

OPERATIONS: dict[str, Callable[..., Any]] = {}


def _with_regions(all_buckets: Callable[[S3Response], Any]) -> Callable[[S3Response], Any]:
    def wrapped(self: S3Response) -> Any:
        parameters = ("max-buckets", "prefix", "bucket-region", "continuation-token")
        if not any(self._get_param(name) for name in parameters):
            return all_buckets(self)
        all_buckets(self)  # moto's authorisation and bookkeeping
        buckets = self.backend.list_buckets(
            prefix=self._get_param("prefix"),
            bucket_region=self._get_param("bucket-region"),
            max_buckets=self._get_param("max-buckets"),
        )
        listed = [
            {"Name": b.name, "CreationDate": b.creation_date_ISO8601, "BucketRegion": b.region_name} for b in buckets
        ]
        return self.serialized(ActionResult({"Owner": {"ID": "bcaf1ffd86f41161ca5fb16fd081034f"}, "Buckets": listed}))

    return wrapped


OVERRIDES = {"all_buckets": _with_regions}
