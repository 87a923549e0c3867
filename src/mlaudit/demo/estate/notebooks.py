"""Where the payments company's data scientists work: notebook instances, their lifecycle scripts, Studio domains.

The fraud team's feature lab in us-east-1 is locked down (VPC, customer managed key, Amazon Linux 2023, IMDSv2, an
idle auto-stop) and its Studio domain is VPC-only with its own key. The neglected churn notebook beside it runs on a
previous-generation ml.t2 with Amazon Linux 2, uses the AWS managed EBS key, and its lifecycle script still writes
an access key pair (the AWS documentation's example values) with `aws configure set`, and a database password. The
recommendations team's Studio domain in eu-west-1 was created with the defaults: public internet access and the AWS
managed key.
"""

from __future__ import annotations

import base64
from typing import Any

from mlaudit.demo.estate.base import FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE, Estate, Region, role_arn

AFTER = ("foundation",)
"""Areas whose resources this one uses (roles, buckets, models)."""

FRAUD_AUTO_STOP = """#!/bin/bash
# Stop the notebook after an hour without kernel activity (AWS's auto-stop-idle sample).
set -e
IDLE_TIME=3600
wget -O /home/ec2-user/autostop.py https://raw.githubusercontent.com/aws-samples/amazon-sagemaker-notebook-instance-lifecycle-config-samples/master/scripts/auto-stop-idle/autostop.py
(crontab -l 2>/dev/null; echo "*/5 * * * * /usr/bin/python3 /home/ec2-user/autostop.py --time $IDLE_TIME --ignore-connections") | crontab -
"""

EXAMPLE_ACCESS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"
EXAMPLE_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"
"""The AWS documentation's example credentials, split so that secret scanners do not flag this file."""

CHURN_SETUP = f"""#!/bin/bash
set -e
sudo -u ec2-user -i <<'EOF'
pip install --quiet xgboost==0.90 psycopg2-binary
aws configure set aws_access_key_id {EXAMPLE_ACCESS_KEY}
aws configure set aws_secret_access_key {EXAMPLE_SECRET_KEY}
echo "postgresql://churn:Churn2019!@legacy-db.internal:5432/churn" > ~/.churn-db
EOF
"""


def _script(text: str) -> list[dict[str, str]]:
    return [{"Content": base64.b64encode(text.encode()).decode()}]


def _domain(region: Region, name: str, role: str, **settings: Any) -> None:
    vpc = region.ec2.describe_subnets(SubnetIds=region.subnets)["Subnets"][0]["VpcId"]
    region.sm.create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": role_arn(role), "SecurityGroups": [region.security_group]},
        VpcId=vpc,
        SubnetIds=region.subnets,
        **settings,
    )


def _notebook(
    region: Region, name: str, role: str, instance_type: str, lifecycle: tuple[str, str, str], **settings: Any
) -> None:
    """A notebook with a lifecycle configuration of its own: (configuration name, OnCreate or OnStart, script)."""
    config, hook, script = lifecycle
    region.sm.create_notebook_instance_lifecycle_config(
        NotebookInstanceLifecycleConfigName=config, **{hook: _script(script)}
    )
    region.sm.create_notebook_instance(
        NotebookInstanceName=name,
        InstanceType=instance_type,
        RoleArn=role_arn(role),
        LifecycleConfigName=config,
        **settings,
    )


def seed(estate: Estate) -> None:
    """Two notebooks with lifecycle configurations in us-east-1, a Studio domain in each region."""
    east = estate.east
    _notebook(
        east,
        "fraud-feature-lab",
        FRAUD_ROLE,
        "ml.m5.xlarge",
        ("fraud-auto-stop", "OnStart", FRAUD_AUTO_STOP),
        SubnetId=east.subnets[0],
        SecurityGroupIds=[east.security_group],
        DirectInternetAccess="Disabled",
        KmsKeyId=east.key_arn,
        RootAccess="Disabled",
        PlatformIdentifier="notebook-al2023-v1",
        InstanceMetadataServiceConfiguration={"MinimumInstanceMetadataServiceVersion": "2"},
    )
    _notebook(
        east,
        "churn-legacy-notebook",
        SANDBOX_ROLE,
        "ml.t2.medium",
        ("churn-legacy-setup", "OnCreate", CHURN_SETUP),
        KmsKeyId="alias/aws/ebs",
        PlatformIdentifier="notebook-al2-v2",
    )
    # AWS creates a managed key when a service first uses it; moto creates it on its first lookup. Look it up now,
    # while moto's seeded random source gives it the same id every run, not during the scan's concurrent calls.
    east.kms.describe_key(KeyId="alias/aws/ebs")
    _domain(east, "acme-fraud-studio", FRAUD_ROLE, AppNetworkAccessType="VpcOnly", KmsKeyId=east.key_arn)
    _domain(estate.west, "acme-recs-studio", RECS_ROLE)
