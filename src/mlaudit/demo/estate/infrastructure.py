"""The infrastructure under ML, as issue 17 judges it: image repositories, networks and sensitive data discovery.

The fraud team's training image lives in an ECR repository that scans on push, keeps tags immutable and encrypts
with the team's key; the intern's experiment images sit in a repository with every default. us-east-1's VPC has
every endpoint its Bedrock applications and its VpcOnly Studio domain need, and logs its traffic; eu-west-1's VPC
logs nothing and its subnets route to an internet gateway. Macie samples the ML buckets of us-east-1, runs without
automated discovery in eu-west-1 and was never enabled in the intern's region.
"""

from __future__ import annotations

from mlaudit.demo.estate.base import Estate, Region
from mlaudit.demo.estate.jobs import SANDBOX_REGION
from mlaudit.demo.estate.platform import AUDIT_BUCKET

AFTER = ("foundation", "jobs", "platform", "notebooks", "job_settings")
"""Areas whose images, buckets, VPCs and Studio domains this one completes."""

BEDROCK_AND_STUDIO = (
    "bedrock",
    "bedrock-agent",
    "bedrock-agent-runtime",
    "bedrock-mantle",
    "sts",
    "logs",
    "ecr.api",
    "ecr.dkr",
)
"""The endpoints us-east-1's VPC adds to those of the platform (SageMaker, S3, bedrock-runtime)."""


def _vpc_id(region: Region) -> str:
    return str(region.ec2.describe_subnets(SubnetIds=region.subnets[:1])["Subnets"][0]["VpcId"])


def _repositories(estate: Estate) -> None:
    ecr = estate.client("ecr")
    ecr.create_repository(
        repositoryName="pytorch-training",
        imageTagMutability="IMMUTABLE",
        imageScanningConfiguration={"scanOnPush": True},
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": estate.east.key_arn},
    )
    ecr.create_repository(repositoryName="intern-exp")


def _networks(estate: Estate) -> None:
    east, west = estate.east, estate.west
    vpc = _vpc_id(east)
    services = [f"com.amazonaws.{east.region}.{service}" for service in BEDROCK_AND_STUDIO]
    services += [f"aws.sagemaker.{east.region}.{service}" for service in ("studio", "notebook")]
    for service in services:
        east.ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=service, VpcEndpointType="Interface")
    east.ec2.create_flow_logs(
        ResourceType="VPC",
        ResourceIds=[vpc],
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=f"arn:aws:s3:::{AUDIT_BUCKET}",
    )
    west_vpc = _vpc_id(west)
    gateway = west.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    west.ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=west_vpc)
    tables = west.ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [west_vpc]}])["RouteTables"]
    main = next(t for t in tables if any(a.get("Main") for a in t.get("Associations") or ()))
    west.ec2.create_route(RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)


def _macie(estate: Estate) -> None:
    estate.client("macie2").update_automated_discovery_configuration(status="ENABLED")
    estate.client("macie2", SANDBOX_REGION).disable_macie()


def seed(estate: Estate) -> None:
    _repositories(estate)
    _networks(estate)
    _macie(estate)
