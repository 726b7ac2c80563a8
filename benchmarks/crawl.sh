#!/usr/bin/env bash
# Crawl benchmark (issue 4): one generated government site (crawl/generate_site.py: TRS-style
# column lists with dated items, articles, ~11 links a page, HTML only) served by nginx on
# loopback, crawled in one run, one tool after the other, by
#   - GovWatch's crawler (release), driven by crawl/Sources/GovWatchCrawlBench with the same
#     concurrency for the site as the peers (per-host limit = concurrency, no delay),
#     keeping its state in SQLite as `govwatch inspect` does, and again in memory;
#   - `govwatch inspect` itself (release CLI: crawl + checks + scoring, with the product's
#     polite per-host defaults, which the CLI cannot change: 4 per host, 20 ms apart);
#   - wget --spider -r (one connection: wget cannot crawl concurrently);
#   - Scrapy runspider (CONCURRENT_REQUESTS = CONCURRENT_REQUESTS_PER_DOMAIN = concurrency);
#   - LinkChecker (threads = concurrency, maxrequestspersecond=100000; nginx sends the
#     `LinkChecker` header that lifts its built-in per-host throttle, and a bounded extra
#     run against a server without the header shows what that throttle costs).
# Pages/s = pages fetched / process wall time; peak RSS from /usr/bin/time -v. GovWatch's
# crawler and wget run REPEAT times (default 3), interleaved, after one unmeasured warm-up
# crawl each; the median run counts. At the
# larger sizes only GovWatch's crawler (and wget, which is quick) runs, for the memory
# check, unless PEERS_AT_LARGE=1. Then perf profiles the GovWatch crawl of the first size.
# Writes benchmarks/results/crawl.md (raw lines in benchmarks/results/crawl-raw.txt).
#
#   bash benchmarks/crawl.sh [SIZE...]             # default: 10000 100000
#   CONCURRENCY=16 TIMEOUT=1800 PEERS_AT_LARGE=0 CLI=1 PROFILE=1 PORT=18089 REPEAT=3 bash benchmarks/crawl.sh
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
cli=${CLI:-1}
profile=${PROFILE:-1}
for tool in nginx wget scrapy linkchecker /usr/bin/time sqlite3 python3 curl; do
  command -v "$tool" >/dev/null || {
    echo "crawl.sh: $tool is missing (apt-get install -y nginx wget linkchecker time sqlite3 curl; pip install scrapy)" >&2; exit 2; }
done

echo "crawl.sh: building (release)…" >&2
timeout 3600 swift build -c release --scratch-path .build-release --product govwatch >/dev/null
gw=$(swift build -c release --scratch-path .build-release --show-bin-path)/govwatch
(cd benchmarks/crawl && timeout 3600 swift build -c release --product GovWatchCrawlBench >/dev/null)
bench=$(cd benchmarks/crawl && swift build -c release --show-bin-path)/GovWatchCrawlBench
(cd benchmarks/crawl && timeout 3600 swift build -c release --product GovWatchAnalyzeBench >/dev/null)
analyze=$(cd benchmarks/crawl && swift build -c release --show-bin-path)/GovWatchAnalyzeBench

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

  # One unmeasured crawl by each first: the site's files in the page cache, nginx warm, the
  # build's disk writes settled — the first run after a build was up to 20% slower.
  sync
  rm -f "$work/warm.sqlite"*
  "$bench" --url "$url" --concurrency "$conc" --per-host "$conc" --delay-ms 0 --max-pages "$max" \
    --db "sqlite://$work/warm.sqlite" >/dev/null 2>&1 || true
  rm -rf "$work/wget"; mkdir -p "$work/wget"
  (cd "$work/wget" && wget --spider -r -l inf -nd -np --delete-after -nv "$url" >/dev/null 2>&1) || true
  rm -f "$work/warm.sqlite"*
  # GovWatch and the fastest peer (wget) run REPEAT times, interleaved, and are reported by
  # their median: a single run of a few seconds on a shared 2-core machine varies by ±10%.
  for run in $(seq "$repeat"); do
    rm -f "$work/crawl.sqlite"*
    measure "$size" "GovWatch crawler, state in SQLite" "concurrency $conc, per host $conc, delay 0, robots on" \
      'grep -o "pages=[0-9]*" "$out" | cut -d= -f2' -- \
      "$bench" --url "$url" --concurrency "$conc" --per-host "$conc" --delay-ms 0 --max-pages "$max" --db "sqlite://$work/crawl.sqlite"
    measure "$size" "GovWatch crawler, state in memory" "concurrency $conc, per host $conc, delay 0, robots on" \
      'grep -o "pages=[0-9]*" "$out" | cut -d= -f2' -- \
      "$bench" --url "$url" --concurrency "$conc" --per-host "$conc" --delay-ms 0 --max-pages "$max" --db memory
    rm -rf "$work/wget"; mkdir -p "$work/wget"
    measure "$size" "wget --spider -r" "one connection (wget has no concurrency)" \
      'awk "/^Downloaded:/ {print \$2 - 1}" "$out"' -- \
      sh -c "cd '$work/wget' && wget --spider -r -l inf -nd -np --delete-after -nv '$url'"
  done
  if [ "$first" = 1 ] || [ "$peers_large" = 1 ]; then
    if [ "$cli" = 1 ]; then
      db="$work/inspect.sqlite"; rm -f "$db"*
      printf 'code,name,url,kind,unit\n5100000099,鸿溪市人民政府门户网站,%s,portal,鸿溪市人民政府办公室\n' "$url" >"$work/sites.csv"
      "$gw" import sites "$work/sites.csv" --db "sqlite://$db" >/dev/null
      measure "$size" "govwatch inspect (CLI, crawl + checks)" "--concurrency $conc; per host 4, 20 ms apart (defaults, no flag)" \
        "sqlite3 '$db' \"select count(*) from crawl_urls where role = 'page' and state != 'queued'\"" -- \
        "$gw" inspect --site 5100000099 --max-pages "$max" --concurrency "$conc" --as-of 2023-01-01 --db "sqlite://$db"
    fi
    measure "$size" "Scrapy runspider" "CONCURRENT_REQUESTS=$conc, PER_DOMAIN=$conc, DOWNLOAD_DELAY=0, robots on" \
      'grep -o "pages=[0-9]*" "$out" | cut -d= -f2' -- \
      scrapy runspider benchmarks/crawl/scrapy_spider.py -a "start=$url" -s CONCURRENT_REQUESTS="$conc" \
        -s CONCURRENT_REQUESTS_PER_DOMAIN="$conc" -s DOWNLOAD_DELAY=0 -s ROBOTSTXT_OBEY=True -s LOG_LEVEL=WARNING \
        -s TELNETCONSOLE_ENABLED=False
    sed "s/^threads=.*/threads=$conc/" benchmarks/crawl/linkcheckerrc >"$work/linkcheckerrc"
    measure "$size" "LinkChecker" "threads=$conc, maxrequestspersecond=100000, robots on, server sends LinkChecker header" \
      'grep -o "in [0-9]* URLs checked" "$out" | grep -o "[0-9]*"' -- \
      linkchecker -f "$work/linkcheckerrc" --no-status "$url"
    if [ "$first" = 1 ]; then
      # The same LinkChecker settings against a server without the header, stopped after 30 s.
      sed "s/^timeout=30/timeout=30\nmaxrunseconds=30/" "$work/linkcheckerrc" >"$work/linkcheckerrc-noheader"
      measure "$size" "LinkChecker, no LinkChecker header (30 s)" "as above; its default throttle: 0.1–0.6 s between requests to a host" \
        'grep -o "in [0-9]* URLs checked" "$out" | grep -o "[0-9]*"' -- \
        linkchecker -f "$work/linkcheckerrc-noheader" --no-status "http://127.0.0.1:$((port + 1))/"
    fi
  fi
  first=0
done

# Page analysis alone (no network, one thread) on the first size's pages: the crawler's
# per-page CPU for parsing, extraction, the content screen and the record.
"$analyze" --site "/tmp/govwatch-bench-site-${sizes[0]}" --rounds 3 >"$work/analyze.txt" 2>&1 || true

# Where GovWatch's time goes: perf over a crawl of the first size (state in SQLite).
perf_txt=""
if [ "$profile" = 1 ] && command -v perf >/dev/null; then
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
print("# Crawl benchmark\n")
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
verdicts = []
for size, entries in by_size.items():
    rate = {t: (p / s if s > 0 else 0) for t, _, p, s, _, _ in entries}
    peer_rates = {t: r for t, r in rate.items() if t in peers}
    fastest = max(peer_rates, key=peer_rates.get) if peer_rates else None
    print(f"## {int(size):,}-page site\n")
    print("| tool | settings | pages | wall s (median) | runs: wall s | pages/s | × fastest peer | peak RSS MiB | exit |")
    print("|---|---|---|---|---|---|---|---|---|")
    for tool, settings, pages, secs, rss, rc in entries:
        ratio = f"{rate[tool] / peer_rates[fastest]:.2f}" if fastest and peer_rates[fastest] > 0 else "–"
        each = ", ".join(f"{w:.2f}" for w in walls[(size, tool)])
        print(f"| {tool} | {settings} | {pages:,} | {secs:.2f} | {each} | {rate[tool]:.0f} | {ratio} | {rss:.0f} | {rc} |")
    if fastest:
        print(f"\nFastest peer: {fastest} ({peer_rates[fastest]:.0f} pages/s).\n")
        gw = rate.get("GovWatch crawler, state in SQLite", 0)
        verdicts.append(f"- Throughput at {int(size):,} pages, GovWatch crawler (state in SQLite) vs {fastest}: "
                        f"{gw / peer_rates[fastest]:.2f}× — target ≥ 2×: **{'met' if gw >= 2 * peer_rates[fastest] else 'missed'}**.")
        mem_gw = rate.get("GovWatch crawler, state in memory", 0)
        verdicts.append(f"- The same with the state in memory: {mem_gw / peer_rates[fastest]:.2f}×.")
    else:
        print()
rss_of = {(s, t): r for s, es in by_size.items() for t, _, _, _, r, _ in es}
sz = list(by_size)
if len(sz) >= 2:
    for tool in ("GovWatch crawler, state in SQLite", "GovWatch crawler, state in memory"):
        a, b = rss_of.get((sz[0], tool)), rss_of.get((sz[-1], tool))
        if a and b:
            verdicts.append(f"- Memory, {tool}: peak RSS {a:.0f} MiB at {int(sz[0]):,} pages, {b:.0f} MiB at "
                            f"{int(sz[-1]):,} ({b / a:.2f}×) — target ≤ 2×: **{'met' if b <= 2 * a else 'missed'}**.")
print("## Targets (issue 4)\n")
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
