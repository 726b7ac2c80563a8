#!/usr/bin/env python3
"""Writes benchmarks/results/web.md from web-raw.txt (every run of web.sh, appended).

The newest run gives the main tables; a run labelled `before` (LABEL=before) gives the
before/after columns. The hand-written analysis below the `<!-- analysis -->` marker of the
existing web.md is kept as it is.

    report.py RAW CACHE_DIR > web.md
"""
import datetime
import os
import re
import subprocess
import sys

raw_path, cache = sys.argv[1], sys.argv[2]
results = os.path.join(os.path.dirname(raw_path), "web.md")

runs = []  # (header, [lines])
for line in open(raw_path, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("# run "):
        runs.append((line[6:], []))
    elif line and runs:
        runs[-1][1].append(line.split())


writes = {}  # backend: (answered 200, other)


def parse(lines):
    pages, rss, soak = {}, {}, {}
    for f in lines:
        if f[1] == "rss":
            rss.setdefault(f[0], []).append((int(f[2]), int(f[3])))
        elif f[1] == "soak":
            soak[f[0]] = (float(f[2]), int(f[3]))
        elif f[1] == "writes":
            writes[f[0]] = (int(f[2]), int(f[3]))
        else:
            backend, name, path, size, single, rps, p50, p99, non2xx, errors = f
            pages[(backend, name)] = dict(path=path, bytes=int(size), single=float(single) * 1000, rps=float(rps),
                                          p50=float(p50), p99=float(p99), bad=int(non2xx) + int(errors))
    return pages, rss, soak


def sh(command):
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True).stdout.strip()


latest_header, latest_lines = runs[-1]
pages, rss, soak = parse(latest_lines)
before_run = next(((header, lines) for header, lines in reversed(runs) if header.split()[0] == "before"), None)
before = parse(before_run[1])[0] if before_run else None
names = [("tickets-page", "整改 list page `/tickets`"), ("tickets-api", "ticket list API `/api/v1/tickets`"),
         ("site-page", "site page `/sites/{code}`"), ("overview", "overview `/`"),
         ("nginx", "nginx: static copy of `/tickets` (ceiling)")]
backends = [b for b in ("sqlite", "postgres") if any(k[0] == b for k in pages)]

cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
mem = sh("free -g | awk '/Mem:/ {print $2}'")
pg = sh("ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1")
counts = ""
for name in ("sqlite.counts", "pg.counts"):
    path = os.path.join(cache, name)
    if os.path.exists(path):
        counts = open(path).read().strip()
seconds = {b: open(os.path.join(cache, f"{p}.seconds")).read().strip()
           for b, p in (("SQLite", "sqlite"), ("PostgreSQL", "pg")) if os.path.exists(os.path.join(cache, f"{p}.seconds"))}

out = []
p = out.append
p("# Web platform under load\n")
p(f"`bash benchmarks/web.sh` — newest run: {latest_header}; {os.cpu_count()} cores ({cpu}), {mem} GiB RAM,")
p(f"Debian 12, Swift 6.3.1 release build, PostgreSQL {pg} on loopback (fsync off, default shared_buffers), "
  f"SQLite in WAL mode. Written {datetime.date.today()}.\n")
p("## Data\n")
p(f"Generated once and cached (`benchmarks/web/generate_db.py`; schema made by the product's own migrations): `{counts}`.")
p("100 units (the city government, 40 city departments, 9 counties, 50 county departments), 10 columns a site,")
p("12 quarterly runs of ~83,000 findings each (a skewed share per target: the largest site has thousands a run),")
p("problems persisting over several runs (same fingerprint), 50,000 tickets in every state with their history")
p("(create, feedback, re-inspection closed or reopened, dismissed), a week of probes every quarter hour. The text of")
p("every finding and ticket (indicator, level, detail, evidence with its highlighted span) is copied from what")
p("`govwatch demo` stores for the sample city. Generation: " +
  ", ".join(f"{k} {v} s" for k, v in seconds.items()) + " (cached in `/tmp/govwatch-bench-web-KEY` while the generator is unchanged).\n")
p("## Method\n")
p("`govwatch serve --inspection-lanes 0` on 127.0.0.1, signed in as the administrator (all 100 units in scope) with an")
p("API token (`Authorization: Bearer`, `govwatch users token`); every page checked to answer 200 first. For each")
p("target: wrk 4.1 with 2 threads and 32 connections, a 10 s warm-up, then 30 s measured (`--latency`). wrk runs on")
p("the same 2 cores as the server (as does PostgreSQL), so every number includes that contention; nginx (2 workers,")
p("`sendfile`, no access log) serving the bytes of the `/tickets` page as a static file is measured the same way in")
p("the same run: the ceiling of this machine for a page of that size. The site page is the site with the most")
p("findings in the newest run. `single` is one request without load (curl). Ratio = requests/s ÷ nginx's.")
p("`serve` runs as shipped, with its page cache on (`server.page_cache_mib` 64): the check request computes each")
p("page once, then the measured requests read the write counters (`data_versions`, one query) and get the cached")
p("body in their own frame. Two more rounds per backend show what that hides: the same targets while a ticket is")
p("dismissed through the API every second (each write invalidates the ticket lists and the overview's ticket")
p("parts), and a `serve` with the cache off (`server.page_cache_mib: 0`), which computes every page.\n")


def table(backend, rows, reference):
    p(f"### {'SQLite' if backend == 'sqlite' else 'PostgreSQL'}\n")
    head = "| target | bytes | single ms | requests/s | p50 ms | p99 ms | vs nginx | errors |"
    if before:
        head += " before: requests/s | before: p99 ms |"
    p(head)
    p("|" + "---|" * (head.count("|") - 1))
    ceiling = rows.get((backend, "nginx"))
    for name, title in names:
        r = rows.get((backend, name))
        if not r:
            continue
        ratio = f"{r['rps'] / ceiling['rps']:.3f}×" if ceiling and name != "nginx" else ("1×" if name == "nginx" else "")
        single = f"{r['single']:.1f}" if name != "nginx" else "—"
        def p99(r):  # wrk leaves requests without an answer within its 2 s timeout out of the latencies
            timed_out = r["rps"] <= 0 or r["p99"] <= 0 or r["bad"] > 0.01 * r["rps"] * 30
            return "> 2,000" if timed_out else f"{r['p99']:.1f}"
        def p50(r):
            return "—" if r["p50"] <= 0 else f"{r['p50']:.1f}"
        line = (f"| {title} | {r['bytes']:,} | {single} | {r['rps']:,.1f} | {p50(r)} | {p99(r)} | {ratio} |"
                f" {r['bad']} |")
        if before:
            b = before.get((backend, name))
            line += f" {b['rps']:,.1f} | {p99(b)} |" if b else " | |"
        p(line)
    met = [name for name, _ in names[:4] if (backend, name) in rows
           and rows[(backend, name)]["rps"] >= 500 and rows[(backend, name)]["p99"] <= 100]
    p(f"\nTarget (≥ 500 requests/s and p99 ≤ 100 ms): met by {len(met)} of 4 ({', '.join(met) or 'none'}).\n")
    for variant, title in (("writes", "Under a write a second"), ("nocache", "Without the page cache")):
        if not any((backend, f"{name}@{variant}") in rows for name, _ in names[:4]):
            continue
        if variant == "writes":
            done, failed = writes.get(backend, (0, 0))
            p(f"{title} (a ticket dismissed through the API every second during each measurement: {done} answered 200,"
              f" {failed} other):\n")
        else:
            p(f"{title} (`server.page_cache_mib: 0`, every page computed; `single` is one request without load):\n")
        p("| target | single ms | requests/s | p50 ms | p99 ms | requests/s ÷ cached | errors |")
        p("|---|---|---|---|---|---|---|")
        for name, label in names[:4]:
            r, cached = rows.get((backend, f"{name}@{variant}")), rows.get((backend, name))
            if not r:
                continue
            single = f"{r['single']:.1f}" if variant == "nocache" else "—"
            share = f"{r['rps'] / cached['rps']:.2f}" if cached else ""
            timed_out = r["rps"] <= 0 or r["p99"] <= 0 or r["bad"] > 0.01 * r["rps"] * 30
            p99 = "> 2,000" if timed_out else f"{r['p99']:.1f}"
            p(f"| {label} | {single} | {r['rps']:,.1f} | {r['p50']:.1f} | {p99} | {share} | {r['bad']} |")
        p("")


p("## Results\n")
if before_run:
    p(f"`before` columns: the run `{before_run[0]}` (the code before the fixes, same data). `errors` counts")
    p("socket errors (timeouts: no answer within wrk's 2 s) and non-2xx answers.\n")
for backend in backends:
    table(backend, pages, before)

if rss:
    p("## Memory over a soak run\n")
    p("The four pages in turn (a wrk Lua script), 32 connections, for the whole soak; `VmRSS` of the serve process")
    p("before the load (minute 0) and at the end of every minute.\n")
    minutes = sorted({m for series in rss.values() for m, _ in series})
    p("| backend | " + " | ".join(f"min {m}" for m in minutes) + " | requests/s | log lines |")
    p("|---|" + "---|" * (len(minutes) + 2))
    for backend, series in rss.items():
        values = dict(series)
        rate, lines = soak.get(backend, (0, 0))
        p(f"| {backend} | " + " | ".join(f"{values[m] / 1024:.0f} MiB" if m in values else "" for m in minutes)
          + f" | {rate:,.0f} | {lines:,} |")
    p("")

analysis = "<!-- analysis: hand-written, kept by report.py -->"
kept = ""
if os.path.exists(results):
    text = open(results, encoding="utf-8").read()
    if analysis in text:
        kept = text[text.index(analysis) + len(analysis):]
p(analysis + kept.rstrip("\n") if kept else analysis)
print("\n".join(out))
