"""A headless Chromium (Debian's package) driven by Playwright, for tests that need a real DOM."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = os.environ.get("MLAUDIT_CHROMIUM", "/usr/bin/chromium")
# Without these flags Chromium tries to reach Google's services at start, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package (scripts/test.sh does)"
        )
    return CHROMIUM
