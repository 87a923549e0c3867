"""Collectors for what documents and shares a registered model: approved versions described one by one (evaluation
reports, attached model card), the region's model cards (one list call, paginated) and each card's key (one
describe per card), and each model package group's resource policy (one call per group)."""

from __future__ import annotations

import json
from typing import Any

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ForEachRecord, Listed, ListOnly, same_identity
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.services._policies import parse_policy
from mlaudit.inventory import Identity, ModelPackage, ModelPackageGroup
from mlaudit.inventory.sagemaker_registry import (
    MetricsReport,
    ModelCard,
    ModelCardEncryption,
    ModelPackageDetail,
    ModelPackageGroupPolicy,
)

DESCRIBE_MODEL_PACKAGE = Operation("sagemaker:DescribeModelPackage")
DESCRIBE_MODEL_CARD = Operation("sagemaker:DescribeModelCard")
GET_GROUP_POLICY = Operation("sagemaker:GetModelPackageGroupPolicy")
NO_POLICY = "cannot find resource policy"
"""What AWS's ValidationException says of a group without a resource policy."""


def _metrics_reports(metrics: dict[str, Any]) -> tuple[MetricsReport, ...]:
    """Every report of a ModelMetrics structure (ModelQuality.Statistics, Bias.Report...), whatever the section."""
    return tuple(
        MetricsReport(kind=f"{section}.{report}", s3_uri=source.get("S3Uri"))
        for section, reports in sorted(metrics.items())
        if isinstance(reports, dict)
        for report, source in sorted(reports.items())
        if isinstance(source, dict)
    )


def _card_evaluations(content: str | None) -> int:
    """The number of `evaluation_details` entries of a model package's model card (its content is JSON text);
    only the count is kept, never the content."""
    try:
        card = json.loads(content or "{}")
    except ValueError:
        return 0
    evaluations = card.get("evaluation_details") if isinstance(card, dict) else None
    return len(evaluations) if isinstance(evaluations, list) else 0


def _package_detail(ctx: CollectContext, package: ModelPackage) -> ModelPackageDetail:
    d = ctx.call(DESCRIBE_MODEL_PACKAGE, ModelPackageName=package.arn) or {}
    containers = (d.get("InferenceSpecification") or {}).get("Containers") or ()
    card = d.get("ModelCard") or {}
    return ModelPackageDetail(
        **same_identity(package),
        metrics_reports=_metrics_reports(d.get("ModelMetrics") or {}),
        model_card_status=card.get("ModelCardStatus"),
        model_card_evaluations=_card_evaluations(card.get("ModelCardContent")),
        model_data_urls=tuple(c["ModelDataUrl"] for c in containers if c.get("ModelDataUrl")),
        kms_key_id=(d.get("SecurityConfig") or {}).get("KmsKeyId"),
    )


def _model_card(identity: Identity, c: dict[str, Any]) -> ModelCard:
    return ModelCard(
        **identity,
        status=c.get("ModelCardStatus"),
        creation_time=c.get("CreationTime"),
    )


def _card_encryption(ctx: CollectContext, card: ModelCard) -> ModelCardEncryption:
    d = ctx.call(DESCRIBE_MODEL_CARD, ModelCardName=card.name) or {}
    return ModelCardEncryption(**same_identity(card), kms_key_id=(d.get("SecurityConfig") or {}).get("KmsKeyId"))


def _group_policy(ctx: CollectContext, group: ModelPackageGroup) -> ModelPackageGroupPolicy:
    try:
        d = ctx.call(GET_GROUP_POLICY, ModelPackageGroupName=group.name) or {}
    except CallFailed as failed:
        if failed.error.error_code != "ValidationException" or NO_POLICY not in failed.error.message.lower():
            raise
        d = {}  # the group has no resource policy
    return ModelPackageGroupPolicy(**same_identity(group), statements=parse_policy(d.get("ResourcePolicy")))


COLLECTORS = (
    PartCollector(
        ModelPackageDetail,
        ForEachRecord(
            (ModelPackage,),
            DESCRIBE_MODEL_PACKAGE,
            _package_detail,
            where=lambda package: package.approval_status == "Approved",
        ),
        aspect_of=ModelPackage,
    ),
    PartCollector(
        ModelCard,
        ListOnly(
            Operation("sagemaker:ListModelCards"),
            "ModelCardSummaries",
            Listed(id="ModelCardName", arn="ModelCardArn"),
            _model_card,
        ),
    ),
    PartCollector(
        ModelCardEncryption,
        ForEachRecord((ModelCard,), DESCRIBE_MODEL_CARD, _card_encryption),
        aspect_of=ModelCard,
    ),
    PartCollector(
        ModelPackageGroupPolicy,
        ForEachRecord((ModelPackageGroup,), GET_GROUP_POLICY, _group_policy),
        aspect_of=ModelPackageGroup,
    ),
)
