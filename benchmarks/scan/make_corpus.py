#!/usr/bin/env python3
"""Builds the scan benchmark's inputs.

    python3 make_corpus.py OUTDIR MEGABYTES TERMS

- OUTDIR/corpus.txt: UTF-8 Chinese text of about MEGABYTES MB: the visible text of every
  page in ../shared/corpus/real-pages (script/style dropped, blank lines squeezed), with
  one paragraph in 40 replaced by a planted line of personal information or of a
  look-alike (valid ID numbers, mobiles, bank cards after 卡号, a named person's
  diagnosis; masked numbers, 统一社会信用代码, office phones, aggregate statistics),
  repeated until the size is reached. Pages are separated by a form feed line.
- OUTDIR/terms.tsv: TERMS dictionary entries in the product's format
  (`wrong<TAB>correct<TAB>category`): 3-5 character strings drawn from the corpus's own
  character frequencies (so the automaton walks deep), 1 in 50 taken from the corpus so
  that some match; half severe, half sensitive.
- OUTDIR/terms.txt: the same terms, one a line (for grep -F -f).
Deterministic.
"""
import collections
import glob
import html.parser
import os
import random
import sys

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "corpus", "real-pages")


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "title"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def id_number(rnd):
    body = f"{rnd.choice(['110105', '510402', '430102', '320106'])}{rnd.randint(1950, 2005)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}{rnd.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def card(rnd):
    digits = [rnd.randint(0, 9) for _ in range(18)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def planted(rnd):
    surname = rnd.choice("王李张刘陈杨黄赵吴周")
    mobile = f"1{rnd.choice('3456789')}{rnd.randint(0, 999999999):09d}"
    return rnd.choice([
        f"申请人{surname}某某，身份证号{id_number(rnd)}，联系电话{mobile}，现予以公示。",
        f"请将补助资金打入本人银行卡，卡号：{card(rnd)}，开户行：农业银行鸿溪支行。",
        f"村民{surname}某某患有尿毒症，长期住院治疗，家庭困难，申请临时救助。",
        f"联系人：{surname}先生，手机：{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}。",
        f"公示对象身份证号：{id_number(rnd)[:6]}********{rnd.randint(1000, 9999)}，电话138****{rnd.randint(1000, 9999)}。",
        f"统一社会信用代码：91510100MA6C{rnd.randint(100000, 999999)}，办公电话0812-3335678，索引号：{rnd.randint(10000000, 99999999)}/2022-00123。",
        "全市新增确诊病例0例，累计治愈出院病例12例，残疾人就业帮扶工作稳步推进。",
    ])


def main():
    out, megabytes, nterms = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(20220315)
    pages = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.htm*"))):
        raw = open(path, "rb").read()
        for enc in ("utf-8", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        parser = Text()
        parser.feed(text)
        lines = [l.strip() for l in "".join(parser.parts).splitlines()]
        pages.append("\n".join(l for l in lines if l))
    target = int(megabytes * 1_000_000)
    written = 0
    counts = collections.Counter()
    with open(os.path.join(out, "corpus.txt"), "w", encoding="utf-8") as f:
        while written < target:
            for page in pages:
                lines = page.split("\n")
                for i in range(len(lines)):
                    if rnd.randrange(40) == 0:
                        lines[i] = planted(rnd)
                chunk = "\n".join(lines) + "\n\f\n"
                counts.update(ch for ch in chunk if "\u4e00" <= ch <= "\u9fff")
                f.write(chunk)
                written += len(chunk.encode("utf-8"))
                if written >= target:
                    break
    alphabet = [c for c, _ in counts.most_common(3000)]
    weights = [n for _, n in counts.most_common(3000)]
    text_sample = "".join(pages)
    cjk_runs = [text_sample[i:i + 5] for i in range(0, len(text_sample) - 5, 7)
                if all("\u4e00" <= c <= "\u9fff" for c in text_sample[i:i + 5])]
    terms = set()
    while len(terms) < nterms:
        if rnd.randrange(50) == 0 and cjk_runs:
            terms.add(rnd.choice(cjk_runs)[: rnd.randint(3, 5)])
        else:
            terms.add("".join(rnd.choices(alphabet, weights, k=rnd.randint(3, 5))))
    terms = sorted(terms)
    with open(os.path.join(out, "terms.tsv"), "w", encoding="utf-8") as f:
        f.write("# scan benchmark: generated terms\n")
        for i, t in enumerate(terms):
            f.write(f"{t}\t{'正确写法' if i % 2 == 0 else ''}\t{'severe' if i % 2 == 0 else 'sensitive'}\n")
    with open(os.path.join(out, "terms.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(terms) + "\n")
    print(f"corpus.txt {written / 1e6:.1f} MB from {len(pages)} pages; {len(terms)} terms")


if __name__ == "__main__":
    main()
