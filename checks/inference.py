"""Inference components and inference experiments: what runs on an endpoint beside its variants' models, and the
shadow tests that copy its traffic."""

from __future__ import annotations

from mlaudit.inventory import EndpointConfig, KmsKey
from mlaudit.inventory.sagemaker_inference import InferenceExperiment
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    Status,
    check,
    config_rule,
    failed,
    ml_lens,
    passed,
    security_hub,
)
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.wording import names


@check(
    id="SM-INFERENCE-001",
    name="inference-component-endpoint-not-isolated",
    title="Endpoints hosting inference components should isolate their containers' network",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=EndpointConfig,
    rationale="""On an endpoint that hosts inference components, network isolation is set once for the endpoint
    (EnableNetworkIsolation of its config) and applies to every component's container, models and inline containers
    alike. Without it, a malicious or compromised artefact, or a container image pulled from a public hub, can send
    the requests it serves anywhere or fetch a payload; SageMaker still provides the artefacts and collects the
    logs.""",
    judges="""Endpoint configs whose production variants host inference components (name no model); configs
    whose variants name models are judged through those models by SM-MODEL-001.""",
    remediation=Remediation(
        text="Endpoint configs are immutable: create one with EnableNetworkIsolation (check first that no component's "
        "container downloads weights at startup), then update the endpoint to it; its components move with it.",
        cli="aws sagemaker create-endpoint-config --endpoint-config-name <new-config> --execution-role-arn <role-arn> "
        "--production-variants file://variants.json --vpc-config file://vpc.json --enable-network-isolation && "
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <new-config>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-EnableNetworkIsolation",
    ),
    references=(ml_lens("MLSEC-04"),),
)
def inference_component_endpoint_not_isolated(config: EndpointConfig, ctx: CheckContext) -> Outcome | None:
    if not config.hosts_inference_components:
        return None
    hosting = names([v.variant_name for v in config.variants if v.hosts_inference_components])
    if config.network_isolation:
        return passed(f"the inference components of {hosting} run with network isolation")
    return failed(f"EnableNetworkIsolation is off: the inference components of {hosting} can make network calls")


@check(
    id="SM-INFERENCE-002",
    name="inference-experiment-not-cmk",
    title="Inference experiments should encrypt their storage and captured data with customer managed keys",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=InferenceExperiment,
    uses=(KmsKey,),
    rationale="""A shadow test runs a candidate model on instances of its own, whose storage volumes hold the model
    artefacts and in-flight inference data, and usually captures the production requests it is sent, with the
    shadow's answers, to S3 for comparison. Without customer managed keys (KmsKey, and DataStorageConfig.KmsKey)
    neither is encrypted with a key whose use you can restrict, audit or revoke.""",
    judges="""Every inference experiment, running or finished (its captured data stays in S3, and a finished
    experiment is what the next one is cloned from). The instance storage key is always judged; the data storage
    key only when the experiment captures data (DataStorageConfig). A key is looked up: AWS managed keys and keys
    that no longer exist fail; a key of another account passes.""",
    remediation=Remediation(
        text="Create the next experiment with KmsKey and DataStorageConfig.KmsKey naming customer managed keys (the "
        "experiment's role needs kms:CreateGrant on them); an existing experiment's keys cannot be changed.",
        cli="aws sagemaker create-inference-experiment --name <experiment> --type ShadowMode --role-arn <role-arn> "
        "--endpoint-name <endpoint> --model-variants file://variants.json --shadow-mode-config file://shadow.json "
        "--kms-key <key-arn> --data-storage-config Destination=s3://<bucket>/capture/,KmsKey=<key-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateInferenceExperiment.html",
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("SageMaker.23"),
        security_hub("SageMaker.24"),
        config_rule("sagemaker-inf-experiment-instance-storage-kms-encrypted"),
        config_rule("sagemaker-inf-experiment-data-storage-kms-encrypted"),
    ),
)
def inference_experiment_not_cmk(experiment: InferenceExperiment, ctx: CheckContext) -> Outcome | None:
    outcomes = [customer_managed_key(experiment, experiment.kms_key, ctx, "the instances' storage")]
    if experiment.data_storage_destination:
        outcomes.append(customer_managed_key(experiment, experiment.data_storage_kms_key, ctx, "the captured data"))
    detail = "; ".join(o.detail for o in outcomes)
    return failed(detail) if any(o.status is Status.FAIL for o in outcomes) else passed(detail)
