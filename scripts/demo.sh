#!/usr/bin/env bash
# Install the app in .venv and serve the demo town at http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/mapper demo "$@"
