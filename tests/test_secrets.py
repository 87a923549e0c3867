"""Secret recognition used by collectors to keep secrets out of the inventory."""

from __future__ import annotations

import pytest

from mlaudit.secrets import SecretHit, scan_text, variable_kind

AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("AWS_ACCESS_KEY_ID", AWS_KEY, "aws-access-key-id"),
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET, "secret-named-variable"),
        ("DB_PASSWORD", "hunter2-prod", "secret-named-variable"),
        ("HF", "hf_" + "a" * 34, "huggingface-token"),
        ("DATABASE_URL", "postgres://app:s3cr3tpw@db:5432/x", "url-with-password"),
        ("OPENAI", "sk-" + "b" * 40, "openai-api-key"),
    ],
)
def test_secret_variables(name: str, value: str, kind: str) -> None:
    assert variable_kind(name, value) == kind


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MODEL_NAME", "xgboost"),
        ("SAGEMAKER_PROGRAM", "inference.py"),
        ("DB_PASSWORD", "${DB_PASSWORD}"),
        ("API_KEY_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:api"),
        ("TOKEN_TTL", ""),
    ],
)
def test_ordinary_variables(name: str, value: str) -> None:
    assert variable_kind(name, value) is None


def test_script_hits_carry_line_and_kind_only() -> None:
    script = "\n".join(
        [
            "#!/bin/bash",
            "set -e",
            f"export AWS_ACCESS_KEY_ID={AWS_KEY}",
            "pip install -r requirements.txt",
            'export DB_PASSWORD="hunter2-prod"',
            "echo $DB_PASSWORD",
            "-----BEGIN RSA PRIVATE KEY-----",
        ]
    )
    assert scan_text(script) == [
        SecretHit(3, "aws-access-key-id"),
        SecretHit(5, "secret-named-variable"),
        SecretHit(7, "private-key"),
    ]


def test_aws_configure_set_is_read_like_an_assignment() -> None:
    script = "\n".join(
        [
            "aws configure set region eu-west-1",
            f"aws configure set aws_secret_access_key {AWS_SECRET}",
            "aws configure set aws_session_token $(cat /tmp/token)",
            "git config --global credential.helper store",
        ]
    )
    assert scan_text(script) == [SecretHit(2, "secret-named-variable")]
