"""Notebook-instance lifecycle configurations: the shell scripts a notebook runs when it is created and started.

Only the configurations that notebooks reference are collected. The scripts themselves never enter the
inventory: the collector keeps what checks need to know about them (secret-looking lines, by line number and kind,
and whether they stop the notebook when it is idle).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Value


class ScriptSecret(Value):
    """A secret-looking line of a lifecycle script: where it is and what it looks like, never its text."""

    script: str
    """OnCreate or OnStart (notebook lifecycle configurations); the app type for a Studio configuration's one
    script."""
    line: int
    """1-based line number in the decoded script."""
    kind: str
    """What the line looks like (aws-access-key-id, secret-named-variable...), from `mlaudit.core.secrets`."""


class NotebookLifecycleConfig(Record):
    part: ClassVar[str] = "sagemaker.notebook_lifecycle_config"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::NotebookInstanceLifecycleConfig"
    label: ClassVar[str] = "notebook lifecycle configurations"
    arn_resource: ClassVar[str] = "notebook-instance-lifecycle-config/{lower_id}"

    used_by: tuple[str, ...] = ()
    """Names of the notebook instances that run this configuration."""
    secrets: tuple[ScriptSecret, ...] = ()
    stops_when_idle: bool = False
    """The OnStart script installs an idle auto-stop (AWS's auto-stop-idle sample or an equivalent call to
    StopNotebookInstance), judged from its text at collection."""
    creation_time: datetime | None = None
