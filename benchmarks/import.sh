#!/usr/bin/env bash
# Import benchmark: a 10,000-row sites file and a 10,000-row columns file imported by a
# release build of `govwatch import` into a fresh SQLite file (and PostgreSQL when
# available), side by side with raw bulk loaders of the same files that validate nothing
# (sqlite3's `.import`, psql's `\copy`). Writes benchmarks/results/import.md.
#
#   bash benchmarks/import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}
work=$(mktemp -d /tmp/govwatch-bench-import.XXXXXX)
trap 'rm -rf "$work"' EXIT

swift build -c release --product govwatch >/dev/null
bin=$(swift build -c release --show-bin-path)/govwatch

python3 - "$work" "$rows" <<'PY'
import sys, csv
work, rows = sys.argv[1], int(sys.argv[2])
with open(f"{work}/sites.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["网站标识码", "网站名称", "首页网址", "网站类型", "主办单位", "上级单位", "ICP备案号", "公安备案号"])
    for i in range(rows):
        county = i // 100
        w.writerow([f"{4300000000 + i:010d}", f"第{i}号单位网站", f"http://s{i}.county{county}.gov.cn/",
                    "部门网站" if i % 100 else "政府门户网站", f"第{i}号单位", f"第{county}县人民政府",
                    f"湘ICP备{10000000 + i}号", f"湘公网安备 {43010000000000 + i}号"])
with open(f"{work}/columns.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["site", "name", "url", "category", "period_days", "top_level"])
    cats = ["news", "notice", "policy", "personnel", "planning", "consultation", "other"]
    for i in range(rows):
        w.writerow([f"{4300000000 + i:010d}", "政务动态", f"http://s{i}.county{i // 100}.gov.cn/xwdt/", cats[i % 7], "", "1"])
PY

mkdir -p benchmarks/results
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

# GovWatch on SQLite: parse, validate, upsert in one transaction.
t0=$(now); "$bin" import sites "$work/sites.csv" --db "sqlite://$work/gw.sqlite" >/dev/null; t1=$(now)
"$bin" import columns "$work/columns.csv" --db "sqlite://$work/gw.sqlite" >/dev/null; t2=$(now)
gw_sites=$(elapsed $t0 $t1); gw_columns=$(elapsed $t1 $t2)
# Re-import of the same file: every row compared, nothing written.
t0=$(now); "$bin" import sites "$work/sites.csv" --db "sqlite://$work/gw.sqlite" >/dev/null; t1=$(now)
gw_again=$(elapsed $t0 $t1)

# Peer: sqlite3's raw CSV import into a table without constraints or validation.
t0=$(now); sqlite3 "$work/raw.sqlite" ".mode csv" ".import $work/sites.csv sites"; t1=$(now)
raw_sites=$(elapsed $t0 $t1)
ratio=$(python3 -c "print(f'{$gw_sites / $raw_sites:.1f}')")

{
  echo "# Import benchmark"
  echo
  echo "Command: \`bash benchmarks/import.sh $rows\` (release build, $(nproc) cores, $(date -u +%Y-%m-%d))."
  echo
  echo "| what | rows | seconds | vs. sqlite3 .import |"
  echo "|---|---|---|---|"
  echo "| govwatch import sites (SQLite, new) | $rows | $gw_sites | ${ratio}× |"
  echo "| govwatch import columns (SQLite, new) | $rows | $gw_columns | |"
  echo "| govwatch import sites (SQLite, unchanged re-import) | $rows | $gw_again | |"
  echo "| sqlite3 .import (no validation, no keys) | $rows | $raw_sites | 1.0× |"
} > benchmarks/results/import.md.new

if [ -n "${GOVWATCH_BENCH_POSTGRES_URL:-}" ]; then
  t0=$(now); "$bin" import sites "$work/sites.csv" --db "$GOVWATCH_BENCH_POSTGRES_URL" >/dev/null; t1=$(now)
  echo "| govwatch import sites (PostgreSQL, new) | $rows | $(elapsed $t0 $t1) | |" >> benchmarks/results/import.md.new
fi
mkdir -p benchmarks/results
mv benchmarks/results/import.md.new benchmarks/results/import.md
cat benchmarks/results/import.md
