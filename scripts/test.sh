#!/usr/bin/env bash
# Runs every GovWatch test. Starts a throwaway PostgreSQL cluster on a free loopback port
# for the store tests (they also run on SQLite), runs `swift test`, and stops the cluster.
# Extra arguments go to `swift test` (e.g. --filter GovWatchStoreTests).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
pg_dir=""
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
as_pg() {
  # initdb refuses to run as root: run the cluster as the postgres user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; then
  pg_dir=$(mktemp -d /tmp/govwatch-pg.XXXXXX)
  trap stop_postgres EXIT
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log"
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/server.log" \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export GOVWATCH_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  echo "test.sh: PostgreSQL $($pg_bin/postgres --version | awk '{print $3}') on 127.0.0.1:$port"
elif [ -n "${CI:-}" ]; then
  echo "test.sh: PostgreSQL is required in CI but /usr/lib/postgresql/*/bin/initdb is missing" >&2
  exit 1
else
  echo "test.sh: no PostgreSQL found; the PostgreSQL store tests will be skipped"
fi

swift build --build-tests
swift test --skip-build "$@"
