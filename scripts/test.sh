#!/usr/bin/env bash
# Runs every GovWatch test. Installs the Debian and PyPI packages the tests need when they
# are missing and this runs as root (scripts/install-test-deps.sh; nothing is fetched when
# all is present), starts a throwaway PostgreSQL cluster on a free loopback port for the
# store tests (they also run on SQLite), runs `swift test`, then the Python tests in
# tests/python/ (the browser walk-through and schemathesis against a real `govwatch serve`,
# using the debug binary built here), and stops the cluster. Any failure fails the script.
# Extra arguments go to `swift test` (e.g. --filter GovWatchStoreTests); with arguments the
# Python tests are not run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh

. scripts/throwaway-postgres.sh
if throwaway_postgres_available; then
  start_throwaway_postgres
  export GOVWATCH_TEST_POSTGRES_URL="$THROWAWAY_POSTGRES_URL"
  echo "test.sh: PostgreSQL $THROWAWAY_POSTGRES_VERSION on 127.0.0.1:$THROWAWAY_POSTGRES_PORT"
elif [ -n "${CI:-}" ]; then
  echo "test.sh: PostgreSQL is required in CI but /usr/lib/postgresql/*/bin/initdb is missing" >&2
  exit 1
else
  echo "test.sh: no PostgreSQL found; the PostgreSQL store tests will be skipped"
fi

swift build --build-tests
swift test --skip-build "$@"

if [ $# -eq 0 ]; then
  if command -v python3 >/dev/null 2>&1 && python3 -c "import pytest" >/dev/null 2>&1; then
    # -rs prints why a test was skipped; in CI (`CI` set) a missing tool fails instead.
    GOVWATCH_BIN="$PWD/.build/debug/govwatch" python3 -m pytest -rs -p no:cacheprovider tests/python
  elif [ -n "${CI:-}" ]; then
    echo "test.sh: python3 with pytest is required in CI for tests/python" >&2
    exit 1
  else
    echo "test.sh: no python3 with pytest; the tests in tests/python are skipped"
  fi
fi
