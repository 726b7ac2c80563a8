#!/usr/bin/env python3
"""Python baseline for benchmarks/scan.sh: the same detection as `ContentScanner.scan`,
written the ordinary way (the `re` module plus pyahocorasick), on one core.

    python3 baseline.py corpus.txt terms.tsv [SHIPPED_DICTIONARY.tsv ...]

The corpus is scanned in the same chunks as the Swift driver (pages, split at the form
feed lines). Per chunk: normalise (full-width ASCII to half-width, drop zero-width
characters, lower-case ASCII), then
- one regex pass finds every run of digits (not inside a longer run of digits/letters),
  each run then classified:
- ID numbers: 18 characters with a province code, a real birth date and the ISO 7064
  MOD 11-2 check character;
- mobiles: 1[3-9] + 9 digits, also 3-4-4 with spaces or hyphens and +86, not inside a
  longer run of digits or letters;
- bank cards: 16-19 digits passing Luhn with a card word (卡号, 账号, 银行卡, 开户行) in
  the 20 characters before;
- health: a condition word (same list as GovWatch) with a surname + 某 or a role word
  (患者, 村民, 申请人 …) + name in the same sentence;
- dictionary: one pyahocorasick automaton over every term (shipped lists + TERMS).
Prints the time spent scanning (loading excluded) and the hit counts per kind.
"""
import re
import sys
import time
import datetime

import ahocorasick

FULL = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
FULL[0x3000] = 0x20
for z in (0x200B, 0x200C, 0x200D, 0xFEFF):
    FULL[z] = None

# One pass finds every run of digits (groups joined by one space or hyphen, an optional
# +86 in front, an optional X at the end); each run is then classified in Python.
RUN_RE = re.compile(r"(?:\+?86[ -]?)?[0-9]+(?:[ -][0-9]+)*[Xx]?")
MOBILE_RE = re.compile(r"(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[0-9]{8}|[ -][0-9]{4}[ -][0-9]{4})")
ALNUM = re.compile(r"[0-9A-Za-z]")
CARD_WORDS = re.compile(r"卡号|账号|银行卡|开户行")
CONDITIONS = ["确诊", "患有", "患上", "罹患", "病史", "残疾", "精神病", "精神疾病", "精神障碍", "精神分裂",
              "抑郁症", "艾滋病", "hiv", "乙肝", "肝炎", "梅毒", "癌症", "肺癌", "肝癌", "胃癌", "乳腺癌",
              "白血病", "尿毒症", "肿瘤", "核酸检测阳性", "检测结果阳性", "结核病", "肺结核", "传染病",
              "住院治疗", "诊断为", "瘫痪", "偏瘫", "智力障碍", "脑瘫", "重病", "病危"]
HEALTH_RE = re.compile("(" + "|".join(map(re.escape, CONDITIONS)) + ")")
PERSON_RE = re.compile(r"[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡]某某?"
                       r"|(?:患者|村民|居民|申请人|户主|职工|学生)[\u4e00-\u9fff]{2,3}")
SENTENCE_END = re.compile(r"[。！？\n；]")
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
             "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}


def valid_id(s):
    if len(s) != 18 or not s[:17].isdigit() or s[:2] not in PROVINCES:
        return False
    try:
        datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return "10X98765432"[sum(int(c) * w for c, w in zip(s, WEIGHTS)) % 11] == s[17].upper()


def luhn(s):
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def scan(text, automaton, counts):
    text = text.translate(FULL).lower()
    for m in RUN_RE.finditer(text):
        a, b = m.span()
        if len(m.group(0)) < 11 or (a > 0 and ALNUM.match(text, a - 1)) or (b < len(text) and ALNUM.match(text, b)):
            continue
        run = m.group(0)
        pieces = [run] if run.startswith("+") or "-" not in run and " " not in run else [run] + re.split("[ -]", run)
        for piece in pieces:
            digits = piece.replace(" ", "").replace("-", "")
            if valid_id(digits):
                counts["id-card"] += 1
                break
            if 16 <= len(digits) <= 19 and digits.isdigit() and luhn(digits) \
                    and CARD_WORDS.search(text, max(0, a - 20), a):
                counts["bank-card"] += 1
                break
            if MOBILE_RE.fullmatch(piece):
                counts["mobile"] += 1
                break
    last_end = -1
    for m in HEALTH_RE.finditer(text):
        if m.start() < last_end:
            continue
        start = max((e.end() for e in SENTENCE_END.finditer(text, max(0, m.start() - 200), m.start())), default=0)
        end_match = SENTENCE_END.search(text, m.end())
        end = end_match.start() if end_match else len(text)
        if PERSON_RE.search(text, start, end):
            counts["health"] += 1
            last_end = end
    for _end, kind in automaton.iter(text):
        counts[kind] += 1


def main():
    corpus, *dictionaries = sys.argv[1:]
    automaton = ahocorasick.Automaton()
    for path in dictionaries:
        for line in open(path, encoding="utf-8"):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 3 and fields[2] in ("severe", "sensitive"):
                term = fields[0].translate(FULL).lower().replace(" ", "")
                automaton.add_word(term, fields[2])
    automaton.make_automaton()
    text = open(corpus, encoding="utf-8").read()
    size = len(text.encode("utf-8"))
    chunks = text.split("\n\f\n")
    counts = {k: 0 for k in ("id-card", "mobile", "bank-card", "health", "severe", "sensitive")}
    start = time.perf_counter()
    for chunk in chunks:
        scan(chunk, automaton, counts)
    seconds = time.perf_counter() - start
    print(f"bytes={size} chunks={len(chunks)} terms={len(automaton)} seconds={seconds:.3f} "
          f"mb_per_s={size / 1e6 / seconds:.1f} " + " ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
