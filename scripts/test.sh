#!/usr/bin/env bash
# Runs every GovWatch test. Installs the Debian and PyPI packages the tests need when they
# are missing and this runs as root (scripts/install-test-deps.sh; nothing is fetched when
# all is present), starts a throwaway PostgreSQL cluster on a free loopback port for the
# store tests (they also run on SQLite), runs `swift test`, and stops the cluster.
# Extra arguments go to `swift test` (e.g. --filter GovWatchStoreTests).
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
