"""Regenerate the files derived from the code (report JSON Schema, docs/checks.md, the README's check table). Tests fail when they are stale.

python scripts/regenerate.py
"""

from __future__ import annotations

from pathlib import Path

from mlaudit.catalog.generated import GENERATED

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    for relative, produce in GENERATED.items():
        path = ROOT / relative
        path.write_text(produce(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")
        print(f"wrote {relative}")
