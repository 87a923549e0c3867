"""BR-APIKEY-* checks against long-term Bedrock API keys (IAM service-specific credentials, through mlaudit's moto
extension) of IAM users created in moto."""

from __future__ import annotations

import json

import boto3

from mlaudit.core.taxonomy import Status
from support import refuse, scan, verdicts

BEDROCK = "bedrock.amazonaws.com"


def _document(action: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})


def _key(session: boto3.Session, user: str, days: int | None = None, service: str = BEDROCK) -> str:
    """A long-term key of `user` (created if need be), expiring after `days` (never without)."""
    iam = session.client("iam")
    if user not in {u["UserName"] for u in iam.list_users()["Users"]}:
        iam.create_user(UserName=user)
    age = {"CredentialAgeDays": days} if days else {}
    credential = iam.create_service_specific_credential(UserName=user, ServiceName=service, **age)
    return f"{user}/{credential['ServiceSpecificCredential']['ServiceSpecificCredentialId']}"


def test_long_lived_keys(aws: boto3.Session) -> None:
    short = _key(aws, "pass-week", days=7)
    long = _key(aws, "fail-year", days=365)
    never = _key(aws, "fail-never", days=None)
    inactive = _key(aws, "na-inactive", days=None)
    aws.client("iam").update_service_specific_credential(
        UserName="na-inactive", ServiceSpecificCredentialId=inactive.split("/")[1], Status="Inactive"
    )
    _key(aws, "na-codecommit", service="codecommit.amazonaws.com")

    default = scan(aws, ["BR-APIKEY-001"])
    lenient = scan(aws, ["BR-APIKEY-001"], settings={"BR-APIKEY-001": {"max_lifetime_days": 400}})

    assert verdicts(default, "BR-APIKEY-001") == {short: Status.PASS, long: Status.FAIL, never: Status.FAIL}
    assert verdicts(lenient, "BR-APIKEY-001")[long] is Status.PASS
    details = {f.resource_name: f.status_detail for f in default.findings}
    assert details[never] == "the key of fail-never never expires"
    assert details[long] == "the key of fail-year lives 365 days, more than 30"
    assert default.scan.statistics.by_operation["iam:ListServiceSpecificCredentials"] == 1, "every user's at once"


def test_keys_of_users_with_broad_bedrock_rights(aws_with_managed_policies: boto3.Session) -> None:
    aws = aws_with_managed_policies
    iam = aws.client("iam")
    scoped = _key(aws, "pass-invoke-only", days=7)
    iam.put_user_policy(UserName="pass-invoke-only", PolicyName="invoke", PolicyDocument=_document("bedrock:Invoke*"))
    managed = _key(aws, "fail-full-access", days=7)
    iam.attach_user_policy(UserName="fail-full-access", PolicyArn="arn:aws:iam::aws:policy/AmazonBedrockFullAccess")
    grouped = _key(aws, "fail-through-group", days=7)
    iam.create_group(GroupName="ml-admins")
    iam.add_user_to_group(GroupName="ml-admins", UserName="fail-through-group")
    wide = iam.create_policy(PolicyName="bedrock-everything", PolicyDocument=_document("bedrock:*"))["Policy"]["Arn"]
    iam.attach_group_policy(GroupName="ml-admins", PolicyArn=wide)
    inline = _key(aws, "fail-inline-star", days=7)
    iam.put_user_policy(UserName="fail-inline-star", PolicyName="all", PolicyDocument=_document("*"))

    report = scan(aws, ["BR-APIKEY-002"])

    assert verdicts(report, "BR-APIKEY-002") == {
        scoped: Status.PASS,
        managed: Status.FAIL,
        grouped: Status.FAIL,
        inline: Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert "the AWS managed policy AmazonBedrockFullAccess" in details[managed]
    assert "customer managed policy bedrock-everything (bedrock:* on every resource)" in details[grouped]


def test_refused_key_and_holder_reads_are_errors(aws: boto3.Session) -> None:
    key = _key(aws, "holder", days=7)
    refuse(aws, "iam", "ListGroupsForUser")

    holder_refused = scan(aws, ["BR-APIKEY-001", "BR-APIKEY-002"])
    refuse(aws, "iam", "ListServiceSpecificCredentials")
    list_refused = scan(aws, ["BR-APIKEY-001"])

    assert verdicts(holder_refused, "BR-APIKEY-001") == {key: Status.PASS}
    assert verdicts(holder_refused, "BR-APIKEY-002") == {key: Status.ERROR}
    error = next(f for f in holder_refused.findings if f.check_id == "BR-APIKEY-002")
    assert "iam:ListGroupsForUser for holder failed" in error.status_detail
    [listing] = list_refused.findings
    assert (listing.resource_name, listing.status) == ("all Bedrock API keys", Status.ERROR)
    assert "iam:ListServiceSpecificCredentials" in listing.status_detail
