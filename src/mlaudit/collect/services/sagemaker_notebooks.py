"""Lifecycle configurations of notebook instances, described by name: only those that notebooks reference.

The scripts (base64 in the API) are decoded, read and dropped here: the record keeps the secret-looking lines
(script, line number, kind) and whether the OnStart script stops the notebook when idle, never the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import DescribeNamed
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.core.secrets import scan_text, script_text
from mlaudit.inventory import Identity, NotebookInstance
from mlaudit.inventory.sagemaker_notebooks import NotebookLifecycleConfig, ScriptSecret

SCRIPTS = ("OnCreate", "OnStart")

_AUTO_STOP = re.compile(r"auto-?stop|idle[_-]?time|stop[-_]notebook[-_]instance|StopNotebookInstance", re.I)
"""What an idle-shutdown script says: AWS's auto-stop-idle sample (autostop.py, IDLE_TIME) or its own call to
StopNotebookInstance. The OnStart script must install it: a notebook's root volume, and so its crontab, is
rebuilt at every start."""


_COMMENT = re.compile(r"(^|\s)#.*$")


def _installs_auto_stop(script: str) -> bool:
    """Whether a shell script's commands (not its comments: "# TODO: add autostop" stops nothing) install or
    call an idle stop."""
    return any(_AUTO_STOP.search(_COMMENT.sub("", line)) for line in script.splitlines() if not line.startswith("#!"))


def _scripts(d: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for script in SCRIPTS:
        for hook in d.get(script) or ():
            yield script, script_text((hook or {}).get("Content") or "")


def _lifecycle_config(
    identity: Identity, d: dict[str, Any], notebooks: list[NotebookInstance]
) -> NotebookLifecycleConfig:
    scripts = list(_scripts(d))
    return NotebookLifecycleConfig(
        **identity,
        used_by=tuple(sorted(notebook.name for notebook in notebooks)),
        secrets=tuple(
            ScriptSecret(script=script, line=hit.line, kind=hit.kind)
            for script, text in scripts
            for hit in scan_text(text)
        ),
        stops_when_idle=any(script == "OnStart" and _installs_auto_stop(text) for script, text in scripts),
        creation_time=d.get("CreationTime"),
    )


COLLECTORS = (
    PartCollector(
        NotebookLifecycleConfig,
        DescribeNamed(
            (NotebookInstance,),
            lambda notebook: [notebook.lifecycle_config_name],
            Operation("sagemaker:DescribeNotebookInstanceLifecycleConfig"),
            "NotebookInstanceLifecycleConfigName",
            _lifecycle_config,
        ),
    ),
)
