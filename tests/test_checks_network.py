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


def test_vpcs_in_a_region_using_bedrock_also_need_a_bedrock_runtime_endpoint(aws: boto3.Session) -> None:
    sagemaker = [("sagemaker.api", "Interface"), ("sagemaker.runtime", "Interface"), ("s3", "Gateway")]
    vpcs = {
        _network(aws, "pass-with-bedrock", *sagemaker, ("bedrock-runtime", "Interface"), cidr="10.1.0.0/16")[
            0
        ]: "pass-with-bedrock",
        _network(aws, "fail-without-bedrock", *sagemaker, cidr="10.2.0.0/16")[0]: "fail-without-bedrock",
    }
    aws.client("bedrock-agent").create_agent(
        agentName="assistant", agentResourceRoleArn=ROLE_ARN, foundationModel="anthropic.claude-3-haiku-20240307-v1:0"
    )

    report = scan(aws, ["NET-ML-001"])

    assert {vpcs[name]: status for name, status in verdicts(report, "NET-ML-001").items()} == {
        "pass-with-bedrock": Status.PASS,
        "fail-without-bedrock": Status.FAIL,
    }
    assert "no VPC endpoint for bedrock-runtime" in next(
        f.status_detail for f in report.findings if f.status is Status.FAIL
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
