"""mlaudit as users get it: the installed `mlaudit` command, and a wheel whose built-in checks and templates load
exactly as they do from this checkout."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINT = Path(sys.executable).parent / "mlaudit"


def test_installed_entry_point_scans_the_demo(tmp_path: Path) -> None:
    completed = subprocess.run(
        [str(ENTRY_POINT), "scan", "--demo", "--output-dir", str(tmp_path), "--fail-on", "none"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert completed.returncode == 0, completed.stderr
    assert "\x1b[" not in completed.stdout, "plain output when stdout is not a terminal"
    assert json.loads((tmp_path / "mlaudit.json").read_text())["findings"]
    assert (tmp_path / "mlaudit.html").exists()


def test_wheel_ships_checks_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    [wheel] = list((tmp_path / "dist").glob("mlaudit-*.whl"))
    venv.EnvBuilder(with_pip=False).create(tmp_path / "venv")
    target = tmp_path / "venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    # The wheel's own dependencies come from this test environment; mlaudit itself only from the new venv.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(site.getsitepackages())}
    python = str(tmp_path / "venv" / "bin" / "python")

    listed = subprocess.run(
        [python, "-m", "mlaudit", "list-checks", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    where = subprocess.run(
        [
            python,
            "-c",
            "import mlaudit, importlib.resources as r; print(mlaudit.__file__); print(sorted(p.name for p in r.files('mlaudit.templates').iterdir()))",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )

    here = subprocess.run(
        [sys.executable, "-m", "mlaudit", "list-checks", "--format", "json"], capture_output=True, text=True, check=True
    )
    assert json.loads(listed.stdout) == json.loads(here.stdout)
    module_path, templates = where.stdout.splitlines()
    assert module_path.startswith(str(target))
    assert {"report.html.j2", "report.css", "report.js"} <= set(eval(templates))  # noqa: S307 - our own printed list


def test_every_package_is_listed_for_the_wheel() -> None:
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src").rglob("__init__.py")}
    assert found | {"mlaudit.checks", "mlaudit.templates"} == listed
