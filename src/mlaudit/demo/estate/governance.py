"""Model governance: who else can reach the estate's models, how their documentation is protected, and the
Studio images the teams bring.

The demo account is the management account of Acme's organization. The fraud team shares its registry with the
organization, by a group policy conditioned on aws:PrincipalOrgID and a RAM share to the organization, and documents
its chargeback model in a card encrypted with its own key; the older fraud-detection card has none. The
recommendations team has shared its ranking registry with an agency's account outside the organization. The
platform team publishes a described, tagged PyTorch image for Studio; an untagged, undescribed scratch image sits
beside it.
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


def _read_only(group_arn: str, principal: str | None = None, organization: str | None = None) -> str:
    """Read access to a group's versions for an account, or for every principal of an organization."""
    versions = group_arn.replace(":model-package-group/", ":model-package/") + "/*"
    grantee: dict[str, Any] = {"Principal": {"AWS": f"arn:aws:iam::{principal}:root"}} if principal else {}
    if organization:
        grantee = {"Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": organization}}}
    statement = {
        "Sid": "DeployFromRegistry",
        "Effect": "Allow",
        **grantee,
        "Action": [
            "sagemaker:DescribeModelPackageGroup",
            "sagemaker:DescribeModelPackage",
            "sagemaker:ListModelPackages",
        ],
        "Resource": [group_arn, versions],
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _share(
    estate: Estate, region: Region, group: str, share: str, *, account: str = "", organization: Any = None
) -> None:
    """The group readable by an account or by the organization, by resource policy and by a RAM share."""
    arn = region.sm.describe_model_package_group(ModelPackageGroupName=group)["ModelPackageGroupArn"]
    policy = _read_only(arn, account or None, organization["Id"] if organization else None)
    region.sm.put_model_package_group_policy(ModelPackageGroupName=group, ResourcePolicy=policy)
    estate.client("ram", region.region).create_resource_share(
        name=share,
        resourceArns=[arn],
        principals=[organization["Arn"] if organization else account],
        allowExternalPrincipals=organization is None,
    )


def _organization(estate: Estate) -> dict[str, Any]:
    """Acme's organization, of which the demo account is the management account (created unless another area
    already made it)."""
    organizations = estate.client("organizations")
    try:
        return organizations.describe_organization()["Organization"]
    except organizations.exceptions.AWSOrganizationsNotInUseException:
        return organizations.create_organization(FeatureSet="ALL")["Organization"]


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
    """Registry sharing inside and outside the organization, model cards and Studio images."""
    east, west = estate.east, estate.west
    _share(estate, east, "fraud-detection", "fraud-registry-to-organization", organization=_organization(estate))
    _share(estate, west, "recs-ranking", "recs-ranking-agency", account=AGENCY_ACCOUNT)
    east.sm.create_model_card(
        ModelCardName="fraud-chargeback",
        ModelCardStatus="Draft",
        Content=json.dumps({"model_overview": {"model_description": "Chargeback risk of disputed payments"}}),
        SecurityConfig={"KmsKeyId": east.key_arn},
    )
    _images(east)
