"""SM-IMAGE-001 against custom SageMaker images created in moto (with mlaudit's extension for images, which moto
lacks)."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts


def test_images_say_what_they_are_for(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_image(
        ImageName="pass-described", RoleArn=ROLE_ARN, Description="PyTorch 2.5 with the fraud team's feature library"
    )
    sagemaker.create_image(ImageName="fail-undescribed", RoleArn=ROLE_ARN, DisplayName="Team image")
    sagemaker.create_image(ImageName="fail-blank", RoleArn=ROLE_ARN, Description="   ")

    report = scan(aws, ["SM-IMAGE-001"])

    assert verdicts(report, "SM-IMAGE-001") == {
        "pass-described": Status.PASS,
        "fail-undescribed": Status.FAIL,
        "fail-blank": Status.FAIL,
    }


def test_images_that_cannot_be_listed_are_an_error(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_image(ImageName="kernel", RoleArn=ROLE_ARN)
    refuse(aws, "sagemaker", "ListImages")

    report = scan(aws, ["SM-IMAGE-001"])

    assert verdicts(report, "SM-IMAGE-001") == {"all SageMaker images": Status.ERROR}
    assert "ListImages" in report.findings[0].status_detail
