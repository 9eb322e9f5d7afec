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

# Neo4j tests run against a real Neo4j 5.26 the suite starts itself (tests/neo4j_server):
# it needs a JDK 17+ and Maven; the first build downloads Neo4j from Maven Central into ~/.m2.
if ! command -v javac >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  else
    echo "note: Neo4j tests will be skipped; install a JDK and Maven: sudo apt-get install openjdk-17-jdk-headless maven"
  fi
fi
if command -v javac >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
  bash scripts/neo4j-test-server.sh build >/dev/null
  # Every Neo4j test must run: a server that cannot start is a failure, not a skip.
  export MAPPER_TEST_NEO4J=required
fi

# ---- Aan de slag (#18): the report PDFs are made by WeasyPrint, which needs Debian's Pango
# libraries (and a font). Without them the PDF tests are skipped with that reason.
if ! { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libpangoft2-1.0.so.0'; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
  else
    echo "note: report PDF tests will be skipped; install Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
  fi
fi
# ---- end Aan de slag

# ---- Accessibility (#15): axe-core from the npm registry, pinned with its lock file
# (tests/axe/package.json, package-lock.json), for tests/browser/test_a11y_browser.py, which injects it
# into the pages itself. Needs node and npm; without them the axe test is skipped with that reason.
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error >/dev/null
else
  echo "note: accessibility (axe) tests will be skipped; install node and npm: sudo apt-get install nodejs npm"
fi
# ---- end Accessibility

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# The lint and type gate: a lint, format or type error fails the run before any test.
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
