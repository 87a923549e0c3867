"""What an endpoint serves and how it is used: its config, the model behind each variant, the window of its
metrics a usage check judges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mlaudit.inventory import ConfigVariant, Endpoint, EndpointConfig, Model
from mlaudit.inventory.cloudwatch import EndpointMetrics
from mlaudit.sdk.context import CheckContext, DataUnavailable


@dataclass(frozen=True)
class ServedModel:
    variant: ConfigVariant
    model: Model


def endpoint_config_of(endpoint: Endpoint, ctx: CheckContext) -> EndpointConfig:
    """The config an endpoint runs. Needs `EndpointConfig` in the check's `uses`."""
    config = ctx.get(EndpointConfig, endpoint.config_name or "")
    if config is None:
        raise DataUnavailable(
            [], reason=f"endpoint config {endpoint.config_name!r} no longer exists, so its models are unknown"
        )
    return config


def served_models(endpoint: Endpoint, ctx: CheckContext) -> list[ServedModel]:
    """The model behind each production variant of an endpoint. Needs `EndpointConfig` and `Model` in `uses`."""
    served = []
    for variant in endpoint_config_of(endpoint, ctx).variants:
        model = ctx.get(Model, variant.model_name or "")
        if model is None:
            raise DataUnavailable(
                [], reason=f"model {variant.model_name!r} of variant {variant.variant_name!r} no longer exists"
            )
        served.append(ServedModel(variant, model))
    return served


def metrics_window_start(endpoint: Endpoint, metrics: EndpointMetrics, days: int) -> datetime | None:
    """The start of the last `days` days of an endpoint's collected metrics, or None when the endpoint is younger
    than that (too new to judge how it is used). Raises DataUnavailable when the scan read fewer days."""
    start = metrics.window_end - timedelta(days=days)
    if start < metrics.window_start:
        read = round((metrics.window_end - metrics.window_start) / timedelta(days=1))
        reason = f"the check looks back {days} days but the scan read {read} days of metrics (raise --since)"
        raise DataUnavailable([], reason=reason)
    if endpoint.creation_time is None or endpoint.creation_time > start:
        return None
    return start
