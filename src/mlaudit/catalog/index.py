"""The built-in checks' metadata as a generated file, `checks/index.json`, for commands that only describe checks.

Loading the catalog imports every check and so every inventory model (pydantic), which is most of a second of
start-up; `mlaudit list-checks` reads this index instead and answers at once. Plug-ins (an entry point or
`--checks-dir`) have no index: when there are any, the whole catalog is loaded. `scripts/regenerate.py` writes the
index and a test fails when it is stale, so the index and the code never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from mlaudit.catalog import ENTRY_POINT_GROUP

INDEX_FILE = "index.json"

CheckListing = dict[str, Any]
"""A check's metadata as `list-checks --format json` prints it (`CheckMetadata.model_dump(mode="json")`)."""


def render_index(listings: Sequence[CheckListing]) -> str:
    return json.dumps(list(listings), indent=1, sort_keys=True) + "\n"


def check_listings(checks_dirs: Sequence[Path] = ()) -> list[CheckListing]:
    """Every check's metadata: from the index when only built-in checks exist, else from the loaded catalog."""
    if not checks_dirs and not entry_points(group=ENTRY_POINT_GROUP):
        return json.loads(resources.files("mlaudit.checks").joinpath(INDEX_FILE).read_text(encoding="utf-8"))
    from mlaudit.catalog.loader import load_catalog

    return [c.metadata.model_dump(mode="json") for c in load_catalog(checks_dirs).checks]
