"""Operations the demo's moto server adds to moto, which does not implement them (moto 5.x).

Each module models one missing API faithfully but minimally: the request and response fields mlaudit's
collectors read, with AWS's names and defaults. They serve the demo account and the tests, in-process
(`mock_aws`) or over HTTP (`ThreadedMotoServer`), since both dispatch to the same response classes. A module
declares `RESPONSE_CLASS` (moto's response class for the service) and `OPERATIONS` (method name -> function);
`install()` adds only the operations moto lacks, so a moto release that implements one takes precedence.
"""

from __future__ import annotations

from mlaudit.demo.moto_extensions import sagemaker_monitoring

EXTENSIONS = (sagemaker_monitoring,)


def install() -> None:
    """Add the missing operations to moto's response classes (idempotent)."""
    for extension in EXTENSIONS:
        for name, operation in extension.OPERATIONS.items():
            if not hasattr(extension.RESPONSE_CLASS, name):
                setattr(extension.RESPONSE_CLASS, name, operation)
