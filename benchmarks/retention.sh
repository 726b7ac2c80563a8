#!/usr/bin/env bash
# Data retention (issue 15, part 4): how big the database gets over a year of monthly
# inspections of the sample city, with and without `govwatch prune`.
#
# `govwatch sample-city` serves the city on loopback; two SQLite databases import its
# registry and are inspected the same twelve times (as of the last day of each month of
# 2022, with the crawl, every check and the rectification loop: `govwatch inspect --proxy`),
# the two inspections of a month side by side. After each month the second database is
# pruned to the newest KEEP_RUNS runs (default 3: a quarter, what the notice's previous-period
# comparison needs). After each month: the file size (database + write-ahead log), the pages
# in use, and the rows of the tables that grow. At the end both databases are also compacted
# (VACUUM INTO) and, when PostgreSQL is installed, migrated to a throwaway server to read
# pg_total_relation_size. Writes benchmarks/results/retention.md.
#
#   bash benchmarks/retention.sh              # GOVWATCH_BIN=path/to/govwatch to skip the build
set -euo pipefail
cd "$(dirname "$0")/.."
keep=${KEEP_RUNS:-3}
months=${MONTHS:-12}
if [ -n "${GOVWATCH_BIN:-}" ]; then
  gw=$GOVWATCH_BIN
else
  timeout 3600 swift build -c release --product govwatch >/dev/null
  gw=$(swift build -c release --show-bin-path)/govwatch
fi
work=$(mktemp -d /tmp/govwatch-bench-retention.XXXXXX)
city_pid=""
. scripts/throwaway-postgres.sh
cleanup() {
  if [ -n "$city_pid" ]; then kill "$city_pid" 2>/dev/null || true; fi
  stop_throwaway_postgres
  rm -rf "$work"
}
trap cleanup EXIT

"$gw" sample-city --registry "$work/registry" >"$work/city.out" 2>&1 &
city_pid=$!
until grep -q 'http://' "$work/city.out"; do
  kill -0 "$city_pid" || { cat "$work/city.out" >&2; exit 1; }
  sleep 0.2
done
proxy=$(grep -o 'http://[0-9.:]*' "$work/city.out")

for db in plain pruned; do
  for kind in sites columns accounts people; do
    "$gw" import "$kind" "$work/registry/$kind.csv" --db "sqlite://$work/$db.sqlite" >/dev/null
  done
done

# measure MONTH DB: one JSON line of sizes and row counts.
measure() {
  python3 - "$1" "$work/$2.sqlite" "$2" <<'PY' >>"$work/measurements.jsonl"
import json, os, sqlite3, sys
month, path, name = sys.argv[1], sys.argv[2], sys.argv[3]
size = sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
c = sqlite3.connect(path)
page = c.execute("PRAGMA page_size").fetchone()[0]
pages = c.execute("PRAGMA page_count").fetchone()[0]
free = c.execute("PRAGMA freelist_count").fetchone()[0]
tables = ["inspection_runs", "crawl_sessions", "crawl_urls", "findings", "scorecards", "tickets", "ticket_events", "probes", "posts"]
rows = {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
records = c.execute("SELECT coalesce(sum(length(record)), 0) FROM crawl_urls").fetchone()[0]
print(json.dumps({"month": month, "db": name, "file": size, "used": (pages - free) * page, "rows": rows, "records": records}))
PY
}

prune_log="$work/prune.log"
for m in $(seq 1 "$months"); do
  as_of=$(python3 -c "import calendar; print(f'2022-{$m:02d}-{calendar.monthrange(2022, $m)[1]:02d}')")
  pids=()
  for db in plain pruned; do
    "$gw" inspect --as-of "$as_of" --proxy "$proxy" --db "sqlite://$work/$db.sqlite" >"$work/inspect-$db-$m.log" 2>&1 &
    pids+=($!)
  done
  # An inspection that finds problems may exit 1 (interfaces.md); the run is what counts.
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  for db in plain pruned; do grep -q "检查批次 r-" "$work/inspect-$db-$m.log" || { tail "$work/inspect-$db-$m.log" >&2; exit 1; }; done
  "$gw" prune --keep-runs "$keep" --db "sqlite://$work/pruned.sqlite" >>"$prune_log"
  measure "$as_of" plain
  measure "$as_of" pruned
done

# Compacted sizes, and the same databases on PostgreSQL.
for db in plain pruned; do
  python3 -c "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute(\"VACUUM INTO '\" + sys.argv[2] + \"'\")" \
    "$work/$db.sqlite" "$work/$db-compact.sqlite"
  stat -c %s "$work/$db-compact.sqlite" >"$work/$db.compact"
done
if throwaway_postgres_available; then
  start_throwaway_postgres
  trap cleanup EXIT  # start_throwaway_postgres sets its own EXIT trap; ours stops it too
  for db in plain pruned; do
    psql -q -d "$THROWAWAY_POSTGRES_URL" -c "CREATE DATABASE retention_$db"
    url=${THROWAWAY_POSTGRES_URL/\/postgres\?/\/retention_$db?}
    "$gw" migrate --db "sqlite://$work/$db.sqlite" --to "$url" >"$work/migrate-$db.log"
    psql -At -d "$url" -c "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'" >"$work/$db.pg"
  done
fi

mkdir -p benchmarks/results
python3 - "$work" "$keep" >benchmarks/results/retention.md.new <<'PY'
import json, os, subprocess, sys
work, keep = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(f"{work}/measurements.jsonl")]
by = {(r["month"], r["db"]): r for r in rows}
months = sorted({r["month"] for r in rows})
mb = lambda b: f"{b / 2**20:.2f}"
def read(name):
    p = f"{work}/{name}"
    return int(open(p).read().strip()) if os.path.exists(p) else None
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
print("# Retention: database size over a year of monthly runs\n")
print(f"`bash benchmarks/retention.sh` at commit {commit}, on {os.cpu_count()} × {model}, {mem:.0f} GB RAM.")
print("The sample city (18 sites, 34 accounts) inspected as of the last day of each month of 2022 into two")
print(f"SQLite databases; the second is pruned after every run with `govwatch prune --keep-runs {keep}`.")
print("Sizes in MiB: *file* is the database file with its write-ahead log, *in use* the pages that hold data")
print("(SQLite keeps freed pages in the file and reuses them, so a pruned file stops growing rather than shrinking).\n")
print("| as of | runs | file, no pruning | file, pruned | in use, no pruning | in use, pruned | crawl URLs (no pruning / pruned) | findings | scorecards | page records MiB (no pruning / pruned) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for m in months:
    a, b = by[(m, "plain")], by[(m, "pruned")]
    print(f"| {m} | {a['rows']['inspection_runs']} | {mb(a['file'])} | {mb(b['file'])} | {mb(a['used'])} | {mb(b['used'])} | "
          f"{a['rows']['crawl_urls']} / {b['rows']['crawl_urls']} | {a['rows']['findings']} / {b['rows']['findings']} | "
          f"{a['rows']['scorecards']} / {b['rows']['scorecards']} | {mb(a['records'])} / {mb(b['records'])} |")
last = months[-1]
a, b = by[(last, "plain")], by[(last, "pruned")]
first = by[(months[0], "plain")]
print()
per_run = (a["used"] - first["used"]) / max(1, len(months) - 1)
print(f"After {len(months)} runs: {mb(a['file'])} MiB without pruning, {mb(b['file'])} MiB pruned "
      f"(ratio {b['file'] / a['file']:.2f}); the unpruned database grows by {per_run / 1024:.0f} KiB of data per run after the first.")
pc, qc = read("plain.compact"), read("pruned.compact")
if pc and qc:
    print(f"Compacted (VACUUM INTO): {mb(pc)} MiB without pruning, {mb(qc)} MiB pruned (ratio {qc / pc:.2f}).")
pp, qp = read("plain.pg"), read("pruned.pg")
if pp and qp:
    print(f"On PostgreSQL (`govwatch migrate`, sum of pg_total_relation_size over the tables): {mb(pp)} MiB without pruning, "
          f"{mb(qp)} MiB pruned (ratio {qp / pp:.2f}).")
print("\nRows after the last run (no pruning / pruned): " + ", ".join(
    f"{t} {a['rows'][t]} / {b['rows'][t]}" for t in a["rows"]) + ".")
print("\n## Reading\n")
if a["rows"]["crawl_urls"] == b["rows"]["crawl_urls"]:
    print("Pruning changes almost nothing here, and that is the finding: the crawler already deletes a site's older")
    print("finished crawls when a new one finishes (`Store.finishCrawlSession`), so crawl state and page records stay at")
    print("one crawl per site however many runs there are; `prune` finds no crawl session of a finished old run to drop.")
    print("It drops what an interrupted or abandoned crawl leaves (open sessions of old runs), old task-queue rows, and")
    print("probes older than 31 days before the oldest kept run.")
print("What grows with every run is kept on purpose: findings, scorecards, tickets and their history are what every")
print("period's notice, its previous-period comparison and the ticket evidence are built from.")
print("Probes are not simulated here (`govwatch probe` stamps the real time, not the 2022 as-of dates): in production")
print("the scheduler stores about 24 per site and day, 18 × 24 × 365 ≈ 158,000 rows a year for this city, and `prune`")
print("keeps only those within 31 days before the oldest kept run.")
print("Sizes do not depend on the build: GOVWATCH_BIN may be a debug binary.")
print("\nThe last `prune`:\n\n```")
log = open(f"{work}/prune.log").read().strip().split("保留检查批次")
print(("保留检查批次" + log[-1]).strip())
print("```")
PY
mv benchmarks/results/retention.md.new benchmarks/results/retention.md
cat benchmarks/results/retention.md
