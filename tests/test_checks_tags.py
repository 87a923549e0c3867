"""SM-TAG-001 against tagged and untagged SageMaker resources of every taggable kind created in moto."""

from __future__ import annotations

from collections.abc import Callable

import boto3

from mlaudit.catalog.loader import load_catalog
from mlaudit.collect.services.tags import TAGGED_PARTS
from mlaudit.core.taxonomy import Status
from mlaudit.demo.estate.lifecycle_requests import PIPELINE_DEFINITION, feature_group_request
from support import ROLE_ARN, create_endpoint, create_model, refuse, scan, verdicts

OWNED = {"owner": "fraud-team", "cost-center": "cc-1", "environment": "prod"}


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def test_ml_resources_need_the_required_tags(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    create_model(aws, "fail-model-without-cost-center")
    create_endpoint(aws, "pass-endpoint", "fail-model-without-cost-center")
    sagemaker.add_tags(
        ResourceArn=sagemaker.describe_endpoint(EndpointName="pass-endpoint")["EndpointArn"], Tags=_tags(OWNED)
    )
    sagemaker.add_tags(
        ResourceArn=sagemaker.describe_model(ModelName="fail-model-without-cost-center")["ModelArn"],
        Tags=_tags({"owner": "fraud-team", "environment": "prod"}),
    )
    sagemaker.create_notebook_instance(
        NotebookInstanceName="pass-notebook-capitalised",
        InstanceType="ml.t3.medium",
        RoleArn=ROLE_ARN,
        Tags=_tags({"Owner": "ds", "Cost-Center": "cc-2", "Environment": "dev"}),
    )
    sagemaker.create_model_package_group(
        ModelPackageGroupName="fail-group-blank-owner", Tags=_tags({**OWNED, "owner": ""})
    )
    sagemaker.create_pipeline(
        PipelineName="fail-pipeline-aws-tags-only",
        PipelineDefinition=PIPELINE_DEFINITION,
        RoleArn=ROLE_ARN,
        Tags=_tags({"aws:cloudformation:stack-name": "ml", "aws:owner": "x"}),
    )
    sagemaker.create_feature_group(
        **feature_group_request("pass-feature-group", ROLE_ARN, online_storage="Standard", tags=OWNED)
    )
    sagemaker.create_domain(
        DomainName="fail-domain-untagged",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN},
        VpcId="vpc-0a1b2c3d",
        SubnetIds=["subnet-0a1b2c3d"],
    )

    sagemaker.create_image(ImageName="pass-image", RoleArn=ROLE_ARN, Tags=_tags(OWNED))
    untagged = sagemaker.create_app_image_config(
        AppImageConfigName="fail-app-image-config-untagged", JupyterLabAppImageConfig={}
    )
    sagemaker.add_tags(ResourceArn=untagged["AppImageConfigArn"], Tags=_tags({"owner": "platform"}))

    report = scan(aws, ["SM-TAG-001"])
    relaxed = scan(aws, ["SM-TAG-001"], settings={"SM-TAG-001": {"required_tags": ("owner",)}})

    assert verdicts(report, "SM-TAG-001") == {
        "pass-endpoint": Status.PASS,
        "pass-notebook-capitalised": Status.PASS,
        "pass-feature-group": Status.PASS,
        "fail-model-without-cost-center": Status.FAIL,
        "fail-group-blank-owner": Status.FAIL,
        "fail-pipeline-aws-tags-only": Status.FAIL,
        "fail-domain-untagged": Status.FAIL,
        "pass-image": Status.PASS,
        "fail-app-image-config-untagged": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["fail-model-without-cost-center"] == "missing tag(s): cost-center"
    assert details["fail-group-blank-owner"] == "missing tag(s): owner"
    assert details["fail-pipeline-aws-tags-only"] == "missing tag(s): owner, cost-center, environment"
    assert details["fail-app-image-config-untagged"] == "missing tag(s): cost-center, environment"
    assert verdicts(relaxed, "SM-TAG-001")["fail-model-without-cost-center"] is Status.PASS
    assert verdicts(relaxed, "SM-TAG-001")["fail-app-image-config-untagged"] is Status.PASS


def test_every_taggable_part_is_judged() -> None:
    """A record type that sets `taggable` gets its tags collected: SM-TAG-001 must judge it too."""
    check = load_catalog(include_entry_points=False).find("SM-TAG-001")
    assert check is not None and set(check.resources) == set(TAGGED_PARTS)


def _notebook(aws: boto3.Session, name: str) -> None:
    aws.client("sagemaker").create_notebook_instance(
        NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN
    )


def test_tags_that_cannot_be_listed_are_an_error_for_that_resource_alone(aws: boto3.Session) -> None:
    """Notebook instances are not in Search's index: one ListTags each."""
    _notebook(aws, "readable")
    _notebook(aws, "hidden")
    refuse(aws, "sagemaker", "ListTags", only_for="notebook-instance/hidden")

    report = scan(aws, ["SM-TAG-001"])

    assert verdicts(report, "SM-TAG-001") == {"readable": Status.FAIL, "hidden": Status.ERROR}
    assert "ListTags" in next(f.status_detail for f in report.findings if f.status is Status.ERROR)


def test_tags_of_indexed_resources_come_from_search_pages(aws: boto3.Session) -> None:
    for n in range(3):
        _owned_model(aws, f"model-{n}")
    calls: list[str] = []
    aws.events.register("before-call.sagemaker", lambda model, **_: calls.append(model.name))

    report = scan(aws, ["SM-TAG-001"])

    assert verdicts(report, "SM-TAG-001") == {f"model-{n}": Status.PASS for n in range(3)}
    assert "ListTags" not in calls and "DescribeModel" not in calls
    assert calls.count("Search") == 2  # the models, and their tags: one page each


def test_a_failed_search_is_an_error_for_every_resource_it_was_to_tag(aws: boto3.Session) -> None:
    create_model(aws, "served")
    create_endpoint(aws, "first", "served")
    create_endpoint(aws, "second", "served")
    refuse(aws, "sagemaker", "Search", only_for='"Endpoint"')

    report = scan(aws, ["SM-TAG-001"])

    endpoints = {f.resource_name: f.status for f in report.findings if f.resource_type == "AWS::SageMaker::Endpoint"}
    assert endpoints == {"first": Status.ERROR, "second": Status.ERROR}
    assert all("Search" in f.status_detail for f in report.findings if f.status is Status.ERROR)


def test_a_resource_search_does_not_return_yet_has_its_tags_listed(aws: boto3.Session) -> None:
    """Search's index lags behind the resources: what it leaves out is read with ListTags."""
    _owned_model(aws, "indexed")
    _owned_model(aws, "fresh")
    calls: list[str] = []
    aws.events.register("before-call.sagemaker", lambda model, **_: calls.append(model.name))
    aws.events.register("after-call.sagemaker.Search", _leave_out("fresh"))

    report = scan(aws, ["SM-TAG-001"])

    assert verdicts(report, "SM-TAG-001") == {"indexed": Status.PASS, "fresh": Status.PASS}
    assert calls.count("ListTags") == calls.count("DescribeModel") == 1


def _owned_model(aws: boto3.Session, name: str) -> None:
    create_model(aws, name)
    arn = aws.client("sagemaker").describe_model(ModelName=name)["ModelArn"]
    aws.client("sagemaker").add_tags(
        ResourceArn=arn, Tags=_tags({"owner": "a", "cost-center": "b", "environment": "c"})
    )


def _leave_out(name: str) -> Callable[..., None]:
    """An after-call handler dropping the records of resources named `name` from Search's answer (as its index
    does for a resource created moments ago)."""

    def drop(parsed: dict[str, object], **_: object) -> None:
        results = parsed.get("Results")
        if isinstance(results, list):
            results[:] = [r for r in results if f"/{name}" not in repr(r)]

    return drop


def test_app_image_configs_that_cannot_be_listed_are_an_error(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_app_image_config(AppImageConfigName="kernels", JupyterLabAppImageConfig={})
    refuse(aws, "sagemaker", "ListAppImageConfigs")

    report = scan(aws, ["SM-TAG-001"])

    assert verdicts(report, "SM-TAG-001") == {"all app image configs": Status.ERROR}
    assert "ListAppImageConfigs" in report.findings[0].status_detail
