#!/usr/bin/env bash
# The web platform under load (issue 14): `govwatch serve` (release build) on a city of 100
# units with 1,000,000 findings and 50,000 tickets, on SQLite and on PostgreSQL; wrk with 32
# connections against the ticket list page, the ticket list API, a site's page and the
# overview, beside nginx serving a static file of the same size on the same machine (the
# ceiling). Then serve's RSS every minute over a SOAK-second run on the same four pages.
# Writes benchmarks/results/web.md (and web-raw.txt beside it).
#
#   bash benchmarks/web.sh                 # GOVWATCH_BIN=path uses that binary instead of building
#   BACKENDS=sqlite DURATION=10 SOAK=0 VARIANTS=0 bash benchmarks/web.sh   # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-30}
warmup=${WARMUP:-10}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
soak=${SOAK:-300}
backends=${BACKENDS:-sqlite postgres}
soak_backends=${SOAK_BACKENDS:-$backends}
port=${PORT:-18190}
nginx_port=${NGINX_PORT:-18191}
label=${LABEL:-}
raw_out=${RAW_OUT:-benchmarks/results/web-raw.txt}
# 1: also measure the targets under a write a second, and without the page cache.
variants=${VARIANTS:-1}

# wrk and nginx are the benchmark's own tools, not the tests': installed here when missing.
missing=""
command -v wrk >/dev/null || missing="$missing wrk"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing="$missing nginx"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y $missing >/dev/null
  else
    echo "web.sh: missing$missing (apt-get install -y$missing)" >&2
    exit 2
  fi
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

if [ -n "${GOVWATCH_BIN:-}" ]; then
  bin=$GOVWATCH_BIN
else
  timeout 3600 swift build -c release --scratch-path .build-release --product govwatch >/dev/null
  bin=$(swift build -c release --scratch-path .build-release --show-bin-path)/govwatch
fi

. scripts/throwaway-postgres.sh  # for as_pg and pg_bin
work=$(mktemp -d /tmp/govwatch-bench-web.XXXXXX)
chmod 755 "$work"  # nginx workers (www-data) read the static file in it
serve_pid=""
pg_data=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "$pg_data" ] && as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
  [ -f "$work/wrk.log" ] && cp "$work/wrk.log" /tmp/govwatch-bench-web-wrk.log
  rm -rf "$work"
}
trap cleanup EXIT

# --- The generated city, cached while the generator is unchanged -----------------------------
key=$(cat benchmarks/web/generate_db.py | sha256sum | cut -c1-12)
cache=/tmp/govwatch-bench-web-$key
mkdir -p "$cache"
chmod 755 "$cache"
if [ ! -f "$cache/demo.done" ]; then
  # The text of findings and tickets is taken from what the product stores for the sample city.
  rm -rf "$cache/demo"
  timeout 1800 "$bin" demo --no-serve --output "$cache/demo" >"$cache/demo.log" 2>&1
  touch "$cache/demo.done"
fi
if [[ " $backends " == *" sqlite "* ]] && [ ! -f "$cache/sqlite.done" ]; then
  rm -f "$cache"/city.sqlite*
  start=$(date +%s.%N)
  # The schema is the product's: `users add` opens the new file and runs every migration.
  "$bin" users add admin --role admin --db "sqlite://$cache/city.sqlite" >/dev/null
  python3 benchmarks/web/generate_db.py --template "$cache/demo/govwatch.sqlite" --sqlite "$cache/city.sqlite" \
    | tee "$cache/sqlite.counts"
  sqlite3 "$cache/city.sqlite" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  echo "$(date +%s.%N) $start" | awk '{printf "%.0f\n", $1 - $2}' >"$cache/sqlite.seconds"
  touch "$cache/sqlite.done"
fi

pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_url() { echo "postgres://postgres@127.0.0.1:$pg_port/$1?sslmode=disable"; }
pg_psql() { as_pg psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
if [[ " $backends " == *" postgres "* ]]; then
  throwaway_postgres_available || { echo "web.sh: PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 2; }
  # A cluster of its own in the cache (fsync off, as the tests' throwaway cluster), holding the
  # generated city as `city_seed`; each run works on a copy (CREATE DATABASE … TEMPLATE).
  if [ ! -f "$cache/pg.done" ]; then
    rm -rf "$cache/pg"
    mkdir -p "$cache/pg" "$cache/copy"
    [ "$(id -u)" = 0 ] && chown postgres "$cache/pg"
    as_pg "$pg_bin/initdb" -D "$cache/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$cache/pg/initdb.log"
  fi
  pg_data=$cache/pg/data
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$cache/pg/server.log" \
    -o "-p $pg_port -k $cache/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  if [ ! -f "$cache/pg.done" ]; then
    start=$(date +%s.%N)
    pg_psql -c "CREATE DATABASE city_seed" postgres
    "$bin" users add admin --role admin --db "$(pg_url city_seed)" >/dev/null
    python3 benchmarks/web/generate_db.py --template "$cache/demo/govwatch.sqlite" --copy-dir "$cache/copy" \
      | tee "$cache/pg.counts"
    pg_psql -f "$cache/copy/load.sql" city_seed >/dev/null
    pg_psql -c "VACUUM ANALYZE" city_seed
    rm -rf "$cache/copy"
    echo "$(date +%s.%N) $start" | awk '{printf "%.0f\n", $1 - $2}' >"$cache/pg.seconds"
    touch "$cache/pg.done"
  fi
fi

# --- nginx: the ceiling ------------------------------------------------------------------------
mkdir -p "$work/static" "$work/nginx"
cat >"$work/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
daemon on;
events { worker_connections 1024; }
http {
    access_log off;
    default_type text/html;
    sendfile on;
    keepalive_requests 100000;
    keepalive_timeout 60s;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server { listen 127.0.0.1:$nginx_port; root $work/static; }
}
EOF

raw=$work/raw.txt
: >"$raw"
# One wrk run: prints "requests_per_s p50_ms p99_ms non2xx errors".
measure() {  # url [header]
  local url=$1 out
  shift
  wrk -t"$threads" -c"$connections" -d"${warmup}s" "$@" "$url" >/dev/null
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" "$url")
  echo "$out" >>"$work/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
errors = sum(int(x) for x in m.groups()) if (m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)) else 0
print(f"{rps:.1f} {p50:.2f} {p99:.2f} {non2xx} {errors}")
PY
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

for backend in $backends; do
  case $backend in
    sqlite)
      cp "$cache/city.sqlite" "$work/city.sqlite"
      db="sqlite://$work/city.sqlite"
      ;;
    postgres)
      pg_psql -c "DROP DATABASE IF EXISTS city_run" -c "CREATE DATABASE city_run TEMPLATE city_seed" postgres
      db=$(pg_url city_run)
      ;;
  esac
  token=$("$bin" users token admin --name web.sh --db "$db" | grep -o 'gw_[A-Za-z0-9_-]*')
  auth="Authorization: Bearer $token"
  "$bin" serve --port "$port" --inspection-lanes 0 --db "$db" >"$work/serve-$backend.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  base="http://127.0.0.1:$port"
  # The site with the most findings in the latest run: the heaviest site page.
  site=$(case $backend in
      sqlite) sqlite3 "$work/city.sqlite" "SELECT target_code FROM findings WHERE run_id = (SELECT MAX(id) FROM inspection_runs) AND target_kind = 'site' GROUP BY target_code ORDER BY COUNT(*) DESC LIMIT 1" ;;
      postgres) pg_psql -At -c "SELECT target_code FROM findings WHERE run_id = (SELECT MAX(id) FROM inspection_runs) AND target_kind = 'site' GROUP BY target_code ORDER BY COUNT(*) DESC LIMIT 1" city_run ;;
    esac)
  targets=("tickets-page /tickets" "tickets-api /api/v1/tickets" "site-page /sites/$site" "overview /")
  # The ceiling serves the ticket list page's own bytes.
  curl -sf -H "$auth" "$base/tickets" >"$work/static/tickets.html"
  "$nginx_bin" -c "$work/nginx.conf"
  for _ in $(seq 50); do [ -f "$work/nginx.pid" ] && break; sleep 0.1; done
  for target in "${targets[@]}"; do
    set -- $target
    code=$(curl -s -o "$work/page.out" -w '%{http_code}' -H "$auth" "$base$2")
    [ "$code" = 200 ] || { echo "web.sh: $2 answered $code" >&2; cat "$work/page.out" >&2; exit 1; }
    bytes=$(wc -c <"$work/page.out")
    # The same request once more with timing alone (a single request, no load).
    single=$(curl -s -o /dev/null -w '%{time_total}' -H "$auth" "$base$2")
    echo "$backend $1 $2 $bytes $single $(measure "$base$2" -H "$auth")" | tee -a "$raw"
  done
  echo "$backend nginx /tickets.html $(wc -c <"$work/static/tickets.html") 0 $(measure "http://127.0.0.1:$nginx_port/tickets.html")" \
    | tee -a "$raw"
  kill "$(cat "$work/nginx.pid")"
  rm -f "$work/nginx.pid"

  if [ "$variants" = 1 ]; then
    # The same targets while the office dismisses a ticket every second through the API: every
    # write moves the tickets' version, so the cached ticket lists and the overview are computed
    # again at that rate (the site page does not read tickets and stays cached).
    open_tickets=$(case $backend in
        sqlite) sqlite3 "$work/city.sqlite" "SELECT id FROM tickets WHERE state = 'open' ORDER BY id LIMIT 2000" ;;
        postgres) pg_psql -At -c "SELECT id FROM tickets WHERE state = 'open' ORDER BY id LIMIT 2000" city_run ;;
      esac)
    (
      for id in $open_tickets; do
        code=$(printf 'T-%06d' "$id")
        curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "$auth" -H 'Content-Type: application/json' \
          -d '{"reason":"web.sh: 测试写入"}' "$base/api/v1/tickets/$code/dismiss" >>"$work/writes-$backend.txt"
        sleep 1
      done
    ) &
    writer_pid=$!
    for target in "${targets[@]}"; do
      set -- $target
      echo "$backend $1@writes $2 0 0 $(measure "$base$2" -H "$auth")" | tee -a "$raw"
    done
    kill "$writer_pid" 2>/dev/null || true
    wait "$writer_pid" 2>/dev/null || true
    echo "$backend writes $(grep -c '^200$' "$work/writes-$backend.txt" || true) $(grep -vc '^200$' "$work/writes-$backend.txt" || true)" \
      | tee -a "$raw"
  fi

  if [ "$soak" -gt 0 ] && [[ " $soak_backends " == *" $backend "* ]]; then
    # The four pages in turn for SOAK seconds; serve's RSS before the load and every minute.
    cat >"$work/rotate.lua" <<EOF
paths = {"/tickets", "/api/v1/tickets", "/sites/$site", "/"}
n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
EOF
    echo "$backend rss 0 $(rss_kib "$serve_pid")" | tee -a "$raw"
    wrk -t"$threads" -c"$connections" -d"${soak}s" -s "$work/rotate.lua" -H "$auth" "$base" >"$work/soak-$backend.txt" &
    soak_pid=$!
    for minute in $(seq $((soak / 60))); do
      sleep 60
      echo "$backend rss $minute $(rss_kib "$serve_pid")" | tee -a "$raw"
    done
    wait "$soak_pid"
    echo "$backend soak $(awk '/Requests\/sec/ {print $2}' "$work/soak-$backend.txt") $(grep -c . "$work/serve-$backend.log")" \
      | tee -a "$raw"
  fi
  if [ "$variants" = 1 ]; then
    # Without the cache (server.page_cache_mib 0): what computing each page costs.
    kill "$serve_pid"
    wait "$serve_pid" 2>/dev/null || true
    GOVWATCH_SERVER_PAGE_CACHE_MIB=0 "$bin" serve --port "$port" --inspection-lanes 0 --db "$db" >"$work/serve-$backend-nocache.log" 2>&1 &
    serve_pid=$!
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
    for target in "${targets[@]}"; do
      set -- $target
      single=$(curl -s -o /dev/null -w '%{time_total}' -H "$auth" "$base$2")
      echo "$backend $1@nocache $2 0 $single $(measure "$base$2" -H "$auth")" | tee -a "$raw"
    done
  fi
  kill "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=""
  [ "$backend" = postgres ] && pg_psql -c "DROP DATABASE city_run" postgres
done

mkdir -p benchmarks/results
{
  echo "# run ${label:-$(date -u +%FT%TZ)} bin=$bin load=$(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$raw"
} >>"$raw_out"
# Into a new file first: a redirect would empty web.md before report.py reads its hand-written analysis.
python3 benchmarks/web/report.py "$raw_out" "$cache" >benchmarks/results/web.md.new
mv benchmarks/results/web.md.new benchmarks/results/web.md
echo "web.sh: wrote benchmarks/results/web.md"
