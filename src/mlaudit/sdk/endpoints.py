"""What an endpoint serves and how it is used: its config, the models behind its variants and inference
components, the window of its metrics a usage check judges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from mlaudit.inventory import ConfigVariant, Endpoint, EndpointConfig, Model
from mlaudit.inventory.sagemaker_inference import InferenceComponent
from mlaudit.sdk.context import CheckContext, DataUnavailable

IDLE_COMPONENT_STATES = frozenset({"Failed", "Deleting"})
"""Inference component states in which a component serves nothing and will not."""


@dataclass(frozen=True)
class ServedModel:
    """A model an endpoint serves: behind a production or shadow variant, or placed on a variant by an inference
    component, which names a model or defines its container inline."""

    variant: ConfigVariant
    model: Model | None
    """None for an inference component that defines its container inline."""
    component: InferenceComponent | None = None
    shadow: bool = False
    subnets: tuple[str, ...] = ()
    """The subnets its containers run in: the model's VpcConfig, or for an inference component the endpoint
    config's (the component runs on the endpoint's instances)."""

    @property
    def name(self) -> str:
        if self.model is not None:
            return self.model.name
        return f"the inline container of {self.component.name if self.component else 'a component'}"

    @property
    def label(self) -> str:
        """`churn (variant AllTraffic)`, `llm (inference component llm-ic on variant AllTraffic)`, `the inline
        container of inference component tuned-ic (variant AllTraffic)`."""
        variant = f"{'shadow variant' if self.shadow else 'variant'} {self.variant.variant_name}"
        if self.component is None:
            return f"{self.name} ({variant})"
        if self.model is None:
            return f"the inline container of inference component {self.component.name} ({variant})"
        return f"{self.name} (inference component {self.component.name} on {variant})"

    @property
    def packages(self) -> list[str]:
        """The registry versions it is built from (none for an inline container)."""
        return self.model.model_packages if self.model is not None else []


def endpoint_config_of(endpoint: Endpoint, ctx: CheckContext) -> EndpointConfig:
    """The config an endpoint runs. Needs `EndpointConfig` in the check's `uses`."""
    config = ctx.get(EndpointConfig, endpoint.config_name or "")
    if config is None:
        raise DataUnavailable(
            [], reason=f"endpoint config {endpoint.config_name!r} no longer exists, so its models are unknown"
        )
    return config


def _model(ctx: CheckContext, name: str, where: str) -> Model:
    model = ctx.get(Model, name)
    if model is None:
        raise DataUnavailable([], reason=f"model {name!r} of {where} no longer exists")
    return model


def _component_models(
    endpoint: Endpoint, config: EndpointConfig, variant: ConfigVariant, ctx: CheckContext
) -> list[ServedModel]:
    components = [
        c
        for c in ctx.all(InferenceComponent)
        if c.endpoint_name == endpoint.name
        and c.variant_name == variant.variant_name
        and c.status not in IDLE_COMPONENT_STATES
    ]
    return [
        ServedModel(
            variant,
            _model(ctx, c.model_name, f"inference component {c.name!r}") if c.model_name else None,
            component=c,
            subnets=config.vpc_subnets,
        )
        for c in sorted(components, key=lambda c: c.name)
    ]


def served_models(endpoint: Endpoint, ctx: CheckContext) -> list[ServedModel]:
    """Every model an endpoint serves: each production and shadow variant's model, and the models (or inline
    containers) of the inference components on a variant that hosts them. Needs `EndpointConfig`, `Model` and
    `InferenceComponent` in the check's `uses`."""
    config = endpoint_config_of(endpoint, ctx)
    served: list[ServedModel] = []
    for shadow, variants in ((False, config.variants), (True, config.shadow_variants)):
        for variant in variants:
            if variant.hosts_inference_components:
                served.extend(_component_models(endpoint, config, variant, ctx))
                continue
            kind = "shadow variant" if shadow else "variant"
            model = _model(ctx, variant.model_name or "", f"{kind} {variant.variant_name!r}")
            served.append(ServedModel(variant, model, shadow=shadow, subnets=model.vpc_subnets))
    return served


class Dated(Protocol):
    """A resource whose use is judged from metrics (an endpoint, a provisioned throughput)."""

    @property
    def creation_time(self) -> datetime | None: ...


class MetricsWindow(Protocol):
    """Metrics read over [window_start, window_end)."""

    @property
    def window_start(self) -> datetime: ...

    @property
    def window_end(self) -> datetime: ...


def metrics_window_start(endpoint: Dated, metrics: MetricsWindow, days: int) -> datetime | None:
    """The start of the last `days` days of a resource's collected metrics (an endpoint's, a provisioned
    throughput's), or None when the resource is younger than that (too new to judge how it is used). Raises
    DataUnavailable when the scan read fewer days."""
    start = metrics.window_end - timedelta(days=days)
    if start < metrics.window_start:
        read = round((metrics.window_end - metrics.window_start) / timedelta(days=1))
        reason = f"the check looks back {days} days but the scan read {read} days of metrics (raise --since)"
        raise DataUnavailable([], reason=reason)
    if endpoint.creation_time is None or endpoint.creation_time > start:
        return None
    return start
