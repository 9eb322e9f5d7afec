#!/usr/bin/env bash
# Install everything the test suite needs and run it (pytest). Used by README and .ci/run.
#   bash scripts/test.sh            # the whole suite
#   bash scripts/test.sh -k warm    # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's chromium through chromedriver.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "note: browser tests will be skipped; install them with: sudo apt-get install chromium chromium-driver"
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
