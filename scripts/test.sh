#!/usr/bin/env bash
# Install what the test suite needs, check the code, then run the suite on every core (extra arguments go to pytest):
# Debian's chromium for the browser tests (when missing, and when this machine can install it), a virtual
# environment .venv with mlaudit and its test dependencies, then ruff (lint and format) and mypy, each failing the
# run on any finding, then pytest (pytest-xdist, a test file per worker at a time, since moto's state is per process).
set -euo pipefail
cd "$(dirname "$0")/.."
chromium="${MLAUDIT_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium: install it (Debian: apt-get install chromium) or set MLAUDIT_CHROMIUM" >&2
    exit 2
  fi
fi
python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
echo "+ ruff check"; .venv/bin/ruff check src checks tests bench scripts
echo "+ ruff format --check"; .venv/bin/ruff format --check src checks tests bench scripts
echo "+ mypy"; .venv/bin/mypy
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
