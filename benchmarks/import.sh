#!/usr/bin/env bash
# Import benchmark (issue 2: "a 10,000-row file imports in seconds").
#
# A 10,000-row sites file and a 10,000-row columns file (UTF-8, Chinese headers; plus the
# sites file saved as GBK) imported by a release `govwatch import` into a fresh SQLite
# file, side by side in one hyperfine run with a raw bulk loader of the same file that
# validates nothing (sqlite3's `.import` into a table without keys). Each GovWatch number
# is a whole process: start, open/migrate the database, read, detect the encoding,
# validate every row, upsert in one transaction, exit. Peak RSS from /usr/bin/time -v.
# Writes benchmarks/results/import.md.
#
#   bash benchmarks/import.sh [ROWS]          # ROWS defaults to 10000
#   GOVWATCH_BENCH_POSTGRES_URL=postgres://… bash benchmarks/import.sh   # adds PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}
runs=${RUNS:-5}
for tool in hyperfine sqlite3 /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "import.sh: $tool is missing (apt-get install -y hyperfine sqlite3 time)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/govwatch-bench-import.XXXXXX)
trap 'rm -rf "$work"' EXIT

# A release build in its own folder, so the debug builds of others are never blocked.
timeout 3600 swift build -c release --scratch-path .build-release --product govwatch >/dev/null
bin=$(swift build -c release --scratch-path .build-release --show-bin-path)/govwatch

python3 - "$work" "$rows" <<'PY'
import sys, csv
work, rows = sys.argv[1], int(sys.argv[2])
def sites(path, encoding):
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(["网站标识码", "网站名称", "首页网址", "网站类型", "主办单位", "上级单位", "ICP备案号", "公安备案号"])
        for i in range(rows):
            county = i // 100
            w.writerow([f"{4300000000 + i:010d}", f"第{i}号单位网站", f"http://s{i}.county{county}.gov.cn/",
                        "部门网站" if i % 100 else "政府门户网站", f"第{i}号单位", f"第{county}县人民政府",
                        f"湘ICP备{10000000 + i}号", f"湘公网安备 {43010000000000 + i}号"])
sites(f"{work}/sites.csv", "utf-8")
sites(f"{work}/sites-gbk.csv", "gbk")
with open(f"{work}/columns.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["网站标识码", "栏目名称", "栏目地址", "栏目类型", "更新周期（天）", "一级栏目"])
    cats = ["news", "notice", "policy", "personnel", "planning", "consultation", "other"]
    for i in range(rows):
        w.writerow([f"{4300000000 + i:010d}", "政务动态", f"http://s{i}.county{i // 100}.gov.cn/xwdt/", cats[i % 7], "", "是"])
PY

db="$work/gw.sqlite"
gw() { "$bin" "$@" --db "sqlite://$db" >/dev/null; }
# Check once that the imports really do what is timed (a rejected file exits 2 fast).
rm -f "$db"*; gw import sites "$work/sites.csv"; gw import columns "$work/columns.csv"
stored_sites=$(( $("$bin" list sites --format csv --db "sqlite://$db" | wc -l) - 1 ))
stored_columns=$(( $("$bin" list columns --format csv --db "sqlite://$db" | wc -l) - 1 ))
[ "$stored_sites" -eq "$rows" ] && [ "$stored_columns" -eq "$rows" ] || {
  echo "import.sh: expected $rows sites and columns, found $stored_sites and $stored_columns" >&2; exit 1; }

# One hyperfine run, every command side by side.
hyperfine --style basic --runs "$runs" --warmup 1 --export-json "$work/times.json" \
  -n "govwatch import sites (new database)" --prepare "rm -f $db $db-*" \
    "$bin import sites $work/sites.csv --db sqlite://$db" \
  -n "govwatch import sites, GBK file (new database)" --prepare "rm -f $db $db-*" \
    "$bin import sites $work/sites-gbk.csv --db sqlite://$db" \
  -n "govwatch import columns (sites present)" --prepare "rm -f $db $db-*; $bin import sites $work/sites.csv --db sqlite://$db" \
    "$bin import columns $work/columns.csv --db sqlite://$db" \
  -n "govwatch import sites again (all unchanged)" --prepare "true" \
    "$bin import sites $work/sites.csv --db sqlite://$db" \
  -n "sqlite3 .import sites (no validation, no keys)" --prepare "rm -f $work/raw.sqlite" \
    "sqlite3 $work/raw.sqlite '.mode csv' '.import $work/sites.csv sites'" \
  >"$work/hyperfine.txt"

# Peak RSS, one run each.
rss() { /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null; awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$work/time.txt"; }
rm -f "$db"*; rss_sites=$(rss "$bin" import sites "$work/sites.csv" --db "sqlite://$db")
rss_columns=$(rss "$bin" import columns "$work/columns.csv" --db "sqlite://$db")
rss_again=$(rss "$bin" import sites "$work/sites.csv" --db "sqlite://$db")
rm -f "$db"*; rss_gbk=$(rss "$bin" import sites "$work/sites-gbk.csv" --db "sqlite://$db")
rm -f "$work/raw.sqlite"; rss_raw=$(rss sqlite3 "$work/raw.sqlite" ".mode csv" ".import $work/sites.csv sites")

pg_row=""
if [ -n "${GOVWATCH_BENCH_POSTGRES_URL:-}" ]; then
  t0=$(date +%s.%N); "$bin" import sites "$work/sites.csv" --db "$GOVWATCH_BENCH_POSTGRES_URL" >/dev/null; t1=$(date +%s.%N)
  pg_row=$(python3 -c "print(f'| govwatch import sites (PostgreSQL, one run) | {$t1 - $t0:.3f} | | | |')")
fi

mkdir -p benchmarks/results
python3 - "$work/times.json" "$rows" "$runs" "$rss_sites" "$rss_gbk" "$rss_columns" "$rss_again" "$rss_raw" "$pg_row" \
  >benchmarks/results/import.md.new <<'PY'
import json, os, subprocess, sys, datetime
times, rows, runs = json.load(open(sys.argv[1]))["results"], int(sys.argv[2]), sys.argv[3]
rss = sys.argv[4:9]
pg_row = sys.argv[9]
raw = times[-1]["median"]
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
print("# Import benchmark\n")
print(f"Reproduce: `bash benchmarks/import.sh {rows}` (release build in `.build-release`; hyperfine, "
      f"{runs} runs + 1 warm-up per command, all commands in one run).\n")
print(f"Machine: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB memory; "
      f"{datetime.date.today()}, commit {commit} plus the working tree of that day.\n")
print(f"{rows:,} rows per file. Every GovWatch time is a whole `govwatch import` process "
      "(start, open and migrate the SQLite file, read, detect the encoding, validate every row, "
      "upsert in one transaction). The peer loads the same file into a table without keys and validates nothing.\n")
print("| command | median s | mean ± σ s | rows/s | × sqlite3 .import | peak RSS MiB |")
print("|---|---|---|---|---|---|")
for t, r in zip(times, rss):
    print(f"| {t['command']} | {t['median']:.3f} | {t['mean']:.3f} ± {t['stddev']:.3f} | {rows / t['median']:,.0f} | "
          f"{t['median'] / raw:.1f} | {r} |")
if pg_row:
    print(pg_row)
slowest = max(t["median"] for t in times[:-1])
print(f"\nTarget (issue 2): a {rows:,}-row file imports in seconds — "
      f"{'met' if slowest < 10 else 'MISSED'}: the slowest GovWatch import took {slowest:.2f} s.")
PY
mv benchmarks/results/import.md.new benchmarks/results/import.md
cat benchmarks/results/import.md
