"""The platform under the ML estate: buckets, CloudTrail, roles, keys and networks.

The fraud-detection team's buckets are versioned, private, TLS-only, logged by a data-event trail and cleaned up by
lifecycle rules; the legacy churn bucket and the recommendations team's bucket have none of that, and an old
churn model still names a bucket that was deleted long ago (anyone could claim the name), running as a legacy role
that trusts SageMaker on anyone's behalf. The intern's sandbox role has grown s3:* on everything and runs a dozen
experiments, one of them behind a security group open to the internet. us-east-1's key rotates and its VPC reaches
SageMaker and S3 through VPC endpoints; eu-west-1's key does not rotate and its VPC has no endpoints. The account's
only trail is the fraud team's single-region data-event trail, so nothing records eu-west-1 (CT-ML-001 fails).
"""

from __future__ import annotations

import json

from mlaudit.demo.estate.base import SANDBOX_ROLE, Estate, Region, role_arn

AFTER = ("foundation",)
"""Areas whose resources this one uses (roles, buckets, models)."""

LEGACY_ROLE = "acme-churn-legacy-role"
"""Created by hand in 2018: its trust policy names SageMaker without aws:SourceAccount."""
LEGACY_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
SANDBOX_GRANTS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
INTERN_EXPERIMENTS = 9

FRAUD_BUCKETS = ("acme-fraud-training-data", "acme-fraud-model-artifacts")
AUDIT_BUCKET = "acme-audit-logs"
DELETED_BUCKET = "acme-churn-legacy-2018"
"""Named by the retired churn model, deleted years ago."""

PRIVATE = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


def _tls_only(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def _buckets(estate: Estate) -> None:
    s3 = estate.east.s3
    for bucket in FRAUD_BUCKETS:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=PRIVATE)
        s3.put_bucket_policy(Bucket=bucket, Policy=_tls_only(bucket))
    s3.put_bucket_lifecycle_configuration(
        Bucket="acme-fraud-model-artifacts",
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire-checkpoints",
                    "Status": "Enabled",
                    "Filter": {"Prefix": "checkpoints/"},
                    "Expiration": {"Days": 30},
                },
            ]
        },
    )
    estate.east.model(
        "churn-legacy-2018",
        LEGACY_ROLE,
        {"Image": estate.east.image("churn:2018"), "ModelDataUrl": f"s3://{DELETED_BUCKET}/models/churn-2018.tar.gz"},
        in_vpc=False,
    )


def _trails(estate: Estate) -> None:
    """A single-region trail in us-east-1 that records the fraud team's object reads (and management events)."""
    estate.east.s3.create_bucket(Bucket=AUDIT_BUCKET)
    cloudtrail = estate.client("cloudtrail")
    cloudtrail.create_trail(Name="acme-fraud-data-events", S3BucketName=AUDIT_BUCKET, IsMultiRegionTrail=False)
    cloudtrail.put_event_selectors(
        TrailName="acme-fraud-data-events",
        EventSelectors=[
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": True,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": [f"arn:aws:s3:::{b}/" for b in FRAUD_BUCKETS]}],
            }
        ],
    )
    cloudtrail.start_logging(Name="acme-fraud-data-events")


def _roles(estate: Estate) -> None:
    iam = estate.iam()
    iam.create_role(RoleName=LEGACY_ROLE, AssumeRolePolicyDocument=json.dumps(LEGACY_TRUST), Path="/ml/")
    iam.put_role_policy(RoleName=SANDBOX_ROLE, PolicyName="sandbox-data", PolicyDocument=json.dumps(SANDBOX_GRANTS))


def _vpc_id(region: Region) -> str:
    return region.ec2.describe_subnets(SubnetIds=region.subnets[:1])["Subnets"][0]["VpcId"]


def _networks_and_keys(estate: Estate) -> None:
    east = estate.east
    east.kms.enable_key_rotation(KeyId=east.key_arn)
    vpc = _vpc_id(east)
    private_services = (
        ("sagemaker.api", "Interface"),
        ("sagemaker.runtime", "Interface"),
        ("bedrock-runtime", "Interface"),
        ("s3", "Gateway"),
    )
    for service, kind in private_services:
        east.ec2.create_vpc_endpoint(
            VpcId=vpc, ServiceName=f"com.amazonaws.{east.region}.{service}", VpcEndpointType=kind
        )
    open_group = east.ec2.create_security_group(GroupName="intern-jupyter-open", Description="Jupyter", VpcId=vpc)[
        "GroupId"
    ]
    east.ec2.authorize_security_group_ingress(
        GroupId=open_group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 8888, "ToPort": 8888, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ],
    )
    for i in range(1, INTERN_EXPERIMENTS + 1):
        east.model(f"intern-experiment-{i:02d}", SANDBOX_ROLE, {"Image": east.image(f"intern-exp:{i}")}, in_vpc=False)
    east.sm.create_model(
        ModelName="intern-jupyter-model",
        ExecutionRoleArn=role_arn(SANDBOX_ROLE),
        PrimaryContainer={"Image": east.image("intern-exp:jupyter")},
        VpcConfig={"Subnets": east.subnets, "SecurityGroupIds": [open_group]},
    )


def seed(estate: Estate) -> None:
    _roles(estate)
    _buckets(estate)
    _trails(estate)
    _networks_and_keys(estate)
