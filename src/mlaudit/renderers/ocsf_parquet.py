"""`mlaudit.ocsf-parquet/`: the OCSF events of `mlaudit.ocsf.json` as Parquet, laid out for an Amazon Security
Lake custom source.

Security Lake takes a custom source's objects under `ext/<source>/region=<region>/accountId=<account>/
eventDay=<yyyymmdd>/`, each a Parquet file of one OCSF class, zstandard-compressed, with data pages of at most 1 MB
uncompressed, row groups of at most 256 MB compressed and records ordered by time. `region` is the Region the
objects are uploaded to (the lake's, not the resources'), which the report cannot know; the account and the day are
the report's. So the format writes a directory holding the rest of that path, one file per account:
`accountId=<account>/eventDay=<yyyymmdd>/<scan id>.parquet`, to be copied as it is under `.../region=<region>/`.

Every event of a scan has the scan's time, so each file is ordered by time and covers one event day. The rows are
written in row groups of `ROW_GROUP_ROWS` events as they are built: memory holds one row group, not the report.
pyarrow is an optional extra (`mlaudit[parquet]`), imported only when the format is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from mlaudit.renderers.ocsf import ENCODER, EventBuilder
from mlaudit.renderers.options import RenderOptions
from mlaudit.report.model import Report

if TYPE_CHECKING:
    import pyarrow

ROW_GROUP_ROWS = 2_000
"""Events per row group: far below Security Lake's 256 MB a row group, and small enough that a column's chunk (and
so each of its pages) stays under 1 MB uncompressed for findings of ordinary length."""
PAGE_BYTES = 512 * 1024
"""Arrow closes a data page (and stops growing a dictionary page) once it reaches this size, checked every
`PAGE_CHECK_VALUES` values: a page stays under Security Lake's 1 MB, uncompressed, while values are under 8 kB."""
PAGE_CHECK_VALUES = 64
COMPRESSION = "zstd"
"""Security Lake prefers zstandard."""
AWS_ACCOUNT_ID = re.compile(r"\d{12}")
EXTERNAL_ACCOUNT = "external"
"""The partition Security Lake recommends for records of accounts outside AWS: any account string that is not an
AWS account id (which would otherwise make a path of its own)."""
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""Python text can hold a lone surrogate (a JSON escape in an AWS answer can carry one); UTF-8 cannot."""


@cache
def arrow_schema() -> pyarrow.Schema:
    """The events' columns: the attributes `EventBuilder` writes, with OCSF's types (ids are integers, times
    epoch milliseconds, `type_uid` a long)."""
    import pyarrow as pa

    text, integer, long = pa.string(), pa.int32(), pa.int64()
    texts = pa.list_(text)

    def struct(**fields: pyarrow.DataType) -> pyarrow.DataType:
        return pa.struct(list(fields.items()))

    return pa.schema(
        {
            "activity_id": integer,
            "activity_name": text,
            "category_uid": integer,
            "category_name": text,
            "class_uid": integer,
            "class_name": text,
            "type_uid": long,
            "type_name": text,
            "time": long,
            "severity_id": integer,
            "severity": text,
            "status_id": integer,
            "status": text,
            "status_code": text,
            "status_detail": text,
            "message": text,
            "comment": text,
            "metadata": struct(
                version=text,
                product=struct(name=text, vendor_name=text, version=text),
                event_code=text,
                uid=text,
                profiles=texts,
            ),
            "finding_info": struct(
                uid=text,
                title=text,
                desc=text,
                types=texts,
                created_time=long,
                first_seen_time=long,
                last_seen_time=long,
            ),
            "cloud": struct(
                provider=text,
                region=text,
                account=struct(uid=text, name=text, type=text, type_id=integer),
            ),
            "resources": pa.list_(
                struct(
                    uid=text,
                    name=text,
                    type=text,
                    region=text,
                    cloud_partition=text,
                    group=struct(name=text),
                )
            ),
            "remediation": struct(desc=text, references=texts),
            "unmapped": struct(
                check_id=text,
                check_name=text,
                references=texts,
                suppression=struct(source=text, muted_status=text, reason=text, owner=text, expires=text),
            ),
        }
    )


def account_partition(account_id: str) -> str:
    """`accountId=` of an account's records: its id, or `external` for a string that is not an AWS account id."""
    return account_id if AWS_ACCOUNT_ID.fullmatch(account_id) else EXTERNAL_ACCOUNT


def partition_path(report: Report, account_id: str) -> Path:
    """Where an account's events go under the format's directory (and under `.../region=<region>/` in the lake)."""
    day = report.scan.finished_at.astimezone(UTC).strftime("%Y%m%d")
    return Path(f"accountId={account_partition(account_id)}") / f"eventDay={day}"


def object_name(report: Report) -> str:
    """One object per scan and account: rendering the same report again names (and uploads) the same object."""
    return f"{UNSAFE_NAME.sub('_', report.scan.id) or 'scan'}.parquet"


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


def _row_groups(report: Report, indexes: list[int]) -> Iterator[pyarrow.Table]:
    """The events of `indexes`, a row group at a time. Each is read from the events' JSON lines by Arrow's JSON
    reader (ten times faster than from Python objects), which refuses an attribute the schema lacks; a lone
    surrogate (which UTF-8 cannot hold) is written as U+FFFD, the replacement character."""
    from pyarrow import json as arrow_json

    builder = EventBuilder(report)
    options = arrow_json.ParseOptions(explicit_schema=arrow_schema(), unexpected_field_behavior="error")
    for start in range(0, len(indexes), ROW_GROUP_ROWS):
        lines = "\n".join(
            ENCODER.encode(builder.event(report.findings[i])) for i in indexes[start : start + ROW_GROUP_ROWS]
        )
        yield arrow_json.read_json(io.BytesIO(_utf8(lines)), parse_options=options)


def write_ocsf_parquet(report: Report, _options: RenderOptions, directory: Path) -> None:
    """One Parquet file per account partition, written row group by row group."""
    import pyarrow.parquet as pq

    by_account: dict[str, list[int]] = {}
    for index, finding in enumerate(report.findings):
        by_account.setdefault(finding.account_id, []).append(index)
    partitions: dict[Path, list[int]] = {}
    for account_id, indexes in by_account.items():
        partitions.setdefault(partition_path(report, account_id), []).extend(indexes)
    for partition, indexes in partitions.items():
        folder = directory / partition
        folder.mkdir(parents=True)
        with pq.ParquetWriter(
            folder / object_name(report),
            arrow_schema(),
            compression=COMPRESSION,
            data_page_size=PAGE_BYTES,
            dictionary_pagesize_limit=PAGE_BYTES,
            write_batch_size=PAGE_CHECK_VALUES,
        ) as writer:
            for table in _row_groups(report, indexes):
                writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
