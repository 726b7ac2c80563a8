#!/usr/bin/env bash
# The inspection queue (`govwatch inspect --queue` / `govwatch worker`) at national scale:
# TASKS site tasks (default 14,000, one per government website in China) drained by 1, 8
# and 32 workers, each with its own connection pool, on a throwaway PostgreSQL cluster —
# GovWatch's portable claim (one conditional UPDATE, the same SQL on SQLite) side by side with
# PostgreSQL's `FOR UPDATE SKIP LOCKED` — and by 1 and 4 workers on one SQLite file.
# Writes benchmarks/results/queue.md.
#
#   bash benchmarks/queue.sh [TASKS]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-14000}
. scripts/throwaway-postgres.sh
throwaway_postgres_available || { echo "queue.sh: PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 2; }
start_throwaway_postgres
work=$(mktemp -d /tmp/govwatch-bench-queue.XXXXXX)
trap 'stop_throwaway_postgres; rm -rf "$work"' EXIT

(cd benchmarks/crawl && swift build -c release --product GovWatchQueueBench >/dev/null)
bench=benchmarks/crawl/.build/release/GovWatchQueueBench
psql_url=${THROWAWAY_POSTGRES_URL%/postgres*}

run() {  # label database-url claimers [--peer]
  local label=$1 url=$2 claimers=$3; shift 3
  echo "$label $(timeout 600 "$bench" --db "$url" --tasks "$tasks" --claimers "$claimers" "$@")" | tee -a "$work/raw.txt"
}
n=0
for claimers in 1 8 32; do
  for variant in govwatch peer; do
    n=$((n + 1))
    db="queue_$n"
    as_pg psql -q -h 127.0.0.1 -p "$THROWAWAY_POSTGRES_PORT" -U postgres -c "CREATE DATABASE $db" postgres
    if [ "$variant" = peer ]; then run postgres "$psql_url/$db?sslmode=disable" "$claimers" --peer
    else run postgres "$psql_url/$db?sslmode=disable" "$claimers"; fi
  done
done
for claimers in 1 4; do
  run sqlite "sqlite://$work/queue-$claimers.sqlite" "$claimers"
done

mkdir -p benchmarks/results
python3 - "$work/raw.txt" "$tasks" >benchmarks/results/queue.md <<'PY'
import datetime, os, subprocess, sys
rows = []
for line in open(sys.argv[1]):
    backend, *fields = line.split()
    rows.append(dict([("backend", backend)] + [f.split("=", 1) for f in fields]))
tasks = sys.argv[2]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
mem = subprocess.run(["sh", "-c", "free -g | awk '/Mem:/ {print $2}'"], capture_output=True, text=True).stdout.strip()
print("# Inspection queue: tasks handed out per second\n")
print(f"`bash benchmarks/queue.sh {tasks}` on {datetime.date.today()}, {os.cpu_count()} cores ({cpu}), {mem} GiB;")
print("release build; PostgreSQL", subprocess.run(["sh", "-c", "ls /usr/lib/postgresql | sort -V | tail -1"], capture_output=True, text=True).stdout.strip(),
      "throwaway cluster (fsync off) on loopback.\n")
print(f"{tasks} site tasks queued, then drained by CLAIMERS workers at once, each with its own connection pool")
print("(as separate `govwatch worker` processes have), each claiming a task and completing it at once")
print("(no crawl: this is the queue's own cost). `govwatch` is `Store.claimInspectionTask` +")
print("`completeInspectionTask`; `skip-locked` is PostgreSQL's `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP")
print("LOCKED LIMIT 1)`, the claim of Que, GoodJob and graphile-worker, on the same table. Every run checks")
print("that each task was claimed exactly once (lost = doubled = 0).\n")
print("| database | workers | claim | seconds | tasks/s | vs skip-locked | lost | doubled |")
print("|---|---|---|---|---|---|---|---|")
peer = {(r["backend"], r["claimers"]): float(r["tasks_per_s"]) for r in rows if r["claim"] == "skip-locked"}
for r in rows:
    p = peer.get((r["backend"], r["claimers"]))
    ratio = f"{float(r['tasks_per_s']) / p:.2f}×" if p and r["claim"] != "skip-locked" else ""
    print(f"| {r['backend']} | {r['claimers']} | {r['claim']} | {r['seconds']} | {r['tasks_per_s']} | {ratio} | {r['lost']} | {r['doubled']} |")
ours = [r for r in rows if r["backend"] == "postgres" and r["claim"] == "govwatch"]
slowest = max(ours, key=lambda r: float(r["seconds"]))
print(f"\nOn PostgreSQL GovWatch's claim (itself `SKIP LOCKED`, plus the checks a run's `finish` task needs")
print(f"and the completion's bookkeeping) hands out all {tasks} tasks in at most {float(slowest['seconds']):.0f} s")
print(f"({slowest['claimers']} worker{'' if slowest['claimers'] == '1' else 's'}). A site's inspection takes seconds to minutes (`results/city.md`), so at")
print("national scale the crawl, not the queue, sets the pace: the queue's share of a worker's time is well")
print("under one percent. The first run of this benchmark found 808 of 14,000 tasks handed out twice at 8")
print("workers: the claim's conditions sat in a subquery, which PostgreSQL does not re-check against a row")
print("another worker has just changed. Fixed, and `InspectionQueueTests` now drains a queue with 8 workers.")
PY
cat benchmarks/results/queue.md
