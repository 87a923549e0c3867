"""Models: the container images, artefacts and settings that SageMaker runs wherever a model is deployed."""

from __future__ import annotations

from mlaudit.inventory import Endpoint, EndpointConfig, Model
from mlaudit.inventory.sagemaker_inference import InferenceComponent
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    checkov,
    config_rule,
    failed,
    ml_lens,
    passed,
    prowler,
    security_hub,
    steampipe,
)
from mlaudit.sdk.endpoints import served_models
from mlaudit.sdk.verdicts import in_vpc, without_secrets
from mlaudit.sdk.wording import names, short_arn


@check(
    id="SM-MODEL-001",
    name="model-network-isolation-disabled",
    title="Models should run with network isolation",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=Model,
    rationale="""A model artefact is code: a pickled model or a custom inference script runs whatever it contains
    when it is loaded. With network isolation the containers can make no outbound call, so a malicious or
    compromised artefact cannot send the inference data anywhere or fetch a payload; SageMaker still provides the
    model artefacts and collects the logs.""",
    judges="""Every model of the region, deployed or not; only EnableNetworkIsolation true passes.""",
    remediation=Remediation(
        text="Models are immutable: create a new model with network isolation enabled (make sure the container needs "
        "no network access at startup, such as downloading weights), point a new endpoint config at it and update "
        "the endpoints that use the old one.",
        cli="aws sagemaker create-model --model-name <model>-isolated --execution-role-arn <role-arn> "
        "--primary-container file://container.json --enable-network-isolation",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html",
        placeholders={"model": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-04"),
        security_hub("SageMaker.5"),
        config_rule("sagemaker-model-isolation-enabled"),
        prowler("sagemaker_models_network_isolation_enabled"),
        steampipe("sagemaker_model_network_isolation_enabled"),
        checkov("CKV_AWS_370"),
    ),
)
def model_network_isolation_disabled(model: Model, ctx: CheckContext) -> Outcome | None:
    if model.network_isolation:
        return passed("network isolation is enabled")
    return failed("EnableNetworkIsolation is false: the model's containers can make outbound network calls")


@check(
    id="SM-MODEL-002",
    name="model-outside-vpc",
    title="Models should run inside a VPC",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=Model,
    rationale="""A model without a VpcConfig runs, wherever it is deployed (an endpoint or a batch transform job), in
    a network that SageMaker manages: its containers reach the internet and AWS services without your security
    groups, VPC endpoints or flow logs. Every model should name private subnets and security groups in your VPC.""",
    judges="""Every model of the region, deployed or not (SM-ENDPOINT-011 judges the models endpoints serve). A
    VpcConfig with subnets passes, whatever the subnets' routes.""",
    remediation=Remediation(
        text="Create a new model with a VpcConfig (private subnets in at least two Availability Zones and a security "
        "group), and add VPC endpoints for the services the container calls (S3, ECR, CloudWatch).",
        cli="aws sagemaker create-model --model-name <model>-vpc --execution-role-arn <role-arn> "
        "--primary-container file://container.json --vpc-config Subnets=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg-id>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html",
        placeholders={"model": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-04"),
        config_rule("sagemaker-model-in-vpc"),
        prowler("sagemaker_models_vpc_settings_configured"),
        steampipe("sagemaker_model_in_vpc"),
    ),
)
def model_outside_vpc(model: Model, ctx: CheckContext) -> Outcome | None:
    return in_vpc(model.vpc_subnets, "no VpcConfig: the containers run in a network that SageMaker manages")


@check(
    id="SM-MODEL-003",
    name="model-image-public-registry",
    title="Model containers should pull their image from a private registry in the VPC",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=Model,
    opt_in=True,
    rationale="""A container without an ImageConfig, or with RepositoryAccessMode Platform, pulls its image from
    Amazon ECR through SageMaker's platform network rather than from a private Docker registry reached through your
    VPC, where your network controls decide which images can be fetched. The check mirrors Security Hub SageMaker.16
    and SageMaker.19 and is opt-in: images in your own account's ECR repositories are a sound choice for most
    teams. Containers that come from a model package are not judged, since the package defines their image.""",
    judges="""Opt-in. Every model of the region, container by container: containers without an Image (built from a
    model package) are left out, and a model with none gets no finding; only RepositoryAccessMode Vpc passes.""",
    remediation=Remediation(
        text="Host the images in a private Docker registry reachable from the model's VPC and create the model with "
        "ImageConfig RepositoryAccessMode Vpc (and a RepositoryAuthConfig if the registry needs credentials).",
        cli="aws sagemaker create-model --model-name <model> --execution-role-arn <role-arn> "
        "--vpc-config Subnets=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg-id> "
        "--primary-container Image=<registry>/<image>:<tag>,ImageConfig={RepositoryAccessMode=Vpc}",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html",
    ),
    references=(
        ml_lens("MLSEC-04"),
        security_hub("SageMaker.16"),
        security_hub("SageMaker.19"),
        config_rule("sagemaker-model-private-registry-required"),
        config_rule("sagemaker-model-multicontainer-private-registry"),
    ),
)
def model_image_public_registry(model: Model, ctx: CheckContext) -> Outcome | None:
    judged = [(i, c) for i, c in enumerate(model.containers, start=1) if c.image]
    if not judged:
        return None
    platform = [
        f"container {i} ({c.image_repository_access_mode or 'no ImageConfig'})"
        for i, c in judged
        if c.image_repository_access_mode != "Vpc"
    ]
    if platform:
        return failed("image pulled through the platform, not a private registry in the VPC: " + names(platform))
    return passed("every image is pulled from a private registry in the VPC")


@check(
    id="SM-MODEL-004",
    name="deployed-model-not-from-registry",
    title="Models behind endpoints in service should be deployed from the model registry",
    severity=Severity.MEDIUM,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=Endpoint,
    uses=(EndpointConfig, Model, InferenceComponent),
    rationale="""A model deployed from a registry package carries its lineage: the training job, data and metrics
    that produced it and the approval that let it serve. A model created straight from an image and an S3 artefact
    could be anything: nobody can tell which version is serving traffic or roll back to a known one. Judged on
    endpoints in service, through the models of their endpoint config; a model passes when one of its containers
    names a ModelPackageName.""",
    judges="""Endpoints in service (others are left alone), through every model they serve: the models of the
    production and shadow variants, and those of the inference components on a variant that hosts them; a
    component that defines its container inline (an image and an artefact, no model) is not from the registry.
    An endpoint serving nothing yet (inference components still to be placed) is not judged; components that failed
    or are being deleted are left out.""",
    remediation=Remediation(
        text="Register the model as a version of a model package group, approve it, and deploy a model created from "
        "the package (ModelPackageName in its container) through a new endpoint config.",
        cli="aws sagemaker create-model --model-name <model> --execution-role-arn <role-arn> "
        "--primary-container ModelPackageName=<model-package-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy.html",
    ),
    references=(ml_lens("MLOE-11"), ml_lens("MLREL-13")),
)
def deployed_model_not_from_registry(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service:
        return None
    served = served_models(endpoint, ctx)
    if not served:
        return None
    unregistered = [s.label for s in served if not s.packages]
    if unregistered:
        return failed("model not deployed from a model package: " + names(unregistered))
    return passed("deployed from " + names(sorted({short_arn(p) for s in served for p in s.packages})))


@check(
    id="SM-MODEL-005",
    name="model-environment-secrets",
    title="Model container environments should not hold secrets",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=(Model, InferenceComponent),
    rationale="""A model's environment variables are returned in clear text to anyone allowed to call DescribeModel,
    are copied into every deployment of the model, and cannot be rotated without creating a new model. A variable
    whose name says it holds a secret (a password, token or API key set to a literal value) or whose value looks
    like a credential (an AWS access key, a Hugging Face or GitHub token, a URL with a password) should come from
    Secrets Manager instead. Findings name the variable and the kind of secret; values are never collected.""",
    judges="""Every model's containers, and the inline container of every inference component that defines one
    (DescribeInferenceComponent returns its environment just as DescribeModel does); a component that names a model
    is judged through that model.""",
    remediation=Remediation(
        text="Store the secret in AWS Secrets Manager, grant the model's execution role secretsmanager:GetSecretValue "
        "on it, have the container read it at startup, and recreate the model without the variable. Rotate the "
        "exposed secret: it has been readable by everyone with DescribeModel.",
        cli="aws secretsmanager create-secret --name <model>/<variable> --secret-string file://secret.txt",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html#sagemaker-Type-ContainerDefinition-Environment",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-03")),
)
def model_environment_secrets(model: Model | InferenceComponent, ctx: CheckContext) -> Outcome | None:
    if not model.containers:
        return None
    many = len(model.containers) > 1
    return without_secrets(
        (f"container {i}" if many else None, container.environment_keys, container.environment_secrets)
        for i, container in enumerate(model.containers, start=1)
    )
