"""Every field mlaudit reads from AWS's answers is one the installed botocore's service models know.

botocore's parser keeps only the members its model has: with a botocore too old to know a field, the field would
read as "not set", silently (without guardrail `inputAction`, BR-GUARDRAIL-002 is a false PASS; without
`DescribeTrainingJob.MlflowConfig`, a false FAIL). The oldest botocore on which these tests pass is mlaudit's floor
in pyproject.toml. The demo's answers (moto's, and our moto extensions' where moto lacks an operation or drops a
field) must hold only members the models know, so that the extensions answer as AWS does.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import boto3
import botocore.session
import pytest
from botocore import xform_name
from botocore.exceptions import UnknownServiceError
from botocore.model import OperationNotFoundError

from mlaudit.collect.engine.service_model import operation_model, service_model
from mlaudit.collect.registry import COLLECTORS, collector_modules
from mlaudit.demo.estate.lifecycle_requests import create_job_definition, feature_group_request
from mlaudit.demo.moto_extensions import extensions
from mlaudit.renderers.asff import render_asff
from mlaudit.scan import ScanResult
from reports import finding as report_finding
from reports import report_of
from service_models import FieldWalk, decode, protocol, unknown_in_answer, unknown_members
from support import ROLE_ARN, RawAnswer, Recorder, reads

WALKED_PROTOCOLS = frozenset({"json", "rest-json", "smithy-rpc-v2-cbor"})
"""Answers walked field by field: JSON and CBOR (XML ones, S3's or older botocores' CloudWatch's, are not)."""


@pytest.fixture(scope="module")
def walk() -> FieldWalk:
    return FieldWalk(collector_modules())


def test_every_declared_operation_is_in_the_service_model() -> None:
    missing = []
    for collector in COLLECTORS.values():
        for operation in collector.operations:
            try:
                operation_model(operation)
            except (OperationNotFoundError, UnknownServiceError):
                missing.append(f"{collector.part}: {operation}")
    assert missing == []


def test_every_field_a_collector_reads_is_in_the_service_model(walk: FieldWalk) -> None:
    missing = [str(read) for read in walk.missing()]
    assert not missing, "fields this botocore's models lack:\n" + "\n".join(missing)


def test_the_walk_follows_fields_from_their_operation(walk: FieldWalk) -> None:
    """The fields whose absence from older models made false verdicts are followed from their operation's answer,
    path and all (a pattern's builder, a call site of a helper, a loop over data types), not matched by name."""
    read = {str(read.path) for read in walk.reads}
    assert {
        "bedrock:GetGuardrail contentPolicy.filters.inputAction",
        "bedrock:GetGuardrail contentPolicy.filters.inputEnabled",
        "bedrock:GetGuardrail sensitiveInformationPolicy.piiEntities.outputAction",
        "bedrock:GetModelInvocationLoggingConfiguration loggingConfig.videoDataDeliveryEnabled",
        "sagemaker:DescribeTrainingJob MlflowConfig.MlflowResourceArn",
        "sagemaker:DescribeHyperParameterTuningJob TrainingJobDefinitions.ResourceConfig.InstanceGroups",
        "s3:ListBuckets Buckets.BucketRegion",
        "kms:DescribeKey KeyMetadata.KeyManager",
    } <= read
    anchored = sorted(str(r) for r in walk.reads if r.path.root is None and r.module.endswith(".sagemaker"))
    assert anchored == [], "every SageMaker field is followed from its operation"


FAKE_COLLECTOR = """
from typing import Any

from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import TrainingJob
from mlaudit.inventory.sagemaker_jobs import ProcessingJob

LIST_PROCESSING_JOBS = Operation("sagemaker:ListProcessingJobs")


def _checkpointed(checkpoint: dict[str, Any]) -> bool:
    return bool(checkpoint.get("S3Uri") and checkpoint.get("LocalPat"))


def _job(identity, d):
    return TrainingJob(
        **identity,
        status=d.get("TrainingJobStatuz") or "Unknown",
        role_arn=dig(d, "ResourceConfig", "RoleArn"),
        spot=_checkpointed(d.get("CheckpointConfig") or {}),
    )


def _processing_jobs(ctx):
    for summary in ctx.paginate(LIST_PROCESSING_JOBS, "ProcessingJobSummariez"):
        yield ProcessingJob(**ctx.identity(summary["ProcessingJobName"]), status="Unknown")


COLLECTORS = (
    PartCollector(
        TrainingJob,
        ListThenDescribe(
            Operation("sagemaker:ListTrainingJobs"),
            "TrainingJobSummaries",
            Operation("sagemaker:DescribeTrainingJob"),
            Listed(id="TrainingJobNam", arn="TrainingJobArn"),
            _job,
        ),
    ),
    PartCollector(ProcessingJob, _processing_jobs, calls=(LIST_PROCESSING_JOBS,)),
)
"""


@pytest.fixture
def fake_collector(tmp_path: Path) -> Iterator[ModuleType]:
    """A collector module of the test's own, reading fields the model lacks (the walk reads modules' source)."""
    path = tmp_path / "fake_collector.py"
    path.write_text(FAKE_COLLECTOR, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("fake_collector", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fake_collector"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["fake_collector"]


def test_the_walk_reports_fields_the_model_lacks(fake_collector: ModuleType) -> None:
    """A misspelt field, a real field under the wrong parent, a field a helper reads from the answer it is given,
    a summary field a declaration names and a result key: each is reported, where the path first goes wrong."""
    missing = {str(read) for read in FieldWalk([fake_collector]).missing()}
    assert missing == {
        f"fake_collector.py:{_line('TrainingJobStatuz')}: sagemaker:DescribeTrainingJob TrainingJobStatuz",
        f"fake_collector.py:{_line('RoleArn')}: sagemaker:DescribeTrainingJob ResourceConfig.RoleArn",
        f"fake_collector.py:{_line('LocalPat')}: sagemaker:DescribeTrainingJob CheckpointConfig.LocalPat",
        f"fake_collector.py:{_line('Summariez')}: sagemaker:ListProcessingJobs ProcessingJobSummariez",
        "sagemaker.training_job (declaration): sagemaker:ListTrainingJobs TrainingJobSummaries.TrainingJobNam",
    }


def _line(text: str) -> int:
    return next(number for number, line in enumerate(FAKE_COLLECTOR.splitlines(), 1) if text in line)


def test_unknown_members_are_reported_where_they_are() -> None:
    shape = service_model("sagemaker").operation_model("DescribeTrainingJob").output_shape
    answer = {
        "TrainingJobName": "job",
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceTypo": "ml.m5.large"},
        "InputDataConfig": [{"ChannelName": "train", "Bogus": 1}],
        "Tags": "not a list",
    }
    assert list(unknown_members(shape, answer)) == [
        "InputDataConfig[].Bogus",
        "ResourceConfig.InstanceTypo",
        "Tags",
    ]


def _json_answers(recorder: Recorder) -> Iterator[tuple[RawAnswer, object]]:
    for answer in recorder.answers:
        body = decode(answer.operation.service_model, answer.body) if answer.status < 300 else None
        if body is not None:
            yield answer, body


def _extended() -> set[tuple[str, str]]:
    """The operations our extensions add or wrap, as (botocore service, boto3 method), where the service answers in
    a protocol that is walked (moto's `bedrockagent` is botocore's `bedrock-agent`)."""
    services = {name.replace("-", ""): name for name in botocore.session.get_session().get_available_services()}
    extended = set()
    for extension in extensions():
        service = services[extension.RESPONSE_CLASS.__module__.split(".")[1]]
        if protocol(service_model(service)) in WALKED_PROTOCOLS:
            extended |= {(service, method) for method in [*extension.OPERATIONS, *getattr(extension, "OVERRIDES", {})]}
    return extended


def _method(answer: RawAnswer) -> tuple[str, str]:
    return answer.operation.service_model.service_name, xform_name(answer.operation.name)


MOTO_EXTRAS = {
    "efs:DescribeFileSystems FileSystems[].FileSystemPolicy",
    "efs:DescribeFileSystems FileSystems[].LifecyclePolicies",
    "bedrock:ListCustomModels modelSummaries[].jobArn",
}
"""Members moto's own answers (not an extension's) carry that AWS's do not: botocore drops them, and no collector
reads them (the field test above would say so)."""


def _unknown(recorder: Recorder) -> list[str]:
    """What the answers of reads, and of the operations our extensions add or wrap, hold that the models do not
    (moto's own answers to the demo's writes are not mlaudit's concern)."""
    extended = _extended()
    return sorted(
        {
            f"{answer.operation.service_model.service_name}:{answer.operation.name} {where}"
            for answer, body in _json_answers(recorder)
            if reads(f"{answer.operation.service_model.service_name}:{answer.operation.name}")
            or _method(answer) in extended
            for where in unknown_in_answer(answer.operation, body)
        }
        - MOTO_EXTRAS
    )


def test_the_demo_answers_hold_only_members_the_model_knows(demo_scan: tuple[ScanResult, Recorder]) -> None:
    """Every raw answer the demo's scan reads (moto's and our extensions'), and those of the seeding that our
    extensions give, field by field against its operation's output shape."""
    _, recorder = demo_scan
    unknown = _unknown(recorder)
    assert not unknown, "members this botocore's models lack:\n" + "\n".join(unknown)


def _call_what_the_demo_does_not(session: boto3.Session) -> None:
    """The extension operations the demo estate has no use for: it has no custom model, provisioned throughput,
    composite alarm, data quality job definition, deleted Studio app, stopped tracking server, changed agent draft
    or organization, it exports nothing to Security Hub, and its models and feature groups are read from Search, so
    describing one is left to here."""
    bedrock = session.client("bedrock")
    bedrock.create_model_customization_job(
        jobName="tuning",
        customModelName="tuned",
        roleArn=ROLE_ARN,
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": "s3://fine-tuning/train.jsonl"},
        outputDataConfig={"s3Uri": "s3://fine-tuning/output/"},
        hyperParameters={"epochCount": "1"},
    )
    bedrock.get_custom_model(modelIdentifier="tuned")
    bedrock.create_provisioned_model_throughput(
        modelUnits=1, provisionedModelName="reserved", modelId="amazon.titan-text-express-v1"
    )
    bedrock.list_provisioned_model_throughputs()
    macie = session.client("macie2")
    scope = macie.get_automated_discovery_configuration()["classificationScopeId"]
    macie.update_classification_scope(id=scope, s3={"excludes": {"bucketNames": ["scratch"], "operation": "ADD"}})
    cloudwatch = session.client("cloudwatch")
    cloudwatch.put_composite_alarm(AlarmName="on-call", AlarmRule="ALARM(latency)")
    cloudwatch.describe_alarms(AlarmTypes=["CompositeAlarm"])
    sagemaker = session.client("sagemaker")
    sagemaker.create_model(ModelName="scoring", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": "scoring"})
    sagemaker.describe_model(ModelName="scoring")
    sagemaker.create_feature_group(**feature_group_request("users", ROLE_ARN, offline_uri="s3://features/users/"))
    sagemaker.describe_feature_group(FeatureGroupName="users")
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model-monitor:latest"
    create_job_definition(sagemaker, "DataQuality", "quality", "scoring", ROLE_ARN, image, "s3://monitoring/quality/")
    sagemaker.describe_data_quality_job_definition(JobDefinitionName="quality")
    sagemaker.create_domain(
        DomainName="lab",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN},
        VpcId="vpc-0a1b2c3d",
        SubnetIds=["subnet-0a1b2c3d"],
    )
    app = {"DomainId": "d-lab", "UserProfileName": "analyst", "AppType": "JupyterServer", "AppName": "default"}
    sagemaker.create_user_profile(DomainId="d-lab", UserProfileName="analyst")
    sagemaker.create_app(**app)
    sagemaker.delete_app(**app)
    sagemaker.create_mlflow_tracking_server(
        TrackingServerName="paused", ArtifactStoreUri="s3://experiments/", RoleArn=ROLE_ARN
    )
    sagemaker.stop_mlflow_tracking_server(TrackingServerName="paused")
    agents = session.client("bedrock-agent")
    agent = agents.create_agent(agentName="helper", agentResourceRoleArn=ROLE_ARN)["agent"]["agentId"]
    agents.update_agent(agentId=agent, agentName="helper", agentResourceRoleArn=ROLE_ARN, foundationModel="m")
    organizations = session.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    organizations.enable_policy_type(RootId=root, PolicyType="AISERVICES_OPT_OUT_POLICY")
    content = json.dumps({"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}})
    policy = organizations.create_policy(
        Name="opt-out", Description="", Type="AISERVICES_OPT_OUT_POLICY", Content=content
    )["Policy"]["PolicySummary"]["Id"]
    organizations.attach_policy(PolicyId=policy, TargetId=root)
    organizations.describe_effective_policy(PolicyType="AISERVICES_OPT_OUT_POLICY")
    securityhub = session.client("securityhub")
    exported = json.loads(render_asff(report_of([report_finding("exported")])))[0]
    securityhub.batch_import_findings(Findings=[exported])
    identifiers = [{"Id": exported["Id"], "ProductArn": exported["ProductArn"]}, {"Id": "gone", "ProductArn": "arn"}]
    securityhub.batch_update_findings(FindingIdentifiers=identifiers, Workflow={"Status": "RESOLVED"})


def test_every_extension_operation_answers_as_the_model_says(
    demo_scan: tuple[ScanResult, Recorder], aws: boto3.Session
) -> None:
    """Each operation our extensions add or wrap is answered (by the demo, or here) and walked field by field."""
    _, demo = demo_scan
    here = Recorder()
    aws.events.register("after-call", here.answered)
    _call_what_the_demo_does_not(aws)
    assert _unknown(here) == []
    answered = {_method(answer) for recorder in (demo, here) for answer, _ in _json_answers(recorder)}
    assert sorted(_extended() - answered) == []


def test_every_searched_kind_is_a_search_record_with_its_arn_and_tags() -> None:
    """What Search calls a record type (`search_resource`) is a SearchRecord member holding the resource's ARN, and
    its tags where the part is taggable; the demo's Search answers every such kind."""
    from mlaudit.collect.engine.search import arn_key, record_shape
    from mlaudit.demo.moto_extensions.sagemaker_search import BACKEND_STORES
    from mlaudit.inventory import RECORD_TYPES

    searched = {t: t.search_resource for t in RECORD_TYPES if t.search_resource}
    assert {
        resource: (arn_key(resource) in record_shape(resource).members, "Tags" in record_shape(resource).members)
        for resource in searched.values()
    } == dict.fromkeys(searched.values(), (True, True))
    assert set(BACKEND_STORES) == set(searched.values())
