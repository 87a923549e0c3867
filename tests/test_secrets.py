"""Secret recognition used by collectors to keep secrets out of the inventory."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from mlaudit.cli.console import Terminal
from mlaudit.core.secrets import SecretHit, scan_text, variable_kind
from mlaudit.demo.estate.inference import FAKE_HF_TOKEN
from mlaudit.demo.estate.notebooks import EXAMPLE_ACCESS_KEY, EXAMPLE_SECRET_KEY
from mlaudit.renderers import FORMATS, RenderOptions

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
        ("HF_TOKEN", "q7Lm2vX9pR4tW8yZ", "secret-named-variable"),
        ("hfToken", "q7Lm2vX9pR4tW8yZ", "secret-named-variable"),
        ("OPENAI_API_KEY", "q7Lm2vX9pR4tW8yZ", "secret-named-variable"),
        ("apiKey", "9f8e7d6c5b4a", "secret-named-variable"),
        ("STRIPE_SECRET_KEY_2", "q7Lm2vX9pR4tW8yZ", "secret-named-variable"),
        ("CLIENT_SECRET", "q7Lm2vX9pR4tW8yZ", "secret-named-variable"),
        ("DB_PASS", "correct horse battery staple", "secret-named-variable"),
        ("MLFLOW_TRACKING_TOKEN", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtbGZsb3cifQ.c2lnbmF0dXJlLXZhbHVl", "jwt"),
        ("MODEL_CONFIG", "key=AKIA" + "Q3EGRVJYZ5ABCDEF", "aws-access-key-id"),
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


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_TOKENS", "4096"),
        ("TOKENIZER_NAME", "bert-base-uncased"),
        ("TOKENIZERS_PARALLELISM", "false"),
        ("HF_TOKENIZER_PATH", "/opt/ml/model/tokenizer"),
        ("MAX_NEW_TOKENS", "512"),
        ("PASSWORD_POLICY_URL", "https://intranet.example.com/policies/passwords"),
        ("SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
        ("SECRET_NAME", "prod/db"),
        ("DB_PASSWORD_FILE", "/run/secrets/db-password"),
        ("TOKEN_TTL", "3600"),
        ("HF_TOKEN", "$(cat /run/secrets/hf)"),
        ("API_KEY", "{{resolve:secretsmanager:prod/api}}"),
        ("AUTH_TYPE", "bearer"),
        ("PASSTHROUGH_HEADERS", "x-request-id"),
        ("BYPASS_CACHE", "yes-please"),
        ("MONKEY_PATCH", "enabled-now"),
        ("KEY_COLUMN", "customer_id"),
        ("TOKEN", "1234"),
        ("PASSWORD", "changeme"),
    ],
)
def test_near_misses_are_not_secrets(name: str, value: str) -> None:
    """Names are judged by their words, values by their shape: a tokenizer, a token count, a policy's URL and a
    Secrets Manager ARN are what an ML model's environment holds every day."""
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


def test_no_seeded_secret_reaches_any_output(demo_scan: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    """The demo seeds recognisable secrets (a lifecycle script's access keys, a model's token); every report format,
    the inventory snapshot and the terminal summary name where they are, never what they are."""
    result, _ = demo_scan
    failing = {f.check_id: f.status_detail for f in result.report.findings if f.status.value == "FAIL"}
    assert "HF_TOKEN" in failing["SM-MODEL-005"], "the demo shows the model's secret by name"
    assert "SM-NOTEBOOK-008" in failing, "the demo shows the lifecycle script's keys"

    terminal_output = io.StringIO()
    Terminal(stream=terminal_output).summary(result.report, [])
    outputs = {name: fmt.render(result.report, RenderOptions()) for name, fmt in FORMATS.items() if fmt.write}
    tree = FORMATS["ocsf-parquet"].write_tree
    assert tree is not None
    tree(result.report, RenderOptions(), tmp_path)
    outputs["ocsf-parquet"] = json.dumps([pq.read_table(p).to_pylist() for p in tmp_path.rglob("*.parquet")])
    outputs["inventory snapshot"] = result.inventory.to_snapshot("test").model_dump_json()
    outputs["terminal"] = terminal_output.getvalue()
    for secret in (EXAMPLE_ACCESS_KEY, EXAMPLE_SECRET_KEY, FAKE_HF_TOKEN):
        leaks = [
            name
            for name, text in outputs.items()
            if secret in (text if isinstance(text, str) else text.decode("utf-8", "replace"))
        ]
        assert leaks == [], f"{secret[:6]}... appears in {leaks}"
