"""Collectors for what documents a registered model: approved versions described one by one (evaluation
reports, attached model card), and the region's model cards (one list call, paginated)."""

from __future__ import annotations

import json
from typing import Any, Iterator

from mlaudit.collect.context import CollectContext
from mlaudit.collect.patterns import ListOnly
from mlaudit.collect.sagemaker import _identity
from mlaudit.collect.spec import PartCollector
from mlaudit.inventory import ModelPackage
from mlaudit.inventory.sagemaker_registry import MetricsReport, ModelCard, ModelPackageDetail


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


def _package_details(ctx: CollectContext) -> Iterator[ModelPackageDetail]:
    approved = [p for p in ctx.dependency(ModelPackage) if p.approval_status == "Approved"]

    def describe(package: ModelPackage) -> ModelPackageDetail:
        d = ctx.call("describe_model_package", ModelPackageName=package.arn) or {}
        containers = (d.get("InferenceSpecification") or {}).get("Containers") or ()
        card = d.get("ModelCard") or {}
        return ModelPackageDetail(
            arn=package.arn,
            name=package.name,
            account_id=package.account_id,
            region=package.region,
            metrics_reports=_metrics_reports(d.get("ModelMetrics") or {}),
            model_card_status=card.get("ModelCardStatus"),
            model_card_evaluations=_card_evaluations(card.get("ModelCardContent")),
            model_data_urls=tuple(c["ModelDataUrl"] for c in containers if c.get("ModelDataUrl")),
            kms_key_id=(d.get("SecurityConfig") or {}).get("KmsKeyId"),
        )

    yield from ctx.fan_out(approved, describe, identify=lambda package: (package.name, package.arn))


def _model_card(ctx: CollectContext, c: dict[str, Any]) -> ModelCard:
    return ModelCard(
        **_identity(ctx, c, "ModelCardArn", "ModelCardName", "model-card"),
        status=c.get("ModelCardStatus"),
        creation_time=c.get("CreationTime"),
    )


COLLECTORS = (
    PartCollector(
        ModelPackageDetail,
        ("sagemaker:DescribeModelPackage",),
        _package_details,
        aspect_of=ModelPackage,
    ),
    PartCollector(
        ModelCard,
        ("sagemaker:ListModelCards",),
        ListOnly("list_model_cards", "ModelCardSummaries", _model_card),
    ),
)
