"""NET-ML-* checks against VPCs, VPC endpoints and security groups created in moto and used by SageMaker models."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts

REGION = "us-east-1"


def _network(
    session: boto3.Session, model: str, *endpoints: tuple[str, str], cidr: str = "10.0.0.0/16"
) -> tuple[str, str]:
    """A VPC with the given (service, type) endpoints, and a model running in one of its subnets behind a security
    group named after the model; returns the VPC id and the group id."""
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace("0.0/16", "1.0/24"))["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName=model, Description="ML", VpcId=vpc)["GroupId"]
    for service, endpoint_type in endpoints:
        ec2.create_vpc_endpoint(
            VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.{service}", VpcEndpointType=endpoint_type
        )
    session.client("sagemaker").create_model(
        ModelName=model,
        ExecutionRoleArn=ROLE_ARN,
        PrimaryContainer={"Image": "model:1"},
        VpcConfig={"Subnets": [subnet], "SecurityGroupIds": [group]},
    )
    return vpc, group


def test_ml_vpc_missing_endpoints(aws: boto3.Session) -> None:
    complete = [("sagemaker.api", "Interface"), ("sagemaker.runtime", "Interface"), ("s3", "Gateway")]
    vpcs = {
        _network(aws, "pass-all-endpoints", *complete, cidr="10.1.0.0/16")[0]: "pass-all-endpoints",
        _network(aws, "fail-no-runtime", complete[0], complete[2], cidr="10.2.0.0/16")[0]: "fail-no-runtime",
        _network(aws, "fail-no-endpoints", cidr="10.3.0.0/16")[0]: "fail-no-endpoints",
    }

    report = scan(aws, ["NET-ML-001"])

    assert {vpcs[name]: status for name, status in verdicts(report, "NET-ML-001").items()} == {
        "pass-all-endpoints": Status.PASS,
        "fail-no-runtime": Status.FAIL,
        "fail-no-endpoints": Status.FAIL,
    }
    detail = next(f.status_detail for f in report.findings if vpcs[f.resource_name] == "fail-no-runtime")
    assert "sagemaker.runtime" in detail and "sagemaker.api" not in detail and "model/fail-no-runtime" in detail


BEDROCK = ("bedrock", "bedrock-runtime", "bedrock-agent", "bedrock-agent-runtime", "bedrock-mantle")
SAGEMAKER = [("sagemaker.api", "Interface"), ("sagemaker.runtime", "Interface"), ("s3", "Gateway")]


def test_vpcs_in_a_region_using_bedrock_also_need_the_bedrock_endpoints(aws: boto3.Session) -> None:
    """Every Bedrock API, as Prowler's bedrock_vpc_endpoints_configured requires them."""
    every = [(service, "Interface") for service in BEDROCK]
    vpcs = {
        _network(aws, "pass-with-bedrock", *SAGEMAKER, *every, cidr="10.1.0.0/16")[0]: "pass-with-bedrock",
        _network(aws, "fail-runtime-only", *SAGEMAKER, ("bedrock-runtime", "Interface"), cidr="10.2.0.0/16")[
            0
        ]: "fail-runtime-only",
    }
    aws.client("bedrock-agent").create_agent(
        agentName="assistant", agentResourceRoleArn=ROLE_ARN, foundationModel="anthropic.claude-3-haiku-20240307-v1:0"
    )

    report = scan(aws, ["NET-ML-001"])

    assert {vpcs[name]: status for name, status in verdicts(report, "NET-ML-001").items()} == {
        "pass-with-bedrock": Status.PASS,
        "fail-runtime-only": Status.FAIL,
    }
    assert next(f.status_detail for f in report.findings if f.status is Status.FAIL).startswith(
        "no VPC endpoint for bedrock, bedrock-agent, bedrock-agent-runtime, bedrock-mantle "
        "(for Bedrock, which the region uses); used by 1 ML resource"
    )


STUDIO = [(service, "Interface") for service in ("sts", "logs", "ecr.api", "ecr.dkr")] + [
    (f"aws.sagemaker.{REGION}.{service}", "Interface") for service in ("studio", "notebook")
]


def _studio_domain(session: boto3.Session, name: str, *endpoints: tuple[str, str], cidr: str, vpc_only: bool) -> str:
    """A Studio domain in a VPC of its own with the given endpoints (Studio's own take a full service name)."""
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace("0.0/16", "1.0/24"))["Subnet"]["SubnetId"]
    for service, endpoint_type in endpoints:
        full = service if service.startswith("aws.") else f"com.amazonaws.{REGION}.{service}"
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=full, VpcEndpointType=endpoint_type)
    session.client("sagemaker").create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN},
        SubnetIds=[subnet],
        VpcId=vpc,
        AppNetworkAccessType="VpcOnly" if vpc_only else "PublicInternetOnly",
    )
    return vpc


def test_vpcs_of_vpc_only_studio_domains_need_studio_endpoints(aws: boto3.Session) -> None:
    vpcs = {
        _studio_domain(aws, "pass", *SAGEMAKER, *STUDIO, cidr="10.1.0.0/16", vpc_only=True): "pass-vpc-only-complete",
        _studio_domain(aws, "fail", *SAGEMAKER, cidr="10.2.0.0/16", vpc_only=True): "fail-vpc-only-bare",
        _studio_domain(aws, "public", *SAGEMAKER, cidr="10.3.0.0/16", vpc_only=False): "pass-public-internet-domain",
    }

    report = scan(aws, ["NET-ML-001"])

    assert {vpcs[name]: status for name, status in verdicts(report, "NET-ML-001").items()} == {
        "pass-vpc-only-complete": Status.PASS,
        "fail-vpc-only-bare": Status.FAIL,
        "pass-public-internet-domain": Status.PASS,
    }
    assert next(f.status_detail for f in report.findings if f.status is Status.FAIL).startswith(
        "no VPC endpoint for sts, logs, ecr.api, ecr.dkr, studio and 1 more (for VpcOnly Studio domain fail)"
    )


def test_ml_security_group_open(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    for name, cidr in (("pass-vpc-only", "10.0.0.0/8"), ("fail-open-ipv4", "0.0.0.0/0"), ("fail-open-ipv6", None)):
        _, group = _network(aws, name)
        ranges = {"Ipv6Ranges": [{"CidrIpv6": "::/0"}]} if cidr is None else {"IpRanges": [{"CidrIp": cidr}]}
        ec2.authorize_security_group_ingress(
            GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8888, "ToPort": 8888, **ranges}]
        )

    report = scan(aws, ["NET-ML-002"])

    assert verdicts(report, "NET-ML-002") == {
        "pass-vpc-only": Status.PASS,
        "fail-open-ipv4": Status.FAIL,
        "fail-open-ipv6": Status.FAIL,
    }
    assert "tcp 8888 from 0.0.0.0/0" in next(
        f.status_detail for f in report.findings if f.resource_name == "fail-open-ipv4"
    )


def test_security_groups_of_training_and_tuning_jobs_are_judged(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    groups = {}
    for name, cidr in (
        ("fail-training-open", "0.0.0.0/0"),
        ("fail-tuning-open", "0.0.0.0/0"),
        ("pass-training-closed", "10.0.0.0/16"),
    ):
        groups[name] = ec2.create_security_group(GroupName=name, Description="training", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=groups[name],
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr}]}],
        )
    definition = {
        "AlgorithmSpecification": {"TrainingImage": "xgboost:1", "TrainingInputMode": "File"},
        "RoleArn": ROLE_ARN,
        "OutputDataConfig": {"S3OutputPath": "s3://model-artefacts/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    sagemaker = aws.client("sagemaker")
    for name in ("fail-training-open", "pass-training-closed"):
        sagemaker.create_training_job(
            TrainingJobName=name, **definition, VpcConfig={"Subnets": [subnet], "SecurityGroupIds": [groups[name]]}
        )
    sagemaker.create_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="tuning",
        HyperParameterTuningJobConfig={
            "Strategy": "Bayesian",
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 2, "MaxParallelTrainingJobs": 1},
        },
        TrainingJobDefinition={
            **definition,
            "VpcConfig": {"Subnets": [subnet], "SecurityGroupIds": [groups["fail-tuning-open"]]},
        },
    )

    report = scan(aws, ["NET-ML-002"])

    assert verdicts(report, "NET-ML-002") == {
        "fail-training-open": Status.FAIL,
        "fail-tuning-open": Status.FAIL,
        "pass-training-closed": Status.PASS,
    }


def test_model_outside_any_vpc_is_not_judged(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_model(
        ModelName="no-vpc", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": "model:1"}
    )

    report = scan(aws, ["NET-ML-001", "NET-ML-002"])

    assert report.findings == []
    assert not any(op.startswith("ec2:") for op in report.scan.statistics.by_operation)


def test_refused_network_reads_are_errors(aws: boto3.Session) -> None:
    _network(aws, "ml-model", ("s3", "Gateway"))
    for operation in ("DescribeSubnets", "DescribeSecurityGroups"):
        refuse(aws, "ec2", operation)

    report = scan(aws, ["NET-ML-001", "NET-ML-002"])

    assert {(f.check_id, f.status) for f in report.findings} == {
        ("NET-ML-001", Status.ERROR),
        ("NET-ML-002", Status.ERROR),
    }


def test_refused_vpc_endpoint_reads_are_errors(aws: boto3.Session) -> None:
    _network(aws, "ml-model", ("s3", "Gateway"))
    refuse(aws, "ec2", "DescribeVpcEndpoints")

    report = scan(aws, ["NET-ML-001"])

    assert [f.status for f in report.findings] == [Status.ERROR]
    assert "ec2:DescribeVpcEndpoints" in report.findings[0].status_detail


def test_ml_vpcs_log_their_traffic(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    aws.client("s3").create_bucket(Bucket="flow-logs")
    vpcs = {}
    for name, cidr in (("pass-vpc-flow-log", "10.1.0.0/16"), ("pass-subnet-flow-log", "10.2.0.0/16")):
        vpcs[_network(aws, name, cidr=cidr)[0]] = name
    vpcs[_network(aws, "fail-no-flow-log", cidr="10.3.0.0/16")[0]] = "fail-no-flow-log"
    logged = {name: vpc for vpc, name in vpcs.items()}
    destination = {"LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::flow-logs", "TrafficType": "ALL"}
    ec2.create_flow_logs(ResourceType="VPC", ResourceIds=[logged["pass-vpc-flow-log"]], **destination)
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [logged["pass-subnet-flow-log"]]}])
    ec2.create_flow_logs(ResourceType="Subnet", ResourceIds=[subnet["Subnets"][0]["SubnetId"]], **destination)

    report = scan(aws, ["NET-ML-003"])

    assert {vpcs[name]: status for name, status in verdicts(report, "NET-ML-003").items()} == {
        "pass-vpc-flow-log": Status.PASS,
        "pass-subnet-flow-log": Status.PASS,
        "fail-no-flow-log": Status.FAIL,
    }


def test_ml_subnets_are_private(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    names = {}
    for model, cidr in (
        ("pass-private", "10.1.0.0/16"),
        ("fail-igw-route", "10.2.0.0/16"),
        ("fail-public-ip", "10.3.0.0/16"),
    ):
        vpc, _ = _network(aws, model, cidr=cidr)
        subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"][0]["SubnetId"]
        names[subnet] = model
        if model == "fail-igw-route":
            gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
            ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
            table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
            ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
            ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
        if model == "fail-public-ip":
            ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})

    report = scan(aws, ["NET-ML-004"])

    assert {names[name]: status for name, status in verdicts(report, "NET-ML-004").items()} == {
        "pass-private": Status.PASS,
        "fail-igw-route": Status.FAIL,
        "fail-public-ip": Status.FAIL,
    }
    detail = {names[f.resource_name]: f.status_detail for f in report.findings}
    assert "routes 0.0.0.0/0 via igw-" in detail["fail-igw-route"]
    assert detail["fail-public-ip"] == (
        "public subnet: it assigns a public IPv4 address on launch (MapPublicIpOnLaunch); used by 1 ML resource"
    )
    assert "(the VPC's main table)" in detail["pass-private"]


def test_security_groups_of_processing_jobs_are_judged(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="fail-processing-open", Description="jobs", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    aws.client("sagemaker").create_processing_job(
        ProcessingJobName="featurize",
        RoleArn=ROLE_ARN,
        AppSpecification={"ImageUri": "sklearn:1"},
        ProcessingResources={
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 10}
        },
        NetworkConfig={"VpcConfig": {"Subnets": [subnet], "SecurityGroupIds": [group]}},
    )

    report = scan(aws, ["NET-ML-002"])

    assert verdicts(report, "NET-ML-002") == {"fail-processing-open": Status.FAIL}


def test_refused_route_table_and_flow_log_reads_are_errors(aws: boto3.Session) -> None:
    _network(aws, "ml-model")
    refuse(aws, "ec2", "DescribeRouteTables")
    refuse(aws, "ec2", "DescribeFlowLogs")

    report = scan(aws, ["NET-ML-003", "NET-ML-004"])

    assert {(f.check_id, f.status) for f in report.findings} == {
        ("NET-ML-003", Status.ERROR),
        ("NET-ML-004", Status.ERROR),
    }
    assert {
        op
        for f in report.findings
        for op in ("ec2:DescribeRouteTables", "ec2:DescribeFlowLogs")
        if op in f.status_detail
    } == {
        "ec2:DescribeRouteTables",
        "ec2:DescribeFlowLogs",
    }
