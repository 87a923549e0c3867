"""BR-* checks against Bedrock resources created in moto (guardrails, data sources and provisioned throughput through
mlaudit's moto extensions), and the region-level notion of "Bedrock in use"."""

from __future__ import annotations

from typing import Any

import boto3

from mlaudit.collect.run import CollectionOptions, collect_inventory
from mlaudit.core.taxonomy import Status
from mlaudit.inventory.bedrock import KnowledgeBase
from mlaudit.report.model import Report
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, verdicts

FOUNDATION_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
FOREIGN_KEY = "arn:aws:kms:us-east-1:999999999999:key/0f0e0d0c-0b0a-0908-0706-050403020100"


def _invoke(session: boto3.Session, region: str, model: str = "anthropic.claude-3-haiku-20240307-v1:0") -> None:
    """What Bedrock leaves behind when a model is invoked: an Invocations metric in the AWS/Bedrock namespace."""
    session.client("cloudwatch", region_name=region).put_metric_data(
        Namespace="AWS/Bedrock",
        MetricData=[{"MetricName": "Invocations", "Dimensions": [{"Name": "ModelId", "Value": model}], "Value": 3}],
    )


def _key(session: boto3.Session, region: str = "us-east-1") -> str:
    return session.client("kms", region_name=region).create_key(Description="bedrock")["KeyMetadata"]["Arn"]


def _bucket(session: boto3.Session, name: str, kms_key: str | None = None) -> None:
    s3 = session.client("s3")
    s3.create_bucket(Bucket=name)
    rule = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key} if kms_key else {"SSEAlgorithm": "AES256"}
    encryption = {"Rules": [{"ApplyServerSideEncryptionByDefault": rule}]}
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=encryption)


def _logging(session: boto3.Session, region: str, **config: Any) -> None:
    session.client("bedrock", region_name=region).put_model_invocation_logging_configuration(
        loggingConfig={"textDataDeliveryEnabled": True, **config}
    )


def _guardrail(
    session: boto3.Session,
    name: str,
    *,
    prompt_attack: dict[str, Any] | None = None,
    pii: dict[str, Any] | None = None,
    region: str = "us-east-1",
) -> str:
    extra: dict[str, Any] = {}
    if prompt_attack is not None:
        extra["contentPolicyConfig"] = {
            "filtersConfig": [
                {"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"},
                {"type": "PROMPT_ATTACK", "outputStrength": "NONE", **prompt_attack},
            ]
        }
    if pii is not None:
        extra["sensitiveInformationPolicyConfig"] = {"piiEntitiesConfig": [{"type": "EMAIL", **pii}]}
    return session.client("bedrock", region_name=region).create_guardrail(
        name=name, blockedInputMessaging="Blocked.", blockedOutputsMessaging="Blocked.", **extra
    )["guardrailId"]


def _agent(session: boto3.Session, name: str, region: str = "us-east-1", **extra: Any) -> None:
    session.client("bedrock-agent", region_name=region).create_agent(
        agentName=name, agentResourceRoleArn=ROLE_ARN, foundationModel=FOUNDATION_MODEL, **extra
    )


def _knowledge_base(session: boto3.Session, name: str, region: str = "us-east-1") -> str:
    return session.client("bedrock-agent", region_name=region).create_knowledge_base(
        name=name,
        roleArn=ROLE_ARN,
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {"embeddingModelArn": FOUNDATION_MODEL},
        },
        storageConfiguration={
            "type": "OPENSEARCH_SERVERLESS",
            "opensearchServerlessConfiguration": {
                "collectionArn": f"arn:aws:aoss:{region}:{ACCOUNT_ID}:collection/kb",
                "vectorIndexName": "index",
                "fieldMapping": {"vectorField": "vector", "textField": "text", "metadataField": "metadata"},
            },
        },
    )["knowledgeBase"]["knowledgeBaseId"]


def _data_source(session: boto3.Session, kb_id: str, name: str, kms_key: str | None = None) -> None:
    extra = {"serverSideEncryptionConfiguration": {"kmsKeyArn": kms_key}} if kms_key else {}
    session.client("bedrock-agent").create_data_source(
        knowledgeBaseId=kb_id,
        name=name,
        dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": "arn:aws:s3:::kb-documents"}},
        **extra,
    )


def _custom_model(session: boto3.Session, name: str, region: str = "us-east-1", kms_key: str | None = None) -> None:
    extra = {"customModelKmsKeyId": kms_key} if kms_key else {}
    session.client("bedrock", region_name=region).create_model_customization_job(
        jobName=f"{name}-job",
        customModelName=name,
        roleArn=ROLE_ARN,
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": "s3://fine-tuning/train.jsonl"},
        outputDataConfig={"s3Uri": "s3://fine-tuning/output/"},
        hyperParameters={"epochCount": "1"},
        **extra,
    )


def test_region_checks_judge_regions_that_use_bedrock_and_never_call_where_it_is_not_offered(
    aws: boto3.Session,
) -> None:
    _invoke(aws, "us-east-1")
    _logging(aws, "us-east-1", s3Config={"bucketName": "invocation-logs", "keyPrefix": "bedrock/"})
    _guardrail(aws, "content-safety")
    _agent(aws, "support-assistant", region="eu-west-1")
    aws.client("bedrock", region_name="us-west-2").create_provisioned_model_throughput(
        modelUnits=1, provisionedModelName="reserved", modelId=FOUNDATION_MODEL
    )
    _logging(aws, "ap-south-1", s3Config={"bucketName": "unused-logs"})  # configured, but nothing uses Bedrock there
    _guardrail(aws, "unused", region="ap-south-1")
    regions_called: set[str] = set()
    for service in ("bedrock", "bedrock-agent"):
        aws.events.register(f"before-call.{service}", lambda context, **_: regions_called.add(context["client_region"]))

    regions = ("us-east-1", "eu-west-1", "us-west-2", "ap-south-1", "ap-east-1")
    report = scan(aws, ["BR-LOGGING-001", "BR-GUARDRAIL-001"], regions=regions)

    expected = {"us-east-1": Status.PASS, "eu-west-1": Status.FAIL, "us-west-2": Status.FAIL}
    assert verdicts(report, "BR-LOGGING-001") == expected
    assert verdicts(report, "BR-GUARDRAIL-001") == expected
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert "s3://invocation-logs/bedrock/" in details["BR-LOGGING-001", "us-east-1"]
    assert "(agents)" in details["BR-LOGGING-001", "eu-west-1"]
    assert "(provisioned throughput)" in details["BR-GUARDRAIL-001", "us-west-2"]
    assert "ap-east-1" not in regions_called, "Bedrock has no endpoint in ap-east-1: no call should go there"
    assert report.scan.status.value == "complete"


def test_invocation_logs_are_encrypted_destination_by_destination(aws: boto3.Session) -> None:
    key = _key(aws)
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="pass-invocations", kmsKeyId=key)
    aws.client("logs", region_name="eu-west-1").create_log_group(logGroupName="fail-invocations")
    _bucket(aws, "fail-sse-s3-logs")
    _bucket(aws, "pass-large-payloads", kms_key=key)
    cloudwatch = {"logGroupName": "pass-invocations", "roleArn": ROLE_ARN}
    _logging(
        aws,
        "us-east-1",
        s3Config={"bucketName": "fail-sse-s3-logs", "keyPrefix": "bedrock/"},
        cloudWatchConfig={**cloudwatch, "largeDataDeliveryS3Config": {"bucketName": "pass-large-payloads"}},
    )
    _logging(
        aws,
        "eu-west-1",
        cloudWatchConfig={"logGroupName": "fail-invocations", "roleArn": ROLE_ARN},
        s3Config={"bucketName": "na-bucket-of-another-account"},
    )
    _logging(aws, "us-west-2", cloudWatchConfig={"logGroupName": "fail-missing-group", "roleArn": ROLE_ARN})

    report = scan(aws, ["BR-LOGGING-002"], regions=("us-east-1", "eu-west-1", "us-west-2"))

    assert verdicts(report, "BR-LOGGING-002") == {
        "pass-invocations": Status.PASS,
        "s3://fail-sse-s3-logs/bedrock/": Status.FAIL,
        "s3://pass-large-payloads/": Status.PASS,
        "fail-invocations": Status.FAIL,
        "fail-missing-group": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert "AES256 (SSE-S3)" in details["s3://fail-sse-s3-logs/bedrock/"]
    assert "large-payload bucket" in details["s3://pass-large-payloads/"]
    assert "does not exist" in details["fail-missing-group"]


def test_weak_guardrails(aws: boto3.Session) -> None:
    strong = {"inputStrength": "HIGH"}
    _guardrail(aws, "pass-strong", prompt_attack=strong, pii={"action": "ANONYMIZE"})
    _guardrail(aws, "fail-medium", prompt_attack={"inputStrength": "MEDIUM"}, pii={"action": "BLOCK"})
    _guardrail(aws, "fail-detect-mode", prompt_attack={**strong, "inputAction": "NONE"}, pii={"action": "BLOCK"})
    _guardrail(aws, "fail-no-prompt-attack", pii={"action": "BLOCK"})
    _guardrail(aws, "fail-no-pii", prompt_attack=strong)
    detect_only = {"action": "BLOCK", "inputAction": "NONE", "outputAction": "NONE"}
    _guardrail(aws, "fail-pii-detect-only", prompt_attack=strong, pii=detect_only)

    default = scan(aws, ["BR-GUARDRAIL-002"])
    lenient = scan(aws, ["BR-GUARDRAIL-002"], settings={"BR-GUARDRAIL-002": {"prompt_attack_strength": "MEDIUM"}})

    assert verdicts(default, "BR-GUARDRAIL-002") == {
        "pass-strong": Status.PASS,
        "fail-medium": Status.FAIL,
        "fail-detect-mode": Status.FAIL,
        "fail-no-prompt-attack": Status.FAIL,
        "fail-no-pii": Status.FAIL,
        "fail-pii-detect-only": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in default.findings}
    assert "input strength is MEDIUM, below HIGH" in details["fail-medium"]
    assert "detect mode" in details["fail-detect-mode"]
    assert details["fail-no-pii"] == "no sensitive-information policy"
    assert "blocks or masks nothing" in details["fail-pii-detect-only"]
    assert verdicts(lenient, "BR-GUARDRAIL-002")["fail-medium"] is Status.PASS

    mistyped = scan(aws, ["BR-GUARDRAIL-002"], settings={"BR-GUARDRAIL-002": {"prompt_attack_strength": "STRONG"}})
    assert {f.status for f in mistyped.findings} == {Status.ERROR}
    assert "must be LOW, MEDIUM or HIGH, not 'STRONG'" in mistyped.findings[0].status_detail


def test_agents_data_sources_and_custom_models(aws: boto3.Session) -> None:
    key = _key(aws)
    guardrail = _guardrail(aws, "agent-guardrail", prompt_attack={"inputStrength": "HIGH"})
    _agent(
        aws,
        "pass-guarded-cmk",
        customerEncryptionKeyArn=key,
        guardrailConfiguration={"guardrailIdentifier": guardrail, "guardrailVersion": "1"},
    )
    _agent(aws, "fail-unguarded-aws-owned")
    kb = _knowledge_base(aws, "policies")
    _data_source(aws, kb, "pass-cmk", kms_key=key)
    _data_source(aws, kb, "pass-other-account-key", kms_key=FOREIGN_KEY)
    _data_source(aws, kb, "fail-aws-owned")
    deleted_key = f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/00000000-0000-0000-0000-000000000000"
    _data_source(aws, kb, "fail-deleted-key", kms_key=deleted_key)
    _custom_model(aws, "pass-cmk-model", kms_key=key)
    _custom_model(aws, "fail-aws-owned-model")

    report = scan(aws, ["bedrock-agent-no-guardrail", "BR-KB-001", "BR-CMK-001"])

    assert verdicts(report, "BR-AGENT-001") == {
        "pass-guarded-cmk": Status.PASS,
        "fail-unguarded-aws-owned": Status.FAIL,
    }
    assert verdicts(report, "BR-KB-001") == {
        "policies/pass-cmk": Status.PASS,
        "policies/pass-other-account-key": Status.PASS,
        "policies/fail-aws-owned": Status.FAIL,
        "policies/fail-deleted-key": Status.FAIL,
    }
    assert verdicts(report, "BR-CMK-001") == {
        "pass-cmk-model": Status.PASS,
        "fail-aws-owned-model": Status.FAIL,
        "pass-guarded-cmk": Status.PASS,
        "fail-unguarded-aws-owned": Status.FAIL,
    }
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert "a key AWS owns" in details["BR-CMK-001", "fail-aws-owned-model"]
    assert "no longer exists" in details["BR-KB-001", "policies/fail-deleted-key"]


def _one_of_everything(session: boto3.Session) -> str:
    """Bedrock in use, a guardrail, an agent, a knowledge base with a data source and a custom model."""
    _invoke(session, "us-east-1")
    guardrail = _guardrail(session, "guardrail", prompt_attack={"inputStrength": "HIGH"})
    _agent(session, "assistant")
    _data_source(session, _knowledge_base(session, "kb"), "documents")
    _custom_model(session, "tuned")
    return guardrail


def _errors(report: Report, check_id: str) -> dict[str, str]:
    found = (f for f in report.findings if f.check_id == check_id and f.status is Status.ERROR)
    return {f.resource_name: f.status_detail for f in found}


CHECKS = ["BR-LOGGING-001", "BR-GUARDRAIL-002", "BR-AGENT-001", "BR-KB-001", "BR-CMK-001"]


def test_refused_list_calls_are_errors_for_the_whole_region(aws: boto3.Session) -> None:
    _one_of_everything(aws)
    for service_id, operation in (
        ("cloudwatch", "ListMetrics"),
        ("bedrock", "ListGuardrails"),
        ("bedrock-agent", "ListKnowledgeBases"),
        ("bedrock", "ListCustomModels"),
    ):
        refuse(aws, service_id, operation)

    report = scan(aws, CHECKS)

    assert {c: set(_errors(report, c)) for c in CHECKS} == {
        "BR-LOGGING-001": {"all Bedrock usage records"},
        "BR-GUARDRAIL-002": {"all guardrails"},
        "BR-AGENT-001": set(),
        "BR-KB-001": {"all knowledge base data sources"},
        "BR-CMK-001": {"all custom models"},
    }
    assert "ListMetrics" in _errors(report, "BR-LOGGING-001")["all Bedrock usage records"]
    assert (
        "knowledge bases could not all be collected" in _errors(report, "BR-KB-001")["all knowledge base data sources"]
    )
    assert "ListCustomModels" in _errors(report, "BR-CMK-001")["all custom models"]
    assert list(verdicts(report, "BR-AGENT-001").values()) == [Status.FAIL]  # ListAgents was not refused


def test_refused_describe_calls_are_errors_for_that_resource(aws: boto3.Session) -> None:
    guardrail = _one_of_everything(aws)
    for service_id, operation in (
        ("bedrock", "GetModelInvocationLoggingConfiguration"),
        ("bedrock", "GetGuardrail"),
        ("bedrock-agent", "GetAgent"),
        ("bedrock-agent", "GetDataSource"),
        ("bedrock", "GetCustomModel"),
    ):
        refuse(aws, service_id, operation)

    report = scan(aws, CHECKS)

    errors = {c: _errors(report, c) for c in CHECKS}
    assert "GetModelInvocationLoggingConfiguration" in errors["BR-LOGGING-001"]["us-east-1"]
    # An ERROR names the resource as its PASS or FAIL would: by its name, with AWS's ARN.
    assert "GetGuardrail" in errors["BR-GUARDRAIL-002"]["guardrail"]
    assert "GetAgent" in errors["BR-AGENT-001"]["assistant"]
    assert "GetDataSource" in errors["BR-KB-001"]["kb/documents"]
    assert set(errors["BR-CMK-001"]) == {"tuned", "assistant"}
    assert all(f.status is Status.ERROR for f in report.findings)
    guardrail_error = next(f for f in report.findings if f.check_id == "BR-GUARDRAIL-002")
    assert guardrail_error.resource_arn.endswith(f":guardrail/{guardrail}")


def test_a_knowledge_base_that_cannot_be_described_is_known_by_its_aws_arn(aws: boto3.Session) -> None:
    """Knowledge base summaries carry no ARN: the one mlaudit builds for a knowledge base it could not describe is
    the ARN AWS gives it (`knowledge-base/<id>`), and its name is the one the list gives."""
    kb_id = _knowledge_base(aws, "documents")
    arn = boto3.Session(region_name="us-east-1").client("bedrock-agent").get_knowledge_base(knowledgeBaseId=kb_id)
    refuse(aws, "bedrock-agent", "GetKnowledgeBase")

    inventory = collect_inventory(CollectionOptions(session=aws, regions=("us-east-1",)), [KnowledgeBase])

    [error] = inventory.errors_for(KnowledgeBase, ACCOUNT_ID, "us-east-1")
    assert (error.resource, error.resource_arn) == ("documents", arn["knowledgeBase"]["knowledgeBaseArn"])
    assert error.resource_arn == f"arn:aws:bedrock:us-east-1:{ACCOUNT_ID}:knowledge-base/{kb_id}"


def test_metadata_only_invocation_logging_does_not_count(aws: boto3.Session) -> None:
    for region in ("us-east-1", "eu-west-1"):
        _invoke(aws, region)
    _logging(aws, "us-east-1", s3Config={"bucketName": "invocation-logs"})
    _logging(aws, "eu-west-1", s3Config={"bucketName": "invocation-logs"}, textDataDeliveryEnabled=False)

    report = scan(aws, ["BR-LOGGING-001"], regions=("us-east-1", "eu-west-1"))

    assert verdicts(report, "BR-LOGGING-001") == {"us-east-1": Status.PASS, "eu-west-1": Status.FAIL}
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert "leaves out prompts and answers (text delivery off: metadata only)" in details["eu-west-1"]


def _agent_id(session: boto3.Session, name: str, **extra: Any) -> str:
    return session.client("bedrock-agent").create_agent(
        agentName=name, agentResourceRoleArn=ROLE_ARN, foundationModel=FOUNDATION_MODEL, **extra
    )["agent"]["agentId"]


def _guard(guardrail: str, version: str = "1") -> dict[str, Any]:
    return {"guardrailConfiguration": {"guardrailIdentifier": guardrail, "guardrailVersion": version}}


def _reconfigure(session: boto3.Session, agent_id: str, name: str, **extra: Any) -> None:
    """Change the agent's draft (what the next version is cut from)."""
    session.client("bedrock-agent").update_agent(
        agentId=agent_id, agentName=name, agentResourceRoleArn=ROLE_ARN, foundationModel=FOUNDATION_MODEL, **extra
    )


def _alias(session: boto3.Session, agent_id: str, name: str, *versions: str) -> None:
    """An alias: routed to `versions`, or (none given) to a version cut from the draft as it is now."""
    routing = {"routingConfiguration": [{"agentVersion": v} for v in versions]} if versions else {}
    session.client("bedrock-agent").create_agent_alias(agentId=agent_id, agentAliasName=name, **routing)


def test_aliases_are_judged_by_the_versions_they_route_to(aws: boto3.Session) -> None:
    guardrail = _guardrail(aws, "guardrail", prompt_attack={"inputStrength": "HIGH"}, pii={"action": "BLOCK"})
    guarded = _agent_id(aws, "guarded", **_guard(guardrail))
    _alias(aws, guarded, "pass-prod")  # version 1, guarded
    _reconfigure(aws, guarded, "guarded")  # the draft loses its guardrail: version 1 keeps it
    _alias(aws, guarded, "fail-test", "DRAFT")
    late = _agent_id(aws, "late")
    _alias(aws, late, "fail-prod")  # version 1, cut before the guardrail was added to the draft
    _reconfigure(aws, late, "late", **_guard(guardrail))
    _alias(aws, late, "pass-canary", "DRAFT")
    _alias(aws, late, "fail-gone", "7")

    report = scan(aws, ["BR-AGENT-001", "BR-AGENT-002"])

    assert verdicts(report, "BR-AGENT-001") == {"guarded": Status.FAIL, "late": Status.PASS}, "drafts only"
    assert verdicts(report, "BR-AGENT-002") == {
        "guarded/pass-prod": Status.PASS,
        "guarded/fail-test": Status.FAIL,
        "late/fail-prod": Status.FAIL,
        "late/pass-canary": Status.PASS,
        "late/fail-gone": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings if f.check_id == "BR-AGENT-002"}
    assert details["late/fail-prod"] == "routes invocations to version 1, which has no guardrail"
    assert details["late/fail-gone"] == "routes invocations to version 7, which no longer exists"


def test_the_guardrail_version_an_agent_runs_with_must_exist_be_ready_and_be_strong(aws: boto3.Session) -> None:
    bedrock = aws.client("bedrock")
    strong = {"prompt_attack": {"inputStrength": "HIGH"}, "pii": {"action": "BLOCK"}}
    guardrail = _guardrail(aws, "content-safety", **strong)
    bedrock.create_guardrail_version(guardrailIdentifier=guardrail)  # version 1: strong
    weak = _guardrail(aws, "weak", prompt_attack={"inputStrength": "LOW"}, pii={"action": "BLOCK"})
    bedrock.create_guardrail_version(guardrailIdentifier=weak)
    _agent(aws, "pass-version-1", **_guard(guardrail))
    _agent(aws, "fail-version-9", **_guard(guardrail, "9"))
    _agent(aws, "fail-weak-version", **_guard(weak))
    _agent(aws, "pass-draft", **_guard(guardrail, "DRAFT"))
    _agent(aws, "na-unguarded")
    deployed = _agent_id(aws, "deployed", **_guard(guardrail, "5"))
    _alias(aws, deployed, "prod")  # version 1 of the agent runs with guardrail version 5, which does not exist

    report = scan(aws, ["BR-AGENT-003"])

    assert verdicts(report, "BR-AGENT-003") == {
        "pass-version-1": Status.PASS,
        "fail-version-9": Status.FAIL,
        "fail-weak-version": Status.FAIL,
        "pass-draft": Status.PASS,
        "deployed": Status.FAIL,
        "deployed:1": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["fail-version-9"] == (
        f"runs with guardrail {guardrail} version 9, which does not exist: its sessions are not screened"
    )
    assert "which is weak: the prompt-attack filter's input strength is LOW, below HIGH" in details["fail-weak-version"]


def _grounded(session: boto3.Session, name: str, kms_key: str | None = None, **filters: dict[str, Any]) -> str:
    extra: dict[str, Any] = {"kmsKeyId": kms_key} if kms_key else {}
    if filters:
        configs = [{"type": kind, **f} for kind, f in filters.items()]
        extra["contextualGroundingPolicyConfig"] = {"filtersConfig": configs}
    return session.client("bedrock").create_guardrail(
        name=name, blockedInputMessaging="Blocked.", blockedOutputsMessaging="Blocked.", **extra
    )["guardrailId"]


def test_contextual_grounding_and_guardrail_keys_of_drafts_and_the_versions_agents_use(aws: boto3.Session) -> None:
    key = _key(aws)
    both = {"GROUNDING": {"threshold": 0.7}, "RELEVANCE": {"threshold": 0.5, "action": "BLOCK"}}
    used = _grounded(aws, "pass-grounded", kms_key=key, **both)
    aws.client("bedrock").create_guardrail_version(guardrailIdentifier=used)
    _agent(aws, "assistant", **_guard(used))
    _grounded(aws, "fail-detect-mode", GROUNDING={"threshold": 0.7, "action": "NONE"}, RELEVANCE={"threshold": 0.5})
    _grounded(aws, "fail-zero", GROUNDING={"threshold": 0.0}, RELEVANCE={"threshold": 0.5, "enabled": True})
    _grounded(aws, "fail-relevance-off", GROUNDING={"threshold": 0.7}, RELEVANCE={"threshold": 0.5, "enabled": False})
    _grounded(aws, "fail-none", kms_key=FOREIGN_KEY)

    report = scan(aws, ["BR-GUARDRAIL-003", "BR-GUARDRAIL-004"])

    assert verdicts(report, "BR-GUARDRAIL-003") == {
        "pass-grounded": Status.PASS,
        "pass-grounded:1": Status.PASS,
        "fail-detect-mode": Status.FAIL,
        "fail-zero": Status.FAIL,
        "fail-relevance-off": Status.FAIL,
        "fail-none": Status.FAIL,
    }
    assert verdicts(report, "BR-GUARDRAIL-004") == {
        "pass-grounded": Status.PASS,
        "pass-grounded:1": Status.PASS,
        "fail-detect-mode": Status.FAIL,
        "fail-zero": Status.FAIL,
        "fail-relevance-off": Status.FAIL,
        "fail-none": Status.PASS,
    }
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert details["BR-GUARDRAIL-003", "fail-none"] == "no GROUNDING filter; no RELEVANCE filter"
    assert "threshold is 0" in details["BR-GUARDRAIL-003", "fail-zero"]
    assert "detect mode" in details["BR-GUARDRAIL-003", "fail-detect-mode"]
    version = next(f for f in report.findings if f.resource_name == "pass-grounded:1")
    assert version.resource_arn == f"arn:aws:bedrock:us-east-1:{ACCOUNT_ID}:guardrail/{used}:1"


def test_refused_alias_version_and_guardrail_version_reads_are_errors(aws: boto3.Session) -> None:
    guardrail = _guardrail(aws, "guardrail", prompt_attack={"inputStrength": "HIGH"}, pii={"action": "BLOCK"})
    aws.client("bedrock").create_guardrail_version(guardrailIdentifier=guardrail)
    listed = _agent_id(aws, "listed", **_guard(guardrail))
    _alias(aws, listed, "prod")
    refuse(aws, "bedrock-agent", "ListAgentAliases")
    refuse(aws, "bedrock", "GetGuardrail", only_for="guardrailVersion")

    report = scan(aws, ["BR-AGENT-002", "BR-AGENT-003"])

    alias_errors = _errors(report, "BR-AGENT-002")
    assert set(alias_errors) == {"listed"}, "the aliases of the agent whose aliases could not be listed"
    assert "bedrock-agent:ListAgentAliases for listed failed" in alias_errors["listed"]
    errors = _errors(report, "BR-AGENT-003")
    assert set(errors) == {"listed", "all agent versions aliases route to"}, "versions are unknown without aliases"
    assert "GetGuardrail" in errors["listed"]
    assert "agent aliases could not all be collected" in errors["all agent versions aliases route to"]


def test_a_refused_agent_version_read_is_an_error_for_that_alias(aws: boto3.Session) -> None:
    agent = _agent_id(aws, "assistant")
    _alias(aws, agent, "prod")
    refuse(aws, "bedrock-agent", "GetAgentVersion")

    report = scan(aws, ["BR-AGENT-002"])

    [finding] = report.findings
    assert (finding.resource_name, finding.status) == ("assistant/prod", Status.ERROR)
    assert "GetAgentVersion" in finding.status_detail
