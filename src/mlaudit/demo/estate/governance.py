"""Model governance: who else can reach the estate's models, how their documentation is protected, and the
Studio images the teams bring.

The demo account is the management account of Acme's organization, with a production account for workloads. The
fraud team shares its registry with that account, by a group policy and a RAM share, and documents its chargeback
model in a card encrypted with its own key; the older fraud-detection card has none. The recommendations team has
shared its ranking registry with an agency's account outside the organization. The platform team publishes a
described, tagged PyTorch image for Studio; an untagged, undescribed scratch image sits beside it.
"""

from __future__ import annotations

import json
from typing import Any

from mlaudit.demo.estate.base import Estate, Region, role_arn

AFTER = ("foundation", "jobs")
"""Areas whose resources this one uses (the registry groups, the fraud-detection model card)."""

AGENCY_ACCOUNT = "999988887777"
"""A marketing agency's account, outside the organization."""
OWNED = [{"Key": "owner", "Value": "ml-platform"}, {"Key": "cost-center", "Value": "cc-4410"}]
IMAGE_ROLE = "acme-fraud-sagemaker-execution"


def _read_only(group_arn: str, principal: str) -> str:
    versions = group_arn.replace(":model-package-group/", ":model-package/") + "/*"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DeployFromRegistry",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{principal}:root"},
                    "Action": [
                        "sagemaker:DescribeModelPackageGroup",
                        "sagemaker:DescribeModelPackage",
                        "sagemaker:ListModelPackages",
                    ],
                    "Resource": [group_arn, versions],
                }
            ],
        }
    )


def _share(estate: Estate, region: Region, group: str, principal: str, share: str, external: bool) -> None:
    arn = region.sm.describe_model_package_group(ModelPackageGroupName=group)["ModelPackageGroupArn"]
    region.sm.put_model_package_group_policy(ModelPackageGroupName=group, ResourcePolicy=_read_only(arn, principal))
    estate.client("ram", region.region).create_resource_share(
        name=share, resourceArns=[arn], principals=[principal], allowExternalPrincipals=external
    )


def _images(region: Region) -> None:
    environment: dict[str, Any] = {"ContainerConfig": {"ContainerEnvironmentVariables": {"FRAUD_FEATURES": "v4"}}}
    region.sm.create_image(
        ImageName="acme-pytorch-fraud",
        DisplayName="PyTorch 2.5 (fraud)",
        Description="PyTorch 2.5 with the fraud team's feature library; maintained by ml-platform",
        RoleArn=role_arn(IMAGE_ROLE),
        Tags=[*OWNED, {"Key": "environment", "Value": "prod"}],
    )
    region.sm.create_app_image_config(
        AppImageConfigName="acme-pytorch-fraud-jupyterlab",
        JupyterLabAppImageConfig=environment,
        Tags=[*OWNED, {"Key": "environment", "Value": "prod"}],
    )
    region.sm.create_image(ImageName="ds-scratch", RoleArn=role_arn(IMAGE_ROLE))
    region.sm.create_app_image_config(
        AppImageConfigName="ds-scratch-kernel",
        KernelGatewayImageConfig={"KernelSpecs": [{"Name": "python3"}]},
    )


def seed(estate: Estate) -> None:
    """The organization, registry sharing inside and outside it, model cards and Studio images."""
    organizations = estate.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    production = organizations.create_account(AccountName="acme-ml-prod", Email="ml-prod@acme.example")
    production_account = production["CreateAccountStatus"]["AccountId"]

    east, west = estate.east, estate.west
    _share(estate, east, "fraud-detection", production_account, "fraud-registry-to-prod", external=False)
    _share(estate, west, "recs-ranking", AGENCY_ACCOUNT, "recs-ranking-agency", external=True)
    east.sm.create_model_card(
        ModelCardName="fraud-chargeback",
        ModelCardStatus="Draft",
        Content=json.dumps({"model_overview": {"model_description": "Chargeback risk of disputed payments"}}),
        SecurityConfig={"KmsKeyId": east.key_arn},
    )
    _images(east)
