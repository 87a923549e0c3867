"""Writing report files: atomically (a reader never sees half a file) and readable by the owner only, since a
report lists an account's weaknesses."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mlaudit.errors import UserError

REPORT_FILE_MODE = 0o600


def prepare_directory(directory: Path) -> Path:
    """Create the output directory if needed and prove it is writable, before any scanning starts."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".mlaudit-probe-"):
            pass
    except OSError as exc:
        raise UserError(f"cannot write reports to {directory}: {exc.strerror or exc}") from exc
    return directory


def write_atomic(path: Path, content: str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` (existing reports are replaced)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(temporary, REPORT_FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
