#!/usr/bin/env bash
# What the write counters of the page cache (migration 016_CreateDataVersions: a trigger on
# every table the web pages read) cost a write, on SQLite and on PostgreSQL. The schema is the
# product's own (`govwatch users add` runs every migration); the same rows go into a counted
# table (`settings`, with its triggers) and into an uncounted copy of it, side by side in one
# run: 20,000 single-row statements each in its own transaction (the worst case: every
# statement pays for its counter), and one 200,000-row INSERT … SELECT (SQLite's row trigger
# runs per row; PostgreSQL's statement trigger once). Writes benchmarks/results/data-versions.md.
#
#   bash benchmarks/data-versions.sh        # GOVWATCH_BIN=path uses that binary instead of building
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-20000}
bulk=${BULK:-200000}
rounds=${ROUNDS:-3}
if [ -n "${GOVWATCH_BIN:-}" ]; then
  bin=$GOVWATCH_BIN
else
  swift build --product govwatch >/dev/null
  bin=$(swift build --show-bin-path)/govwatch
fi
. scripts/throwaway-postgres.sh
work=$(mktemp -d /tmp/govwatch-data-versions.XXXXXX)
chmod 755 "$work"
cleanup() { stop_throwaway_postgres 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$rows" >"$work/single.sql" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print(f"INSERT INTO TABLE_NAME (key, value, updated_at) VALUES ('k{i}', 'a setting value of ordinary length {i}', CURRENT_TIMESTAMP);")
PY
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }

results=$work/results.txt
: >"$results"
# SQLite
sqlite_db=$work/versions.sqlite
GOVWATCH_CONFIG= "$bin" users add admin --role admin --db "sqlite://$sqlite_db" >/dev/null
# The same table (columns, keys, constraints) without the triggers.
sqlite3 "$sqlite_db" "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'settings'" \
  | sed 's/"settings"/"settings_plain"/' | sqlite3 "$sqlite_db"
for round in $(seq "$rounds"); do
  for table in settings settings_plain; do
    sqlite3 "$sqlite_db" "DELETE FROM $table"
    sed "s/TABLE_NAME/$table/" "$work/single.sql" >"$work/run.sql"
    single=$(seconds sqlite3 "$sqlite_db" ".read $work/run.sql")
    sqlite3 "$sqlite_db" "DELETE FROM $table"
    many=$(seconds sqlite3 "$sqlite_db" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $bulk) INSERT INTO $table (key, value, updated_at) SELECT 'k' || i, 'a setting value of ordinary length ' || i, CURRENT_TIMESTAMP FROM c")
    echo "sqlite $round $table $single $many" | tee -a "$results"
  done
done
# PostgreSQL
if throwaway_postgres_available; then
  start_throwaway_postgres
  url="postgres://postgres@127.0.0.1:$THROWAWAY_POSTGRES_PORT/postgres?sslmode=disable"
  psql_run() { as_pg psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$THROWAWAY_POSTGRES_PORT" -U postgres -d postgres "$@"; }
  GOVWATCH_CONFIG= "$bin" users add admin --role admin --db "$url" >/dev/null
  psql_run -c "CREATE TABLE settings_plain (LIKE settings INCLUDING ALL)"
  chmod 644 "$work/single.sql"
  for round in $(seq "$rounds"); do
    for table in settings settings_plain; do
      psql_run -c "DELETE FROM $table"
      sed "s/TABLE_NAME/$table/" "$work/single.sql" >"$work/run.sql"
      chmod 644 "$work/run.sql"
      single=$(seconds psql_run -f "$work/run.sql")
      psql_run -c "DELETE FROM $table"
      many=$(seconds psql_run -c "INSERT INTO $table (key, value, updated_at) SELECT 'k' || i, 'a setting value of ordinary length ' || i, CURRENT_TIMESTAMP FROM generate_series(1, $bulk) AS i")
      echo "postgres $round $table $single $many" | tee -a "$results"
    done
  done
fi

python3 - "$results" "$rows" "$bulk" >benchmarks/results/data-versions.md <<'PY'
import statistics, subprocess, sys, datetime
path, rows, bulk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = {}
for line in open(path):
    engine, _, table, single, many = line.split()
    data.setdefault((engine, table), []).append((float(single), float(many)))
cpu = subprocess.run("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2", shell=True, capture_output=True, text=True).stdout.strip()
print("# What the write counters cost a write\n")
print(f"`bash benchmarks/data-versions.sh` — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {cpu}; SQLite through the `sqlite3` shell")
print("(the file in WAL mode, the shell's default synchronous), PostgreSQL on loopback through `psql` (the tests' throwaway cluster: fsync off).\n")
print(f"The same rows into `settings` (counted: the triggers of `016_CreateDataVersions`) and into an uncounted copy")
print(f"of it, alternately; medians of the rounds. *Single*: {rows:,} one-row INSERT statements, each its own")
print(f"transaction (every statement pays its counter: the worst case). *Bulk*: one INSERT … SELECT of {bulk:,} rows.\n")
print("| engine | single: uncounted s | counted s | per statement, µs more | ratio | bulk: uncounted s | counted s | ratio |")
print("|---|---|---|---|---|---|---|---|")
for engine in ("sqlite", "postgres"):
    plain, counted = data.get((engine, "settings_plain")), data.get((engine, "settings"))
    if not plain or not counted:
        continue
    ps, cs = statistics.median(s for s, _ in plain), statistics.median(s for s, _ in counted)
    pb, cb = statistics.median(b for _, b in plain), statistics.median(b for _, b in counted)
    print(f"| {engine} | {ps:.2f} | {cs:.2f} | {(cs - ps) / rows * 1e6:.0f} | {cs / ps:.2f}× | {pb:.2f} | {cb:.2f} | {cb / pb:.2f}× |")
print("\nEvery round:\n")
print("| engine | round | table | single s | bulk s |")
print("|---|---|---|---|---|")
for line in open(path):
    engine, round_, table, single, many = line.split()
    print(f"| {engine} | {round_} | {table} | {float(single):.2f} | {float(many):.2f} |")
PY
echo "data-versions.sh: wrote benchmarks/results/data-versions.md"
