#!/usr/bin/env bash
# National scale, measured: a generated city of SITES government websites (default 500, a few
# hundred pages each, TRS-style portals with their own identity and size) served on loopback
# by nginx as a forward proxy with a virtual host per site; one inspection run queued on a
# throwaway PostgreSQL and drained by 1, 2 and 4 `govwatch worker` processes at the product's
# default politeness (2 connections and at most 10 requests/s per host, AutoThrottle, 4 sites
# at once, 16 requests at once per worker). Measures wall time, pages, CPU of the workers
# (getrusage via /usr/bin/time -v), of PostgreSQL and of nginx (/proc/PID/stat, children
# included). Writes benchmarks/results/scale.md (the model for a national run is written out
# there by hand from these numbers; the script prints the raw lines to
# benchmarks/results/scale-raw.txt).
#
#   bash benchmarks/scale.sh [SITES] [MEASURED]
#
# MEASURED (default 64) is how many of the city's sites each configuration inspects: the
# registry holds all SITES, the run is queued for the first MEASURED (the same ones for every
# configuration, each in a fresh database). A whole 500-site run at the default politeness
# takes about an hour per configuration on one worker; MEASURED=SITES does it.
# Environment: GOVWATCH_BIN (else a release build), MIN_PAGES/MAX_PAGES (150/450), PORT (18090),
# WORKERS ("1 2 4"), TIMEOUT per configuration (3600 s).
set -euo pipefail
cd "$(dirname "$0")/.."
sites=${1:-500}
measured=${2:-64}
min_pages=${MIN_PAGES:-150}
max_pages=${MAX_PAGES:-450}
port=${PORT:-18090}
workers_list=${WORKERS:-1 2 4}
timeout_s=${TIMEOUT:-3600}

if [ -n "${GOVWATCH_BIN:-}" ]; then
  bin=$GOVWATCH_BIN
else
  swift build -c release --product govwatch >/dev/null
  bin=$(swift build -c release --show-bin-path)/govwatch
fi
command -v nginx >/dev/null || { echo "scale.sh: nginx is not installed (apt-get install -y nginx)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scale.sh: /usr/bin/time is not installed (apt-get install -y time)" >&2; exit 2; }
. scripts/throwaway-postgres.sh
throwaway_postgres_available || { echo "scale.sh: PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 2; }

city=/tmp/govwatch-bench-scale-$sites-$min_pages-$max_pages
if [ ! -f "$city/pages.txt" ]; then
  rm -rf "$city"
  echo "generating $sites sites into $city"
  python3 benchmarks/scale/generate_city.py "$city" "$sites" "$min_pages" "$max_pages" >/dev/null
fi
[ "$(id -u)" = 0 ] && chmod -R a+rX "$city"

work=$(mktemp -d /tmp/govwatch-bench-scale.XXXXXX)
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  stop_throwaway_postgres
  rm -rf "$work"
}
trap cleanup EXIT
start_throwaway_postgres
trap cleanup EXIT
mkdir -p "$work/nginx"
# One nginx worker serves every site: the request line's absolute URL names the host, and
# $host picks its folder. access_log off, keep-alive on, as in crawl.sh.
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon on;
events { worker_connections 4096; }
http {
    access_log off;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    keepalive_timeout 60s;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$port;
        root $city/www/\$host;
    }
}
CONF
nginx -c "$work/nginx/nginx.conf"
nginx_pid=$(cat "$work/nginx/nginx.pid")
nginx_worker=""
while [ -z "$nginx_worker" ]; do  # the master forks its worker after writing its pid
  nginx_worker=$(pgrep -P "$nginx_pid" | head -n 1 || true)
  [ -n "$nginx_worker" ] || sleep 0.1
done
postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
ticks=$(getconf CLK_TCK)

# CPU seconds of a process and its children, live and reaped (fields 14-17 of /proc/PID/stat).
cpu_tree() {
  local root=$1 total=0 pid
  for pid in "$root" $(pgrep -P "$root"); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}

codes=$(sed -n "2,$((measured + 1))p" "$city/sites.csv" | cut -d, -f1)
site_args=()
for code in $codes; do site_args+=(--site "$code"); done
raw=benchmarks/results/scale-raw.txt
mkdir -p benchmarks/results
: >"$raw"
n=0
for workers in $workers_list; do
  n=$((n + 1))
  db="scale_$n"
  as_pg psql -q -h 127.0.0.1 -p "$THROWAWAY_POSTGRES_PORT" -U postgres -c "CREATE DATABASE $db" postgres
  url="${THROWAWAY_POSTGRES_URL%/postgres*}/$db?sslmode=disable"
  (cd "$work" && "$bin" import sites "$city/sites.csv" --db "$url" >/dev/null)
  (cd "$work" && "$bin" inspect --as-of 2022-12-31 --queue "${site_args[@]}" --db "$url" >/dev/null)
  pg_before=$(cpu_tree "$postmaster")
  nginx_before=$(cpu_tree "$nginx_worker")
  start=$(date +%s.%N)
  pids=()
  for w in $(seq 1 "$workers"); do
    /usr/bin/time -v -o "$work/time-$n-$w.txt" timeout "$timeout_s" \
      "$bin" worker --proxy "http://127.0.0.1:$port" --exit-when-idle --db "$url" >"$work/worker-$n-$w.log" 2>&1 &
    pids+=($!)
  done
  status=0
  for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
  end=$(date +%s.%N)
  sleep 2  # backends of the ended workers exit and are reaped into the postmaster's children times
  pg_after=$(cpu_tree "$postmaster")
  nginx_after=$(cpu_tree "$nginx_worker")
  worker_cpu=0
  peak_rss=0
  for w in $(seq 1 "$workers"); do
    user=$(awk -F': ' '/User time/ {print $2}' "$work/time-$n-$w.txt")
    sys=$(awk -F': ' '/System time/ {print $2}' "$work/time-$n-$w.txt")
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time-$n-$w.txt")
    worker_cpu=$(python3 -c "print($worker_cpu + $user + $sys)")
    [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  done
  pages=$(as_pg psql -At -h 127.0.0.1 -p "$THROWAWAY_POSTGRES_PORT" -U postgres -d "$db" \
    -c "SELECT count(*) FROM crawl_urls WHERE state NOT IN ('queued', 'skipped')")
  done_sites=$(as_pg psql -At -h 127.0.0.1 -p "$THROWAWAY_POSTGRES_PORT" -U postgres -d "$db" \
    -c "SELECT count(*) FROM scorecards WHERE target_kind = 'site'")
  failed=$(as_pg psql -At -h 127.0.0.1 -p "$THROWAWAY_POSTGRES_PORT" -U postgres -d "$db" \
    -c "SELECT count(*) FROM inspection_tasks WHERE last_error IS NOT NULL")
  echo "workers=$workers sites=$measured done_sites=$done_sites failed_tasks=$failed status=$status pages=$pages" \
    "wall_s=$(python3 -c "print(round($end - $start, 1))")" "worker_cpu_s=$worker_cpu" \
    "postgres_cpu_s=$(python3 -c "print(round(($pg_after - $pg_before) / $ticks, 1))")" \
    "nginx_cpu_s=$(python3 -c "print(round(($nginx_after - $nginx_before) / $ticks, 1))")" "peak_rss_kb=$peak_rss" | tee -a "$raw"
done
echo "city: $sites sites, $(cat "$city/pages.txt") pages ($min_pages-$max_pages a site); measured: first $measured sites;" \
  "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); PostgreSQL $THROWAWAY_POSTGRES_VERSION;" \
  "$(date -u +%Y-%m-%d)" | tee -a "$raw"
