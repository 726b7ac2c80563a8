# Sourced by scripts/test.sh and benchmarks/queue.sh: `start_throwaway_postgres` starts a
# PostgreSQL cluster in a temporary folder on a free loopback port (trust authentication,
# fsync off: it holds nothing worth keeping) and sets THROWAWAY_POSTGRES_URL (call it outside
# an `if`, so `set -e` stops the script when initdb fails). `throwaway_postgres_available`
# says whether PostgreSQL is installed. `stop_throwaway_postgres` stops and deletes the
# cluster; start registers it as the EXIT trap.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
pg_dir=""
THROWAWAY_POSTGRES_URL=""

as_pg() {
  # initdb refuses to run as root: run the cluster as the postgres user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_throwaway_postgres() {
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}

throwaway_postgres_available() {
  [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]
}

start_throwaway_postgres() {
  pg_dir=$(mktemp -d /tmp/govwatch-pg.XXXXXX)
  trap stop_throwaway_postgres EXIT
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log"
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/server.log" \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  THROWAWAY_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  THROWAWAY_POSTGRES_VERSION=$("$pg_bin/postgres" --version | awk '{print $3}')
  THROWAWAY_POSTGRES_PORT=$port
}
