"""ORG-ML-001 against organizations created in moto, with AI services opt-out policies whose effective policy mlaudit's
moto extension works out (moto has no DescribeEffectivePolicy)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from mlaudit.core.taxonomy import Status
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, verdicts

OPT_OUT = "AISERVICES_OPT_OUT_POLICY"


def _ml_workload(session: boto3.Session) -> None:
    """What makes the account an ML account: a notebook instance in a scanned region."""
    session.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="research", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN
    )


def _organization(session: boto3.Session, *policies: tuple[str, dict[str, Any]]) -> None:
    """An organization managed from the scanned account, with opt-out policies attached to `root` or `account`."""
    org = session.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root, PolicyType=OPT_OUT)
    for i, (target, services) in enumerate(policies):
        policy = org.create_policy(
            Name=f"ai-opt-out-{i}", Description="AI opt-out", Type=OPT_OUT, Content=json.dumps({"services": services})
        )["Policy"]["PolicySummary"]["Id"]
        org.attach_policy(PolicyId=policy, TargetId=root if target == "root" else ACCOUNT_ID)


def _opt(value: str, locked: bool = False) -> dict[str, Any]:
    setting: dict[str, Any] = {"@@assign": value}
    if locked:
        setting["@@operators_allowed_for_child_policies"] = ["@@none"]
    return {"opt_out_policy": setting}


def _verdict(session: boto3.Session) -> tuple[Status, str]:
    report = scan(session, ["ORG-ML-001"])
    assert verdicts(report, "ORG-ML-001").keys() == {ACCOUNT_ID}
    [finding] = report.findings
    return finding.status, finding.status_detail


def test_an_account_opted_out_of_every_ai_service_passes(aws: boto3.Session) -> None:
    _ml_workload(aws)
    _organization(aws, ("root", {"default": _opt("optOut", locked=True)}))

    assert _verdict(aws) == (Status.PASS, "the policy in effect opts out of every AI service, present and future")


def test_an_account_the_policy_opts_back_in_fails(aws: boto3.Session) -> None:
    _ml_workload(aws)
    _organization(aws, ("root", {"default": _opt("optOut")}), ("account", {"rekognition": _opt("optIn")}))

    assert _verdict(aws) == (Status.FAIL, "the policy opts out by default but opts back in to rekognition")


def test_a_locked_default_cannot_be_undone_by_a_child_policy(aws: boto3.Session) -> None:
    _ml_workload(aws)
    _organization(aws, ("root", {"default": _opt("optOut", locked=True)}), ("account", {"default": _opt("optIn")}))

    assert _verdict(aws)[0] is Status.PASS


def test_accounts_without_an_opt_out_fail(aws: boto3.Session) -> None:
    _ml_workload(aws)
    outside = _verdict(aws)
    _organization(aws)
    no_policy = _verdict(aws)

    assert outside == (
        Status.FAIL,
        "the account belongs to no organization, so no AI services opt-out policy can apply to it",
    )
    assert no_policy == (Status.FAIL, "no AI services opt-out policy applies to the account")


def test_a_partial_opt_out_fails_and_an_account_without_ml_is_not_judged(aws: boto3.Session) -> None:
    _organization(aws, ("root", {"comprehend": _opt("optOut")}))
    assert scan(aws, ["ORG-ML-001"]).findings == []

    _ml_workload(aws)
    assert _verdict(aws) == (Status.FAIL, "the policy in effect does not opt out by default (default: not set)")


def test_a_refused_effective_policy_read_is_an_error_naming_the_action(aws: boto3.Session) -> None:
    _ml_workload(aws)
    _organization(aws, ("root", {"default": _opt("optOut")}))
    refuse(aws, "organizations", "DescribeEffectivePolicy")

    report = scan(aws, ["ORG-ML-001"])

    [finding] = report.findings
    assert finding.status is Status.ERROR and "DescribeEffectivePolicy" in finding.status_detail
    assert "organizations:DescribeEffectivePolicy" in " ".join(report.scan.warnings)
