"""The demo estate's building blocks: one `Region` of seeding helpers per region, and the `Estate` they form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3

from mlaudit.demo.estate.lifecycle_requests import inline_schedule_config
from mlaudit.demo.server import DEMO_ACCOUNT_ID

ECR = f"{DEMO_ACCOUNT_ID}.dkr.ecr.{{region}}.amazonaws.com"
SAGEMAKER_TRUST: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": DEMO_ACCOUNT_ID}},
        }
    ],
}
VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount"

FRAUD_ROLE = "acme-fraud-sagemaker-execution"
"""The fraud-detection team's well-scoped execution role."""
RECS_ROLE = "acme-recs-sagemaker-execution"
"""The recommendations team's well-scoped execution role."""
SANDBOX_ROLE = "acme-ds-notebook-role"
"""A data-science sandbox role with AmazonSageMakerFullAccess attached."""


def role_arn(name: str) -> str:
    return f"arn:aws:iam::{DEMO_ACCOUNT_ID}:role/ml/{name}"


class Region:
    """Seeding helpers for one region of the demo account."""

    def __init__(self, session: boto3.Session, endpoint_url: str, region: str) -> None:
        self.region = region
        self.sm = session.client("sagemaker", region_name=region, endpoint_url=endpoint_url)
        self.s3 = session.client("s3", region_name=region, endpoint_url=endpoint_url)
        self.kms = session.client("kms", region_name=region, endpoint_url=endpoint_url)
        self.ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint_url)
        self.aas = session.client("application-autoscaling", region_name=region, endpoint_url=endpoint_url)
        self.key_arn = self.kms.create_key(Description=f"ML data ({region})")["KeyMetadata"]["Arn"]
        vpc = self.ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        self.subnets = [
            self.ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24")["Subnet"]["SubnetId"] for i in (1, 2)
        ]
        self.security_group = self.ec2.create_security_group(
            GroupName="sagemaker-private", Description="SageMaker workloads", VpcId=vpc
        )["GroupId"]

    def image(self, repository: str) -> str:
        return f"{ECR.format(region=self.region)}/{repository}"

    def vpc_config(self) -> dict[str, Any]:
        return {"Subnets": self.subnets, "SecurityGroupIds": [self.security_group]}

    def bucket(self, name: str, encryption: str | None) -> None:
        location = (
            {} if self.region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": self.region}}
        )
        self.s3.create_bucket(Bucket=name, **location)
        if encryption == "kms":
            rule = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": self.key_arn}
        elif encryption == "s3":
            rule = {"SSEAlgorithm": "AES256"}
        else:
            return
        self.s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": rule, "BucketKeyEnabled": True}]
            },
        )

    def registry_group(self, name: str, approvals: list[str]) -> list[str]:
        self.sm.create_model_package_group(ModelPackageGroupName=name, ModelPackageGroupDescription=f"{name} models")
        return [
            self.sm.create_model_package(
                ModelPackageGroupName=name,
                ModelApprovalStatus=status,
                InferenceSpecification={
                    "Containers": [{"Image": self.image(f"{name}:latest")}],
                    "SupportedContentTypes": ["text/csv"],
                    "SupportedResponseMIMETypes": ["text/csv"],
                },
            )["ModelPackageArn"]
            for status in approvals
        ]

    def model(self, name: str, role: str, container: dict[str, Any], in_vpc: bool) -> None:
        extra = {"VpcConfig": self.vpc_config()} if in_vpc else {}
        self.sm.create_model(ModelName=name, ExecutionRoleArn=role_arn(role), PrimaryContainer=container, **extra)

    def endpoint(
        self,
        name: str,
        model: str,
        instance_type: str | None,
        instances: int = 1,
        kms: bool = False,
        capture_uri: str | None = None,
    ) -> None:
        variant: dict[str, Any] = {"VariantName": "AllTraffic", "ModelName": model}
        if instance_type:
            variant |= {"InstanceType": instance_type, "InitialInstanceCount": instances}
        else:
            variant["ServerlessConfig"] = {"MemorySizeInMB": 2048, "MaxConcurrency": 10}
        config: dict[str, Any] = {"EndpointConfigName": f"{name}-config", "ProductionVariants": [variant]}
        if kms:
            config["KmsKeyId"] = self.key_arn
        if capture_uri:
            config["DataCaptureConfig"] = {
                "EnableCapture": True,
                "InitialSamplingPercentage": 20,
                "DestinationS3Uri": capture_uri,
                "KmsKeyId": self.key_arn,
                "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
            }
        self.sm.create_endpoint_config(**config)
        self.sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")

    def monitor(self, name: str, endpoint: str, kind: str, role: str, output_uri: str, stopped: bool = False) -> None:
        config = inline_schedule_config(kind, endpoint, role_arn(role), self.image("model-monitor:latest"), output_uri)
        self.sm.create_monitoring_schedule(MonitoringScheduleName=name, MonitoringScheduleConfig=config)
        if stopped:
            self.sm.stop_monitoring_schedule(MonitoringScheduleName=name)

    def autoscaling(self, endpoint: str, minimum: int, maximum: int) -> None:
        target = {
            "ServiceNamespace": "sagemaker",
            "ResourceId": f"endpoint/{endpoint}/variant/AllTraffic",
            "ScalableDimension": VARIANT_DIMENSION,
        }
        self.aas.register_scalable_target(**target, MinCapacity=minimum, MaxCapacity=maximum)
        self.aas.put_scaling_policy(
            **target,
            PolicyName=f"{endpoint}-invocations",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": 70.0,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
            },
        )

    def notebook(self, name: str, role: str, locked_down: bool, root_access: str | None = None) -> None:
        settings: dict[str, Any] = {}
        if locked_down:
            settings = {
                "SubnetId": self.subnets[0],
                "SecurityGroupIds": [self.security_group],
                "DirectInternetAccess": "Disabled",
                "KmsKeyId": self.key_arn,
            }
        if root_access:
            settings["RootAccess"] = root_access
        self.sm.create_notebook_instance(
            NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=role_arn(role), **settings
        )

    def training_job(
        self, name: str, role: str, data_uri: str, output_uri: str, checkpoint_uri: str | None = None
    ) -> None:
        extra: dict[str, Any] = {}
        if checkpoint_uri:
            extra = {
                "EnableManagedSpotTraining": True,
                "CheckpointConfig": {"S3Uri": checkpoint_uri},
                "VpcConfig": self.vpc_config(),
            }
        self.sm.create_training_job(
            TrainingJobName=name,
            AlgorithmSpecification={"TrainingImage": self.image("xgboost:1.7-1"), "TrainingInputMode": "File"},
            RoleArn=role_arn(role),
            InputDataConfig=[
                {
                    "ChannelName": "train",
                    "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": data_uri}},
                }
            ],
            OutputDataConfig={"S3OutputPath": output_uri, "KmsKeyId": self.key_arn},
            ResourceConfig={"InstanceType": "ml.m5.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
            StoppingCondition={"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 172800},
            **extra,
        )


@dataclass
class Estate:
    """What every area's seeder works with: the session, the server and a `Region` per demo region."""

    session: boto3.Session
    endpoint_url: str
    east: Region
    west: Region

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return self.session.client(service, region_name=region, endpoint_url=self.endpoint_url)

    def iam(self) -> Any:
        return self.client("iam")

    def create_role(self, name: str, inline_policy: dict[str, Any] | None = None) -> None:
        iam = self.iam()
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST), Path="/ml/")
        if inline_policy:
            iam.put_role_policy(RoleName=name, PolicyName="ml-data-access", PolicyDocument=json.dumps(inline_policy))
