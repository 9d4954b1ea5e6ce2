#!/usr/bin/env bash
# Set up PeaceOps in ./.venv and run the demo: SQLite, the scenario loaded, the web UI on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/peaceops demo "$@"
