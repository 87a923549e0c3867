"""The estate of the foundation issue: a payments company's ML platform in two regions.

In us-east-1 the fraud-detection team runs a well-kept endpoint (registry-approved model in a VPC, KMS, data
capture, Model Monitor, autoscaling) beside a neglected legacy churn model and an intern's sandbox notebook. In
eu-west-1 the recommendations team has done half the work: its monitor is stopped and its autoscaling cannot
scale.
"""

from __future__ import annotations

from mlaudit.demo.estate.base import FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE, Estate

SCOPED_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::acme-*/*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"},
    ],
}


def seed(estate: Estate) -> None:
    """The issue-2 estate: roles, buckets, registry, models, endpoints, monitoring, scaling, notebooks, training."""
    for name in (FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE):
        estate.create_role(name, SCOPED_POLICY)
    estate.iam().attach_role_policy(
        RoleName=SANDBOX_ROLE, PolicyArn="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
    )

    east = estate.east
    east.bucket("acme-fraud-training-data", "kms")
    east.bucket("acme-fraud-model-artifacts", "kms")
    east.bucket("acme-fraud-data-capture", "s3")
    east.bucket("acme-churn-legacy", None)
    fraud_versions = east.registry_group("fraud-detection", ["Rejected", "Approved", "PendingManualApproval"])
    east.registry_group("churn-prediction", ["PendingManualApproval"])
    east.model("fraud-xgb-v7", FRAUD_ROLE, {"ModelPackageName": fraud_versions[1]}, in_vpc=True)
    east.model(
        "churn-legacy-2019",
        SANDBOX_ROLE,
        {"Image": east.image("churn:2019"), "ModelDataUrl": "s3://acme-churn-legacy/models/churn-2019.tar.gz"},
        in_vpc=False,
    )
    east.endpoint(
        "fraud-scoring",
        "fraud-xgb-v7",
        "ml.m5.xlarge",
        instances=2,
        kms=True,
        capture_uri="s3://acme-fraud-data-capture/fraud-scoring/",
    )
    east.endpoint("fraud-scoring-shadow", "fraud-xgb-v7", instance_type=None)
    east.endpoint("churn-scoring-legacy", "churn-legacy-2019", "ml.m4.xlarge")
    east.monitor(
        "fraud-scoring-data-quality",
        "fraud-scoring",
        "DataQuality",
        FRAUD_ROLE,
        "s3://acme-fraud-model-artifacts/monitoring/",
    )
    east.monitor(
        "fraud-scoring-model-quality",
        "fraud-scoring",
        "ModelQuality",
        FRAUD_ROLE,
        "s3://acme-fraud-model-artifacts/monitoring/",
    )
    east.autoscaling("fraud-scoring", 2, 6)
    east.notebook("fraud-research", FRAUD_ROLE, locked_down=True, root_access="Disabled")
    east.notebook("intern-sandbox", SANDBOX_ROLE, locked_down=False)
    east.training_job(
        "fraud-xgb-train-2026-11",
        FRAUD_ROLE,
        "s3://acme-fraud-training-data/2026-11/",
        "s3://acme-fraud-model-artifacts/training/",
        checkpoint_uri="s3://acme-fraud-model-artifacts/checkpoints/",
    )
    east.training_job(
        "churn-retrain-2026-10", SANDBOX_ROLE, "s3://acme-churn-legacy/data/", "s3://acme-churn-legacy/output/"
    )

    west = estate.west
    west.bucket("acme-recs-features-eu", "kms")
    west.registry_group("recs-ranking", ["Approved", "Approved"])
    west.registry_group("recs-experimental", [])
    west.model(
        "recs-ranker-v3",
        RECS_ROLE,
        {"Image": west.image("recs-ranker:3"), "ModelDataUrl": "s3://acme-recs-features-eu/models/ranker-v3.tar.gz"},
        in_vpc=True,
    )
    west.endpoint("recs-ranking", "recs-ranker-v3", "ml.g4dn.xlarge", instances=2)
    west.monitor(
        "recs-ranking-data-quality",
        "recs-ranking",
        "DataQuality",
        RECS_ROLE,
        "s3://acme-recs-features-eu/monitoring/",
        stopped=True,
    )
    west.autoscaling("recs-ranking", 2, 2)
    west.notebook("recs-exploration", RECS_ROLE, locked_down=True, root_access="Enabled")
    west.training_job(
        "recs-ranker-train-2026-11",
        RECS_ROLE,
        "s3://acme-recs-features-eu/training/",
        "s3://acme-recs-features-eu/models/",
    )
