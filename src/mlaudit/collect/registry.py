"""Every part collector, and the plan of which ones a set of checks needs."""

from __future__ import annotations

from typing import Iterable

from mlaudit.collect import (
    autoscaling,
    bedrock,
    cloudtrail,
    cloudwatch,
    ec2,
    iam,
    kms,
    logs,
    s3,
    sagemaker,
    sagemaker_features,
    sagemaker_jobs,
    sagemaker_monitoring,
    sagemaker_notebooks,
    sagemaker_pipelines,
    sagemaker_registry,
    sagemaker_studio,
    scopes,
    tags,
)
from mlaudit.collect.spec import PartCollector
from mlaudit.inventory import RECORD_TYPES, Record

COLLECTORS: dict[type[Record], PartCollector] = {
    c.record: c
    for module in (
        scopes,
        sagemaker,
        s3,
        iam,
        kms,
        autoscaling,
        sagemaker_notebooks,
        sagemaker_studio,
        sagemaker_monitoring,
        sagemaker_features,
        sagemaker_pipelines,
        tags,
        bedrock,
        logs,
        sagemaker_jobs,
        sagemaker_registry,
        cloudwatch,
        ec2,
        cloudtrail,
    )
    for c in module.COLLECTORS
}


def plan(needed: Iterable[type[Record]]) -> list[PartCollector]:
    """The collectors for `needed` and everything they depend on, dependencies first."""
    ordered: list[PartCollector] = []
    seen: set[type[Record]] = set()

    def visit(record_type: type[Record]) -> None:
        if record_type in seen:
            return
        seen.add(record_type)
        collector = COLLECTORS[record_type]
        for dependency in collector.dependencies:
            visit(dependency)
        ordered.append(collector)

    for record_type in sorted(set(needed), key=RECORD_TYPES.index):
        visit(record_type)
    return ordered
