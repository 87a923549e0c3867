"""The inventory is typed and serialisable: a snapshot round-trips losslessly and evaluates identically."""

from __future__ import annotations

import json

import boto3

from mlaudit.catalog.loader import load_catalog
from mlaudit.evaluate import evaluate
from mlaudit.inventory import RECORD_TYPES, Inventory, InventorySnapshot
from mlaudit.scan import ScanOptions, run_scan
from support import create_endpoint, create_model, refuse


def test_snapshot_round_trip_is_lossless(aws: boto3.Session) -> None:
    create_model(aws, "m", in_vpc=True, Image="img:1", ModelDataUrl="s3://artefacts/m.tar.gz")
    create_endpoint(aws, "e", "m", KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/k")
    aws.client("s3").create_bucket(Bucket="artefacts")
    aws.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
    )
    refuse(aws, "application-auto-scaling")
    result = run_scan(ScanOptions(session=aws, regions=["us-east-1", "eu-west-1"]))
    original = result.inventory

    text = original.to_snapshot("test").model_dump_json()
    restored = Inventory.from_snapshot(InventorySnapshot.model_validate(json.loads(text)), RECORD_TYPES)

    assert restored.to_snapshot("test").model_dump_json() == text
    assert restored.errors and restored.errors == original.errors
    for record_type in RECORD_TYPES:
        assert list(restored.all_records(record_type)) == list(original.all_records(record_type))
    checks = load_catalog(include_entry_points=False).checks
    assert list(evaluate(checks, restored)) == list(evaluate(checks, original))
