"""Comprehend document classifiers: moto (5.2) names a classifier `document-classifier/<name>/<version>` (with
`None` for an unversioned one), where AWS names it `document-classifier/<name>` or
`document-classifier/<name>/version/<version>`, as it does entity recognizers. The override gives the classifier
AWS's ARN when it is created, so that list and describe answer it."""

from __future__ import annotations

from collections.abc import Callable

from moto.comprehend.responses import ComprehendResponse
from moto.core.responses import ActionResult

RESPONSE_CLASS = ComprehendResponse
OPERATIONS: dict[str, object] = {}

Operation = Callable[[ComprehendResponse], ActionResult]


def _aws_arn(create_document_classifier: Operation) -> Operation:
    def wrapped(self: ComprehendResponse) -> ActionResult:
        result = create_document_classifier(self)
        if not isinstance(result.result, dict):
            return result
        classifiers = self.comprehend_backend.classifiers
        classifier = classifiers.pop(result.result["DocumentClassifierArn"])
        version = self._get_param("VersionName")
        classifier.arn = classifier.arn.rsplit("/", 1)[0] + (f"/version/{version}" if version else "")
        classifiers[classifier.arn] = classifier
        result.result["DocumentClassifierArn"] = classifier.arn
        return result

    return wrapped


OVERRIDES = {"create_document_classifier": _aws_arn}
