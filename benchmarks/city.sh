#!/usr/bin/env bash
# The whole sample city end to end (issue 4): `govwatch demo --output DIR` (release build)
# starts the city's fixture server in process, imports the registry, replays a week of
# availability probes, crawls and checks every site and account (hostile pages included)
# and writes the findings. Wall time and peak RSS of the whole process, and the time of
# each phase (from the demo's own section headings). Writes benchmarks/results/city.md.
#
#   bash benchmarks/city.sh [RUNS]      # RUNS defaults to 3
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
timeout_s=${TIMEOUT:-1800}
command -v /usr/bin/time >/dev/null || { echo "city.sh: apt-get install -y time" >&2; exit 2; }
timeout 3600 swift build -c release --scratch-path .build-release --product govwatch >/dev/null
bin=$(swift build -c release --scratch-path .build-release --show-bin-path)/govwatch
work=$(mktemp -d /tmp/govwatch-bench-city.XXXXXX)
trap 'rm -rf "$work"' EXIT

for i in $(seq "$runs"); do
  rm -rf "$work/demo"
  # Each output line stamped with the seconds since the start, to time the phases.
  /usr/bin/time -v -o "$work/time.$i" timeout "$timeout_s" "$bin" demo --output "$work/demo" \
    | python3 -u -c 'import sys, time
t0 = time.monotonic()
for line in sys.stdin:
    print(f"{time.monotonic() - t0:9.3f} {line}", end="")' >"$work/out.$i"
  python3 -c "import json; d = json.load(open('$work/demo/findings.json')); print(len(d['findings']))" >"$work/findings.$i"
done

mkdir -p benchmarks/results
python3 - "$work" "$runs" "$timeout_s" >benchmarks/results/city.md.new <<'PY'
import datetime, os, re, statistics, subprocess, sys
work, runs, timeout_s = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def clock(s):
    parts = [float(x) for x in s.split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rows = []
for i in range(1, runs + 1):
    report = open(f"{work}/time.{i}").read()
    wall = clock(re.search(r"Elapsed \(wall clock\) time.*: (\S+)", report).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1)) / 1024
    cpu = float(re.search(r"User time \(seconds\): (\S+)", report).group(1)) + float(
        re.search(r"System time \(seconds\): (\S+)", report).group(1))
    lines = open(f"{work}/out.{i}").read().splitlines()
    heads = []  # (seconds, heading) for the demo's numbered sections 一、二、…
    for line in lines:
        stamp, _, text = line.strip().partition(" ")
        text = text.strip()
        if text[:1] in "一二三四五六七八九十" and text[1:2] == "、":
            heads.append((float(stamp), text.split("（")[0].split("(")[0]))
    end = float(lines[-1].split()[0])
    phases = [(h, (heads[k + 1][0] if k + 1 < len(heads) else end) - t) for k, (t, h) in enumerate(heads)]
    findings = int(open(f"{work}/findings.{i}").read())
    rows.append((wall, cpu, rss, phases, findings))
texts = [l.strip().partition(" ")[2].strip() for l in open(f"{work}/out.1").read().splitlines()]
summary = [t for t in texts if t.startswith(("政府网站", "政务新媒体", "发现问题"))]
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
print("# Sample city end to end\n")
print(f"Reproduce: `bash benchmarks/city.sh {runs}` (release build in `.build-release`; "
      f"`govwatch demo --output DIR` under `/usr/bin/time -v`, timeout {timeout_s} s per run).\n")
print(f"Machine: {os.cpu_count()} cores ({model}), {mem:.0f} GiB memory; {datetime.date.today()}, "
      f"commit {commit} plus the working tree of that day.\n")
print("What runs: the fixture server of 鸿溪市 in process (hostile pages included: redirect loops, endless "
      "calendars, a 20 MB page, a gzip bomb, a 1-byte-a-second response, a host failing one request in four), "
      "a fresh SQLite database, the registry import, 140 replayed probe rounds, the inspection of every site "
      "and account with the product's default crawl settings (`--max-pages` 2,000, concurrency 16, 4 per host, "
      "20 ms between requests to a host), findings written to JSON.\n")
for line in summary:
    print(f"- {line}")
print()
names = [h for h, _ in rows[0][3]]
print("| run | wall s | CPU s (user+sys) | peak RSS MiB | " + " | ".join(f"{h} s" for h in names) + " | findings |")
print("|---|---|---|---|" + "---|" * len(names) + "---|")
for n, (wall, cpu, rss, ph, f) in enumerate(rows, 1):
    print(f"| {n} | {wall:.1f} | {cpu:.1f} | {rss:.0f} | " + " | ".join(f"{d:.2f}" for _, d in ph) + f" | {f} |")
walls = [r[0] for r in rows]
print(f"\nMedian wall time {statistics.median(walls):.1f} s, peak RSS at most {max(r[2] for r in rows):.0f} MiB"
      f"; findings {'identical' if len({r[4] for r in rows}) == 1 else 'DIFFER'} across runs.")
PY
mv benchmarks/results/city.md.new benchmarks/results/city.md
cat benchmarks/results/city.md
