"""The demo account's ML estate: a payments company's ML platform in two regions.

In us-east-1 the fraud-detection team runs a well-kept endpoint (registry-approved model in a VPC, KMS,
data capture, Model Monitor, autoscaling) beside a neglected legacy churn model and an intern's sandbox
notebook. In eu-west-1 the recommendations team has done half the work: its monitor is stopped and its
autoscaling cannot scale. Every built-in check finds at least one resource to pass and one to fail.
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from mlaudit.demo.server import DEMO_ACCOUNT_ID

ECR = f"{DEMO_ACCOUNT_ID}.dkr.ecr.{{region}}.amazonaws.com"
SAGEMAKER_TRUST = {
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


def _role_arn(name: str) -> str:
    return f"arn:aws:iam::{DEMO_ACCOUNT_ID}:role/{name}"


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
        location = {} if self.region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": self.region}}
        self.s3.create_bucket(Bucket=name, **location)
        if encryption == "kms":
            rule = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": self.key_arn}
        elif encryption == "s3":
            rule = {"SSEAlgorithm": "AES256"}
        else:
            return
        self.s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": rule, "BucketKeyEnabled": True}]},
        )

    def registry_group(self, name: str, approvals: list[str]) -> list[str]:
        self.sm.create_model_package_group(ModelPackageGroupName=name, ModelPackageGroupDescription=f"{name} models")
        arns = []
        for status in approvals:
            arns.append(
                self.sm.create_model_package(
                    ModelPackageGroupName=name,
                    ModelApprovalStatus=status,
                    InferenceSpecification={
                        "Containers": [{"Image": self.image(f"{name}:latest")}],
                        "SupportedContentTypes": ["text/csv"],
                        "SupportedResponseMIMETypes": ["text/csv"],
                    },
                )["ModelPackageArn"]
            )
        return arns

    def model(self, name: str, role: str, container: dict[str, Any], in_vpc: bool) -> None:
        extra = {"VpcConfig": self.vpc_config()} if in_vpc else {}
        self.sm.create_model(ModelName=name, ExecutionRoleArn=_role_arn(role), PrimaryContainer=container, **extra)

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
        self.sm.create_monitoring_schedule(
            MonitoringScheduleName=name,
            MonitoringScheduleConfig={
                "MonitoringType": kind,
                "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
                "MonitoringJobDefinition": {
                    "MonitoringInputs": [{"EndpointInput": {"EndpointName": endpoint, "LocalPath": "/opt/ml/processing/input"}}],
                    "MonitoringOutputConfig": {
                        "MonitoringOutputs": [{"S3Output": {"S3Uri": output_uri, "LocalPath": "/opt/ml/processing/output"}}]
                    },
                    "MonitoringResources": {
                        "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}
                    },
                    "MonitoringAppSpecification": {"ImageUri": self.image("model-monitor:latest")},
                    "RoleArn": _role_arn(role),
                },
            },
        )
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
            NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=_role_arn(role), **settings
        )

    def training_job(self, name: str, role: str, data_uri: str, output_uri: str, checkpoint_uri: str | None = None) -> None:
        extra: dict[str, Any] = {}
        if checkpoint_uri:
            extra = {"EnableManagedSpotTraining": True, "CheckpointConfig": {"S3Uri": checkpoint_uri}, "VpcConfig": self.vpc_config()}
        self.sm.create_training_job(
            TrainingJobName=name,
            AlgorithmSpecification={"TrainingImage": self.image("xgboost:1.7-1"), "TrainingInputMode": "File"},
            RoleArn=_role_arn(role),
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


def _roles(session: boto3.Session, endpoint_url: str) -> None:
    iam = session.client("iam", endpoint_url=endpoint_url)
    scoped = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::acme-*/*"},
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"},
        ],
    }
    for name in ("acme-fraud-sagemaker-execution", "acme-recs-sagemaker-execution", "acme-ds-notebook-role"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST), Path="/ml/")
        iam.put_role_policy(RoleName=name, PolicyName="ml-data-access", PolicyDocument=json.dumps(scoped))
    iam.attach_role_policy(RoleName="acme-ds-notebook-role", PolicyArn="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")


def seed(session: boto3.Session, endpoint_url: str) -> None:
    """Create the estate in the account behind `endpoint_url` (the demo's moto server)."""
    _roles(session, endpoint_url)
    fraud_role, recs_role, sandbox_role = "acme-fraud-sagemaker-execution", "acme-recs-sagemaker-execution", "acme-ds-notebook-role"

    east = Region(session, endpoint_url, "us-east-1")
    east.bucket("acme-fraud-training-data", "kms")
    east.bucket("acme-fraud-model-artifacts", "kms")
    east.bucket("acme-fraud-data-capture", "s3")
    east.bucket("acme-churn-legacy", None)
    fraud_versions = east.registry_group("fraud-detection", ["Rejected", "Approved", "PendingManualApproval"])
    east.registry_group("churn-prediction", ["PendingManualApproval"])
    east.model("fraud-xgb-v7", fraud_role, {"ModelPackageName": fraud_versions[1]}, in_vpc=True)
    east.model(
        "churn-legacy-2019",
        sandbox_role,
        {"Image": east.image("churn:2019"), "ModelDataUrl": "s3://acme-churn-legacy/models/churn-2019.tar.gz"},
        in_vpc=False,
    )
    east.endpoint("fraud-scoring", "fraud-xgb-v7", "ml.m5.xlarge", instances=2, kms=True,
                  capture_uri="s3://acme-fraud-data-capture/fraud-scoring/")
    east.endpoint("fraud-scoring-shadow", "fraud-xgb-v7", instance_type=None)
    east.endpoint("churn-scoring-legacy", "churn-legacy-2019", "ml.m4.xlarge")
    east.monitor("fraud-scoring-data-quality", "fraud-scoring", "DataQuality", fraud_role, "s3://acme-fraud-model-artifacts/monitoring/")
    east.monitor("fraud-scoring-model-quality", "fraud-scoring", "ModelQuality", fraud_role, "s3://acme-fraud-model-artifacts/monitoring/")
    east.autoscaling("fraud-scoring", 2, 6)
    east.notebook("fraud-research", fraud_role, locked_down=True, root_access="Disabled")
    east.notebook("intern-sandbox", sandbox_role, locked_down=False)
    east.training_job("fraud-xgb-train-2026-11", fraud_role, "s3://acme-fraud-training-data/2026-11/",
                      "s3://acme-fraud-model-artifacts/training/", checkpoint_uri="s3://acme-fraud-model-artifacts/checkpoints/")
    east.training_job("churn-retrain-2026-10", sandbox_role, "s3://acme-churn-legacy/data/", "s3://acme-churn-legacy/output/")

    west = Region(session, endpoint_url, "eu-west-1")
    west.bucket("acme-recs-features-eu", "kms")
    west.registry_group("recs-ranking", ["Approved", "Approved"])
    west.registry_group("recs-experimental", [])
    west.model(
        "recs-ranker-v3",
        recs_role,
        {"Image": west.image("recs-ranker:3"), "ModelDataUrl": "s3://acme-recs-features-eu/models/ranker-v3.tar.gz"},
        in_vpc=True,
    )
    west.endpoint("recs-ranking", "recs-ranker-v3", "ml.g4dn.xlarge", instances=2)
    west.monitor("recs-ranking-data-quality", "recs-ranking", "DataQuality", recs_role, "s3://acme-recs-features-eu/monitoring/", stopped=True)
    west.autoscaling("recs-ranking", 2, 2)
    west.notebook("recs-exploration", recs_role, locked_down=True, root_access="Enabled")
    west.training_job("recs-ranker-train-2026-11", recs_role, "s3://acme-recs-features-eu/training/", "s3://acme-recs-features-eu/models/")
