#!/usr/bin/env python3
"""Fills a GovWatch database, already created by `govwatch`'s own migrations, with a city of
100 units at the scale of benchmarks/web.sh: 150 sites, 300 accounts, 12 quarterly runs with
1,000,000 findings and their scorecards, 50,000 tickets with their history, a week of
availability probes every quarter hour, ten columns a site.

The text of findings and tickets (indicator, level, detail, evidence with its highlighted
span) is copied from the rows `govwatch demo` stored for the sample city, so pages render
the same kinds of evidence they render in production; only targets, URLs and fingerprints
change. A problem persists over several runs (same fingerprint, as re-inspection finds it
again), so tickets carry real occurrence counts, first/last seen and the last run.

    generate_db.py --template DEMO.sqlite --sqlite FILE      # insert into an SQLite file
    generate_db.py --template DEMO.sqlite --copy-dir DIR     # write PostgreSQL COPY files + load.sql

Deterministic (fixed seed); every id is explicit, so both databases hold the same rows.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import sys

UNITS = 100
RUNS = 12
FINDINGS = 1_000_000
TICKETS = 50_000
COLUMNS_PER_SITE = 10
PROBE_DAYS = 8
CST = dt.timezone(dt.timedelta(hours=8))

DATE_COLUMNS = {"as_of", "started_at", "finished_at", "first_seen", "last_seen", "at", "probed_at"}
BOOL_COLUMNS = {"passed", "incomplete", "ok", "top_level", "is_main", "interaction"}

DEPARTMENTS = [
    "人民政府办公室", "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
    "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
    "农业农村局", "商务局", "文化旅游广电局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
    "市场监督管理局", "统计局", "医疗保障局", "林业局", "城市管理局", "信访局", "行政审批服务局", "数据资源管理局",
    "地方金融监督管理局", "体育局", "机关事务管理局", "人民防空办公室", "民族宗教事务局", "粮食和物资储备局",
    "乡村振兴局", "国有资产监督管理委员会", "外事办公室", "档案馆",
]
COUNTIES = ["青山县", "白沙县", "云溪县", "石门县", "清河区", "东湖区", "南岭县", "北塘县", "西林县"]
COUNTY_DEPARTMENTS = ["教育局", "卫生健康局", "人力资源和社会保障局", "民政局", "财政局", "住房和城乡建设局"]
PLATFORMS = ["wechat", "weibo", "douyin", "toutiao", "kuaishou", "app"]
CATEGORIES = ["news", "notice", "policy", "planning", "personnel", "consultation", "other"]
CITY = "临江市"


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def quarter_ends(now, count):
    """The last `count` quarter-end days before `now`, oldest first."""
    ends = []
    year, month = now.year, now.month
    quarter_month = ((month - 1) // 3) * 3  # month before this quarter began (0 = previous December)
    while len(ends) < count:
        if quarter_month == 0:
            year, quarter_month = year - 1, 12
        first_next = dt.date(year + (quarter_month // 12), quarter_month % 12 + 1, 1)
        ends.append(first_next - dt.timedelta(days=1))
        quarter_month -= 3
    return list(reversed(ends))


class SQLiteSink:
    def __init__(self, path):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = OFF")

    def add(self, table, columns, rows):
        marks = ",".join("?" * len(columns))
        sql = f'INSERT INTO "{table}" ({",".join(columns)}) VALUES ({marks})'
        self.db.executemany(sql, rows)

    def close(self):
        self.db.commit()
        self.db.execute("ANALYZE")
        self.db.commit()
        self.db.close()


class CopySink:
    """PostgreSQL COPY text files (tab-separated, \\N for null) and a psql script loading them."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.script = ["\\set ON_ERROR_STOP on", "BEGIN;"]
        self.tables = []

    @staticmethod
    def value(column, value):
        if value is None:
            return "\\N"
        if column in BOOL_COLUMNS:
            return "t" if value else "f"
        if column in DATE_COLUMNS:
            return dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f+00")
        text = str(value)
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    def add(self, table, columns, rows):
        path = os.path.join(self.directory, f"{table}.{len(self.script)}.tsv")
        with open(path, "w", encoding="utf-8") as out:
            for row in rows:
                out.write("\t".join(self.value(c, v) for c, v in zip(columns, row)))
                out.write("\n")
        self.script.append(f"\\copy \"{table}\" ({','.join(columns)}) FROM '{path}'")
        if table not in self.tables:
            self.tables.append(table)

    def close(self):
        for table in self.tables:  # ids were explicit: move each identity past them
            self.script.append(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"));")
        self.script.append("COMMIT;")
        self.script.append("ANALYZE;")
        with open(os.path.join(self.directory, "load.sql"), "w") as out:
            out.write("\n".join(self.script) + "\n")


def templates(path):
    db = sqlite3.connect(path)
    rows = db.execute(
        "SELECT target_kind, indicator, level, url, detail, evidence FROM findings ORDER BY id").fetchall()
    by_kind = {}
    for kind, indicator, level, url, detail, evidence in rows:
        by_kind.setdefault(kind, []).append((indicator, level, url, detail, evidence))
    db.close()
    return by_kind


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", required=True)
    parser.add_argument("--sqlite")
    parser.add_argument("--copy-dir")
    args = parser.parse_args()
    sink = SQLiteSink(args.sqlite) if args.sqlite else CopySink(args.copy_dir)
    rng = random.Random(20221231)
    kinds = templates(args.template)
    now = dt.datetime.now(CST)

    # Units: the city government, 40 city departments, 9 counties, 50 county departments.
    units = [(1, f"{CITY}人民政府", None)]
    for i, name in enumerate(DEPARTMENTS):
        units.append((2 + i, CITY + name, 1))
    for i, county in enumerate(COUNTIES):
        units.append((42 + i, county + "人民政府", 1))
    n = 51
    while n <= UNITS:
        county = (n - 51) % len(COUNTIES)
        units.append((n, COUNTIES[county] + COUNTY_DEPARTMENTS[(n - 51) // len(COUNTIES)], 42 + county))
        n += 1
    sink.add("units", ["id", "name", "parent_id"], units)
    unit_name = {u[0]: u[1] for u in units}

    # Sites: one per unit, a second for the first 50 units (a special-topic site).
    sites = []
    for unit_id, name, _ in units:
        sites.append((unit_id, name))
    for unit_id, name, _ in units[:50]:
        sites.append((unit_id, name.replace("人民政府", "") + "政务服务专题网"))
    site_rows, site_targets = [], []
    for i, (unit_id, name) in enumerate(sites, start=1):
        code = f"43{9100000 + i:08d}"
        portal = unit_id == 1 or 42 <= unit_id <= 50
        url = f"http://s{i}.linjiang.gov.cn/"
        site_rows.append((i, code, name, url, "portal" if portal and i <= UNITS else "department", unit_id,
                          f"湘ICP备{13000000 + i}号-1", f"湘公网安备 4390000{i:07d}号", None))
        site_targets.append(("site", code, name, unit_id, url))
    sink.add("sites", ["id", "code", "name", "url", "kind", "unit_id", "icp", "police", "aliases"], site_rows)

    columns = []
    for i, (_, code, name, url, *_rest) in enumerate(site_rows, start=1):
        for c in range(COLUMNS_PER_SITE):
            category = CATEGORIES[c % len(CATEGORIES)]
            columns.append((len(columns) + 1, i, f"栏目{c + 1}", f"{url}col{c + 1}/", category,
                            None, c < 7, "imported" if c < 9 else "discovered"))
    sink.add("site_columns", ["id", "site_id", "name", "url", "category", "period_days", "top_level", "origin"], columns)

    accounts, account_targets = [], []
    for unit_id, name, _ in units:
        for k in range(3):
            platform = PLATFORMS[(unit_id + k) % len(PLATFORMS)]
            account_id = f"{7100000000 + unit_id * 10 + k}"
            title = name.replace("人民政府", "").replace(CITY, "临江") + ["发布", "微政务", "在线"][k]
            accounts.append((len(accounts) + 1, platform, account_id, title, unit_id, k == 0, "active",
                             None, None, None, True, None))
            account_targets.append(("account", account_id, title, unit_id, f"https://{platform}.example.cn/{account_id}/"))
    sink.add("accounts", ["id", "platform", "account_id", "name", "unit_id", "is_main", "status", "feed",
                          "closure_filed", "download_url", "interaction", "closed_on"], accounts)
    unit_targets = [("unit", name, name, unit_id, None) for unit_id, name, _ in units]

    # Runs: the last 12 quarters, as of the first moment of the day after the quarter's end (CST).
    runs = []
    for i, day in enumerate(quarter_ends(now, RUNS), start=1):
        as_of = dt.datetime(day.year, day.month, day.day, tzinfo=CST) + dt.timedelta(days=1)
        started = as_of + dt.timedelta(days=1, hours=1)
        runs.append((i, f"r-{day:%Y%m%d}-0001", as_of.timestamp(), "national-2019@1", started.timestamp(),
                     (started + dt.timedelta(hours=3)).timestamp(), "finished"))
    sink.add("inspection_runs", ["id", "code", "as_of", "indicator_set", "started_at", "finished_at", "status"], runs)

    # Findings per target and run: a skewed share (a few large sites hold most dead links);
    # each target's problems form a window over its pool that moves on by an eighth per run.
    targets = site_targets + account_targets + unit_targets
    share = {"site": 0.85, "account": 0.13, "unit": 0.02}
    per_run = FINDINGS // RUNS
    weights = {}
    for kind in share:
        group = [t for t in targets if t[0] == kind]
        raw = [1 / (r + 1) ** 0.7 for r in range(len(group))]
        rng.shuffle(raw)
        total = sum(raw)
        for t, w in zip(group, raw):
            weights[t[1]] = w / total * share[kind] * per_run
    counts = {t[1]: max(1, int(weights[t[1]])) for t in targets}
    missing = per_run - sum(counts.values())
    for t in targets[:abs(missing)]:
        counts[t[1]] += 1 if missing > 0 else -1
    leftover = FINDINGS - per_run * RUNS  # the last run takes the remainder
    finding_columns = ["id", "run_id", "target_kind", "target_code", "target_name", "indicator", "level", "url",
                       "detail", "evidence", "fingerprint"]

    # Problems found page by page (a dead link, personal information on a page, a wrong
    # expression in a post) repeat within a target; the others are found at most once a
    # target (the homepage, the search box, the identity code) or once a column.
    repeatable = {"site.links.broken": 50, "site.content.privacy": 10, "site.content.severe-error": 10,
                  "site.content.sensitive": 5, "site.dark-link": 5, "site.https.missing": 10,
                  "account.content.privacy": 1, "account.content.severe-error": 1}
    per_column = {"site.column.stale", "site.column.blank"}
    weighted = {kind: [t for t in pool if t[0] in repeatable for _ in range(repeatable[t[0]])] or pool
                for kind, pool in kinds.items()}
    once = {kind: [t for t in pool if t[0] not in repeatable and t[0] not in per_column] for kind, pool in kinds.items()}
    column_templates = [t for t in kinds["site"] if t[0] in per_column]

    def once_problems(target):
        """The target's problems of the found-once kind: (key, template, url), stable over runs."""
        kind, code, name, unit_id, base = target
        found = []
        pool = once[kind]
        for i in range(min(6, len(pool))):
            template = pool[int(md5(f"{code}/once/{i}")[:6], 16) % len(pool)]
            if template[0] not in {t[1][0] for t in found}:
                found.append((f"once/{i}", template, template[2] and base))
        if kind == "site":
            for c in range(COLUMNS_PER_SITE):
                h = int(md5(f"{code}/column/{c}")[:6], 16)
                if h % 3 == 0:
                    found.append((f"column/{c}", column_templates[h % len(column_templates)], f"{base}col{c + 1}/"))
        return found

    once_of = {t[1]: once_problems(t) for t in targets}

    def problems(target, run_id, m):
        """The m problems of a target in a run: its found-once problems still open in this run,
        then page problems from a window over the target's pool that moves on by an eighth a run."""
        kind, code, name, unit_id, base = target
        chosen = [(key, template, url) for key, template, url in once_of[code]
                  if int(md5(f"{code}/{key}/{run_id}")[:6], 16) % 4 != 0][:m]
        rest = m - len(chosen)
        shift = max(1, rest // 8)
        pool = weighted[kind]
        for k in range((run_id - 1) * shift, (run_id - 1) * shift + rest):
            template = pool[int(md5(f"{code}/{k}")[:6], 16) % len(pool)]
            url = template[2] and base and f"{base}art/{2020 + k % 7}/{k % 12 + 1}/art_{k}.html"
            chosen.append((f"page/{k}", template, url))
        for key, (indicator, level, _, detail, evidence), url in chosen:
            yield indicator, level, url, detail, evidence, md5(f"{kind}|{code}|{key}")

    fid = 0
    seen = {}  # fingerprint -> [target, problem, first run, last run, occurrences]
    for run_id, code, *_ in runs:
        rows = []
        extra = leftover if run_id == RUNS else 0
        for target in targets:
            m = counts[target[1]] + (extra if target is targets[0] else 0)
            for problem in problems(target, run_id, m):
                indicator, level, url, detail, evidence, fingerprint = problem
                fid += 1
                rows.append((fid, run_id, target[0], target[1], target[2], indicator, level, url, detail, evidence,
                             fingerprint))
                entry = seen.get(fingerprint)
                if entry is None:
                    seen[fingerprint] = [target, problem, run_id, run_id, 1, level]
                else:
                    entry[3] = run_id
                    entry[4] += 1
        sink.add("findings", finding_columns, rows)
    assert fid == FINDINGS, fid

    # Scorecards: every target of every run; vetoes and scores from its findings' levels.
    cards = []
    for run_id, *_ in runs:
        for kind, code, name, unit_id, _ in targets:
            h = int(md5(f"{run_id}/{code}")[:8], 16)
            veto = ""
            if h % 5 == 0:
                veto = {"site": "site.content.severe-error", "account": "account.content.severe-error",
                        "unit": ""}[kind]
            score = 60 + h % 41 - (0 if kind != "unit" else 0)
            cards.append((len(cards) + 1, run_id, kind, code, name, float(score), veto,
                          score >= 80 and not veto, h % 97 == 0, 0))
    sink.add("scorecards", ["id", "run_id", "target_kind", "target_code", "target_name", "score", "vetoes",
                            "passed", "incomplete", "unconfirmed_columns"], cards)

    # Tickets: 50,000 of the problems that cost points (not notices), in the order they were raised.
    candidates = [fp for fp, e in seen.items() if e[5] != "notice"]
    chosen = sorted(sorted(candidates, key=lambda fp: md5("t" + fp))[:TICKETS], key=lambda fp: (seen[fp][2], fp))
    assert len(chosen) == TICKETS, len(chosen)
    run_as_of = {r[0]: r[2] for r in runs}
    run_code = {r[0]: r[1] for r in runs}
    tickets, events = [], []
    for tid, fp in enumerate(chosen, start=1):
        target, problem, first, last, occurrences, level = seen[fp]
        kind, code, name, unit_id, _ = target
        indicator, level, url, detail, evidence, _ = problem
        h = int(fp[:8], 16)
        created = run_as_of[first] + 9 * 3600
        deadline = (dt.datetime.fromtimestamp(run_as_of[first], CST) + dt.timedelta(days=15 if level != "veto" else 5)).date()
        reopened = 1 if h % 11 == 0 else 0
        feedback_text = None
        mine = []  # this ticket's events: (at, actor, action, from, to, reason)
        mine.append((created, "系统复查", "create", None, "open",
                       f"检查（{run_code[first]}）发现问题，下发整改，整改期限 {deadline}"))
        if last == RUNS:  # still found by the latest run
            state = ["open", "open", "open", "feedback", "feedback", "dismissed"][h % 6]
            if reopened:
                mine.append((created + 5 * 86400, unit_name[unit_id] + "网站管理员", "feedback", "open", "feedback", None))
                mine.append((run_as_of[first + 1] + 9 * 3600 if first < RUNS else created + 6 * 86400, "系统复查",
                               "reinspect-reopened", "feedback", "open", "单位反馈已整改，但复查仍发现该问题"))
            if state == "feedback":
                feedback_text = "已按要求整改，相关页面已更正，附盖章件。"
                mine.append((created + 8 * 86400, unit_name[unit_id] + "网站管理员", "feedback", "open", "feedback", None))
            elif state == "dismissed":
                mine.append((created + 3 * 86400, "inspector", "dismiss", "open", "dismissed", "经核实不属于问题"))
        else:
            state = "closed" if h % 10 else "dismissed"
            if state == "closed":
                feedback_text = "已整改。"
                mine.append((created + 7 * 86400, unit_name[unit_id] + "网站管理员", "feedback", "open", "feedback", None))
                mine.append((run_as_of[last + 1] + 9 * 3600, "系统复查", "reinspect-closed", "feedback", "closed",
                               f"复查（{run_code[last + 1]}）未再发现该问题"))
            else:
                mine.append((created + 3 * 86400, "inspector", "dismiss", "open", "dismissed", "经核实不属于问题"))
        tickets.append((tid, fp, unit_id, kind, code, name, indicator, level, url, evidence, state, occurrences,
                        run_as_of[first], run_as_of[last], str(deadline), None, feedback_text, reopened,
                        md5("s" + fp)[:16], run_code[last]))
        while mine:
            events.append((tid,) + mine.pop(0))
    sink.add("tickets", ["id", "fingerprint", "unit_id", "target_kind", "target_code", "target_name", "indicator",
                         "level", "url", "evidence", "state", "occurrences", "first_seen", "last_seen", "deadline",
                         "assignee", "feedback_text", "reopened", "signature", "last_run"], tickets)
    sink.add("ticket_events", ["id", "ticket_id", "at", "actor", "action", "from_state", "to_state", "reason"],
             [(i,) + e for i, e in enumerate(sorted(events, key=lambda e: (e[1], e[0])), start=1)])

    # Availability probes: every site every quarter hour for the last 8 days; a few sites down now.
    probes = []
    end = int(now.timestamp()) // 900 * 900
    for t in range(end - PROBE_DAYS * 86400, end + 1, 900):
        for site_id in range(1, len(site_rows) + 1):
            h = (t // 900 * 31 + site_id * 17) % 1000
            down = h < 8 or (site_id % 37 == 0 and t > end - 3600)
            probes.append((len(probes) + 1, site_id, float(t), not down, None if down else 200,
                           None if down else 20 + h % 300, "连接超时" if down else None))
    sink.add("probes", ["id", "site_id", "probed_at", "ok", "status", "latency_ms", "error"], probes)
    sink.close()
    print(f"units={len(units)} sites={len(site_rows)} accounts={len(accounts)} runs={len(runs)} findings={fid} "
          f"scorecards={len(cards)} tickets={len(tickets)} ticket_events={len(events)} probes={len(probes)}")


if __name__ == "__main__":
    sys.exit(main())
