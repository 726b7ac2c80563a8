#!/usr/bin/env bash
# Crawl benchmark (issues 4 and 13): one generated government site (crawl/generate_site.py:
# TRS-style column lists with dated items, articles, ~11 links a page, HTML only) served by
# nginx on loopback, inspected or crawled in one run, one tool after the other, by
#   - `govwatch inspect` itself (release CLI): the whole inspection — crawl, every check,
#     scoring, findings stored in SQLite — at the peers' settings: --concurrency N,
#     --per-host-connections N, no per-host delay (--per-host-rate 1000000), --no-autothrottle;
#   - wget --spider -r (one connection: wget cannot crawl concurrently), the link-only
#     spider the inspection is held to (target: the full inspection ≥ 1× wget's pages/s);
#   - Scrapy runspider and LinkChecker at the same concurrency, when installed (LinkChecker
#     with maxrequestspersecond=100000; nginx sends the `LinkChecker` header that lifts its
#     built-in per-host throttle);
#   - with LIBRARY=1, GovWatch's crawler library alone (crawl/Sources/GovWatchCrawlBench,
#     state in SQLite and in memory), the page analysis alone and a perf profile (these need
#     the drivers' package, a second release build of 15–25 minutes).
# Pages/s = pages fetched / process wall time; peak RSS from /usr/bin/time -v. `govwatch
# inspect` and wget run REPEAT times (default 3) at the first size, interleaved, after one
# unmeasured warm-up each; the median run counts. At the larger sizes they run once each, for
# the memory check (peak RSS of the inspection from the first size to the last).
# Writes benchmarks/results/crawl.md (raw lines in benchmarks/results/crawl-raw.txt).
#
#   bash benchmarks/crawl.sh [SIZE...]             # default: 10000 100000
#   CONCURRENCY=16 TIMEOUT=1800 PEERS_AT_LARGE=0 LIBRARY=0 PROFILE=1 PORT=18089 REPEAT=3 bash benchmarks/crawl.sh
#   GOVWATCH_BIN=path/to/release/govwatch bash benchmarks/crawl.sh 10000   # a binary already built
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sizes=("${@:-10000 100000}")
read -r -a sizes <<<"${sizes[*]}"
conc=${CONCURRENCY:-16}
tmo=${TIMEOUT:-1800}
port=${PORT:-18089}
peers_large=${PEERS_AT_LARGE:-0}
repeat=${REPEAT:-3}
library=${LIBRARY:-0}
profile=${PROFILE:-1}
for tool in nginx wget /usr/bin/time sqlite3 python3 curl; do
  command -v "$tool" >/dev/null || {
    echo "crawl.sh: $tool is missing (apt-get install -y nginx-light wget time sqlite3 curl)" >&2; exit 2; }
done
have() { command -v "$1" >/dev/null; }
have scrapy || echo "crawl.sh: scrapy not installed (pip install scrapy): Scrapy is left out" >&2
have linkchecker || echo "crawl.sh: linkchecker not installed (apt-get install -y linkchecker): LinkChecker is left out" >&2

if [ -n "${GOVWATCH_BIN:-}" ]; then
  gw=$GOVWATCH_BIN
else
  echo "crawl.sh: building (release)…" >&2
  timeout 3600 swift build -c release --scratch-path .build-release --product govwatch >/dev/null
  gw=$(swift build -c release --scratch-path .build-release --show-bin-path)/govwatch
fi
if [ "$library" = 1 ]; then
  (cd benchmarks/crawl && timeout 3600 swift build -c release --product GovWatchCrawlBench >/dev/null)
  bench=$(cd benchmarks/crawl && swift build -c release --show-bin-path)/GovWatchCrawlBench
  (cd benchmarks/crawl && timeout 3600 swift build -c release --product GovWatchAnalyzeBench >/dev/null)
  analyze=$(cd benchmarks/crawl && swift build -c release --show-bin-path)/GovWatchAnalyzeBench
fi

work=$(mktemp -d /tmp/govwatch-bench-crawl.XXXXXX)
nginx_pid=""
stop_nginx() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill "$nginx_pid"
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  nginx_pid=""
}
trap 'stop_nginx; rm -rf "$work"' EXIT
raw="$work/raw.txt"
: >"$raw"

start_nginx() {  # start_nginx SITE_DIR
  stop_nginx
  mkdir -p "$work/nginx"
  sed -e "s#@ROOT@#$1#; s#@PORT@#$port#; s#@RUN@#$work/nginx#g" benchmarks/crawl/nginx.conf.in >"$work/nginx/nginx.conf"
  # A second server on PORT+1 without the LinkChecker header, for the throttle diagnosis.
  sed -i "s#^}\$#    server { listen 127.0.0.1:$((port + 1)); root $1; }\n}#" "$work/nginx/nginx.conf"
  nginx -c "$work/nginx/nginx.conf"
  for _ in $(seq 50); do [ -s "$work/nginx/nginx.pid" ] && break; sleep 0.1; done
  nginx_pid=$(cat "$work/nginx/nginx.pid")
  curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" || { echo "crawl.sh: nginx did not start" >&2; exit 1; }
}

# measure SIZE TOOL SETTINGS PAGES-COMMAND -- COMMAND...: runs COMMAND under time -v and
# timeout, then PAGES-COMMAND (reading $out) prints the number of pages fetched.
measure() {
  local size=$1 tool=$2 settings=$3 pages_cmd=$4
  shift 5
  out="$work/out.txt"
  local t0 t1 rc=0
  echo "crawl.sh: $size pages: $tool…" >&2
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/time.txt" timeout "$tmo" "$@" >"$out" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  local pages rss
  pages=$(eval "$pages_cmd" || echo 0)
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$tool" "$settings" "${pages:-0}" \
    "$(python3 -c "print(f'{$t1 - $t0:.3f}')")" "${rss:-0}" "$rc" >>"$raw"
  cp "$out" "$work/out.$size.${tool// /_}.txt"
}

first=1
for size in "${sizes[@]}"; do
  site=/tmp/govwatch-bench-site-$size
  if [ ! -s "$site/.pages" ]; then
    echo "crawl.sh: generating a $size-page site in $site…" >&2
    rm -rf "$site"
    python3 benchmarks/crawl/generate_site.py "$site" "$size" >"$site.pages.tmp"
    mv "$site.pages.tmp" "$site/.pages"
  fi
  start_nginx "$site"
  url="http://127.0.0.1:$port/"
  max=$((size * 2))

  inspect_settings="--concurrency $conc --per-host-connections $conc --per-host-rate 1000000 --no-autothrottle"
  # inspect SIZE: one `govwatch inspect` of the site into a fresh database, measured.
  inspect() {
    db="$work/inspect.sqlite"; rm -f "$db"*
    printf 'code,name,url,kind,unit\n5100000099,鸿溪市人民政府门户网站,%s,portal,鸿溪市人民政府办公室\n' "$url" >"$work/sites.csv"
    "$gw" import sites "$work/sites.csv" --db "sqlite://$db" >/dev/null
    # shellcheck disable=SC2086
    measure "$size" "govwatch inspect (crawl + every check + findings stored)" "$inspect_settings" \
      "sqlite3 '$db' \"select count(*) from crawl_urls where role = 'page' and state != 'queued'\"" -- \
      "$gw" inspect --site 5100000099 --max-pages "$max" $inspect_settings --as-of 2023-01-01 --db "sqlite://$db"
    sqlite3 "$db" "select count(*) from findings" >"$work/findings.$size.txt" 2>/dev/null || true
  }
  wget_run() {
    rm -rf "$work/wget"; mkdir -p "$work/wget"
    measure "$size" "wget --spider -r" "one connection (wget has no concurrency)" \
      'awk "/^Downloaded:/ {print \$2 - 1}" "$out"' -- \
      sh -c "cd '$work/wget' && wget --spider -r -l inf -nd -np --delete-after -nv '$url'"
  }

  # One unmeasured run of each first: the site's files in the page cache, nginx warm, the
  # build's disk writes settled — the first run after a build was up to 20% slower.
  sync
  rm -f "$work/warm.sqlite"*
  printf 'code,name,url,kind,unit\n5100000099,鸿溪市人民政府门户网站,%s,portal,鸿溪市人民政府办公室\n' "$url" >"$work/warm.csv"
  "$gw" import sites "$work/warm.csv" --db "sqlite://$work/warm.sqlite" >/dev/null
  # shellcheck disable=SC2086
  timeout "$tmo" "$gw" inspect --site 5100000099 --max-pages "$max" $inspect_settings --as-of 2023-01-01 \
    --db "sqlite://$work/warm.sqlite" >/dev/null 2>&1 || true
  rm -rf "$work/wget"; mkdir -p "$work/wget"
  (cd "$work/wget" && wget --spider -r -l inf -nd -np --delete-after -nv "$url" >/dev/null 2>&1) || true
  rm -f "$work/warm.sqlite"*
  # At the first size, `govwatch inspect` and wget run REPEAT times, interleaved, and are
  # reported by their median: one run of a few seconds on a shared 2-core machine varies by ±10%.
  runs=1
  [ "$first" = 1 ] && runs=$repeat
  for run in $(seq "$runs"); do
    inspect
    wget_run
    if [ "$library" = 1 ]; then
      rm -f "$work/crawl.sqlite"*
      measure "$size" "GovWatch crawler library, state in SQLite" "concurrency $conc, per host $conc, delay 0, robots on" \
        'grep -o "pages=[0-9]*" "$out" | cut -d= -f2' -- \
        "$bench" --url "$url" --concurrency "$conc" --per-host "$conc" --delay-ms 0 --max-pages "$max" --db "sqlite://$work/crawl.sqlite"
      measure "$size" "GovWatch crawler library, state in memory" "concurrency $conc, per host $conc, delay 0, robots on" \
        'grep -o "pages=[0-9]*" "$out" | cut -d= -f2' -- \
        "$bench" --url "$url" --concurrency "$conc" --per-host "$conc" --delay-ms 0 --max-pages "$max" --db memory
    fi
  done
  if [ "$first" = 1 ] || [ "$peers_large" = 1 ]; then
    if have scrapy; then
      measure "$size" "Scrapy runspider" "CONCURRENT_REQUESTS=$conc, PER_DOMAIN=$conc, DOWNLOAD_DELAY=0, robots on" \
        'grep -o "pages=[0-9]*" "$out" | cut -d= -f2' -- \
        scrapy runspider benchmarks/crawl/scrapy_spider.py -a "start=$url" -s CONCURRENT_REQUESTS="$conc" \
          -s CONCURRENT_REQUESTS_PER_DOMAIN="$conc" -s DOWNLOAD_DELAY=0 -s ROBOTSTXT_OBEY=True -s LOG_LEVEL=WARNING \
          -s TELNETCONSOLE_ENABLED=False
    fi
    if have linkchecker; then
      sed "s/^threads=.*/threads=$conc/" benchmarks/crawl/linkcheckerrc >"$work/linkcheckerrc"
      measure "$size" "LinkChecker" "threads=$conc, maxrequestspersecond=100000, robots on, server sends LinkChecker header" \
        'grep -o "in [0-9]* URLs checked" "$out" | grep -o "[0-9]*"' -- \
        linkchecker -f "$work/linkcheckerrc" --no-status "$url"
    fi
  fi
  first=0
done

# Page analysis alone (no network, one thread) on the first size's pages: the crawler's
# per-page CPU for parsing, extraction, the content screen and the record.
: >"$work/analyze.txt"
if [ "$library" = 1 ]; then
  "$analyze" --site "/tmp/govwatch-bench-site-${sizes[0]}" --rounds 3 >"$work/analyze.txt" 2>&1 || true
fi

# Where GovWatch's time goes: perf over a crawl of the first size (state in SQLite).
perf_txt=""
if [ "$library" = 1 ] && [ "$profile" = 1 ] && command -v perf >/dev/null; then
  start_nginx "/tmp/govwatch-bench-site-${sizes[0]}"
  rm -f "$work/perf.sqlite"*
  echo "crawl.sh: profiling…" >&2
  if timeout "$tmo" perf record -F 499 -g -o "$work/perf.data" -- "$bench" --url "http://127.0.0.1:$port/" \
      --concurrency "$conc" --per-host "$conc" --delay-ms 0 --max-pages $((sizes[0] * 2)) --db "sqlite://$work/perf.sqlite" \
      >"$work/perf.out" 2>"$work/perf.err"; then
    perf report -i "$work/perf.data" --no-children --sort dso,symbol --percent-limit 1 --stdio 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | head -40 | swift demangle --simplified | cut -c1-170 >"$work/perf.self.txt" || true
    perf report -i "$work/perf.data" --children --sort symbol --percent-limit 4 --stdio -g none 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | head -40 | swift demangle --simplified | cut -c1-170 >"$work/perf.children.txt" || true
    perf_txt="$work/perf"
  fi
fi
stop_nginx

mkdir -p benchmarks/results
cp "$raw" benchmarks/results/crawl-raw.txt
python3 - "$raw" "$conc" "$tmo" "${perf_txt:-}" "${sizes[*]}" "$work/analyze.txt" >benchmarks/results/crawl.md.new <<'PY'
import collections, datetime, os, subprocess, sys
raw, conc, tmo, perf, sizes, analyze = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
rows = [l.rstrip("\n").split("\t") for l in open(raw) if l.strip()]
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
print("# Crawl benchmark: the whole inspection against a link-only spider\n")
print(f"Reproduce: `bash benchmarks/crawl.sh {sizes}` (CONCURRENCY={conc}; release builds; every run bounded by "
      f"`timeout {tmo}`). Raw lines: `benchmarks/results/crawl-raw.txt`.\n")
print(f"Machine: {os.cpu_count()} cores ({model}), {mem:.0f} GiB memory; {datetime.date.today()}, "
      f"commit {commit} plus the working tree of that day. nginx 1 worker on loopback, `access_log off`.\n")
print("Site: benchmarks/crawl/generate_site.py — homepage, 40 TRS-style columns (`index.html`, `index_N.html`, "
      "15 dated items a page, TRS pagination), articles at `COLUMN/YYYYMM/tYYYYMMDD_ID.html` with Chinese text "
      "and the footer identity; about 11 links a page; HTML only. Every tool fetches `/` and `/index.html` both, "
      "so a SIZE-page site is SIZE + 1 pages for all of them.\n")
# Repeated runs of a tool are one entry: the median wall time (its pages), the highest peak
# RSS and exit code, and every run's wall time.
runs = collections.OrderedDict()
for size, tool, settings, pages, secs, rss, rc in rows:
    runs.setdefault((size, tool), []).append((settings, int(pages or 0), float(secs), int(rss or 0) / 1024, int(rc)))
by_size = collections.OrderedDict()
walls = {}
for (size, tool), rs in runs.items():
    ordered = sorted(rs, key=lambda r: r[2])
    settings, pages, secs, _, _ = ordered[(len(ordered) - 1) // 2]
    rss = max(r[3] for r in rs)
    rc = max(r[4] for r in rs)
    walls[(size, tool)] = [r[2] for r in rs]
    by_size.setdefault(size, []).append((tool, settings, pages, secs, rss, rc))
peers = ("wget --spider -r", "Scrapy runspider", "LinkChecker")
inspect = "govwatch inspect (crawl + every check + findings stored)"
verdicts = []
for size, entries in by_size.items():
    rate = {t: (p / s if s > 0 else 0) for t, _, p, s, _, _ in entries}
    wget = rate.get("wget --spider -r", 0)
    print(f"## {int(size):,}-page site\n")
    print("| tool | settings | pages | wall s (median) | runs: wall s | pages/s | × wget --spider -r | peak RSS MiB | exit |")
    print("|---|---|---|---|---|---|---|---|---|")
    for tool, settings, pages, secs, rss, rc in entries:
        ratio = f"{rate[tool] / wget:.2f}" if wget > 0 else "–"
        each = ", ".join(f"{w:.2f}" for w in walls[(size, tool)])
        print(f"| {tool} | {settings} | {pages:,} | {secs:.2f} | {each} | {rate[tool]:.0f} | {ratio} | {rss:.0f} | {rc} |")
    findings = os.path.join(os.path.dirname(raw), f"findings.{size}.txt")
    if os.path.exists(findings) and open(findings).read().strip():
        print(f"\nFindings stored by the inspection: {open(findings).read().strip()}.")
    print()
    if wget > 0 and inspect in rate:
        r = rate[inspect] / wget
        verdicts.append(f"- Throughput at {int(size):,} pages, the whole `govwatch inspect` vs wget --spider -r: "
                        f"{r:.2f}× ({rate[inspect]:.0f} vs {wget:.0f} pages/s) — target ≥ 1×: **{'met' if r >= 1 else 'missed'}**.")
rss_of = {(s, t): r for s, es in by_size.items() for t, _, _, _, r, _ in es}
sz = list(by_size)
if len(sz) >= 2:
    for tool in (inspect, "wget --spider -r", "GovWatch crawler library, state in SQLite", "GovWatch crawler library, state in memory"):
        points = [(s, rss_of[(s, tool)]) for s in sz if (s, tool) in rss_of]
        if len(points) >= 2:
            (s0, a), (s1, b) = points[0], points[-1]
            line = ", ".join(f"{m:.0f} MiB at {int(s):,}" for s, m in points)
            target = f" — target: flat (≤ 1.5×): **{'met' if b <= 1.5 * a else 'missed'}**" if tool == inspect else ""
            verdicts.append(f"- Peak RSS, {tool}: {line} pages ({b / a:.2f}× from {int(s0):,} to {int(s1):,}){target}.")
print("## Targets (issues 4 and 13)\n")
print("\n".join(verdicts))
if os.path.exists(analyze) and os.path.getsize(analyze) > 0:
    print(f"\n## Page analysis alone (GovWatchAnalyzeBench, {int(sz[0]):,}-page site, one thread, no network)\n")
    print("Parsing, extraction, the content screen and the record encoding of every page, best of 3 rounds:\n\n```")
    print(open(analyze).read().rstrip())
    print("```")
if perf:
    print(f"\n## Profile (perf record -g, GovWatch crawler on the {int(sz[0]):,}-page site, state in SQLite)\n")
    print("Self time by library and symbol (≥ 1%):\n\n```")
    print(open(perf + ".self.txt").read().rstrip())
    print("```\n\nInclusive time by symbol (≥ 4%):\n\n```")
    print(open(perf + ".children.txt").read().rstrip())
    print("```")
PY
mv benchmarks/results/crawl.md.new benchmarks/results/crawl.md
cat benchmarks/results/crawl.md
