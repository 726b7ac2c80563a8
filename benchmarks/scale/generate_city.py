#!/usr/bin/env python3
"""Generates a city of SITES government websites for benchmarks/scale.sh.

Each site is a TRS-style portal from ../crawl/generate_site.py (homepage, 40 paginated
columns, dated articles, footer identity) with its own 网站标识码, name, host and size: the
page count of site k is drawn (seeded, so the city is the same every run) between MIN and
MAX pages, so that sites finish at different times as real ones do. Writes

    OUTDIR/www/HOST/...      the site's files (nginx serves OUTDIR/www/$host)
    OUTDIR/sites.csv         the registry (govwatch import sites)
    OUTDIR/pages.txt         total pages, for the report

    python3 generate_city.py OUTDIR SITES MIN MAX
"""
import io
import os
import random
import sys
from contextlib import redirect_stdout

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crawl"))
import generate_site  # noqa: E402

TEMPLATE_PAGE = generate_site.page

COUNTIES = ["青山县", "白水县", "云岭区", "临江区", "东湖区", "西岭县", "南屏县", "北塘区", "石门县", "桃源县"]
DEPARTMENTS = [
    "教育局", "公安局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局",
    "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "审计局",
    "市场监督管理局", "统计局", "医疗保障局", "林业局", "体育局", "信访局", "档案馆", "发展和改革委员会",
]


def site_identity(k):
    """(code, unit, parent, name, host) of site k: a city of many counties' departments."""
    county = COUNTIES[k % len(COUNTIES)] if k >= len(DEPARTMENTS) else ""
    department = DEPARTMENTS[k % len(DEPARTMENTS)]
    round_ = k // (len(DEPARTMENTS) * len(COUNTIES))
    prefix = f"鸿溪市{county}" if county else "鸿溪市"
    unit = f"{prefix}{department}" + (f"第{round_ + 1}分局" if round_ else "")
    parent = f"鸿溪市{county}人民政府" if county else "鸿溪市人民政府"
    code = f"43{90000000 + k:08d}"
    return code, unit, parent, f"{unit}网站", f"s{k:04d}.hongxi.gov.cn"


def main():
    out, sites, low, high = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rnd = random.Random(20221231)
    rows = ["网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位"]
    total = 0
    for k in range(sites):
        code, unit, parent, name, host = site_identity(k)
        pages = rnd.randint(low, high)
        # The generator's page template names the site and its identity: give each its own.
        generate_site.FOOTER = (
            f'<div class="footer"><p>主办单位：{unit}　承办单位：鸿溪市大数据中心</p>'
            f"<p>网站标识码：{code}　<span>湘ICP备{20000000 + k}号</span>　"
            f"<span>湘公网安备 43010002{k:06d}号</span></p>"
            "<p>地址：鸿溪市府前路1号　邮编：410000　联系电话：0731-3335678</p></div>"
        )

        def page(title, prefix, body, column="", _name=name, _code=code):
            return (TEMPLATE_PAGE(title, prefix, body, column)
                    .replace("鸿溪市人民政府门户网站", _name).replace('content="5100000099"', f'content="{_code}"'))

        generate_site.page = page
        sys.argv = ["generate_site.py", os.path.join(out, "www", host), str(pages)]
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            generate_site.main()
        total += int(buffer.getvalue().strip())
        rows.append(f"{code},{name},http://{host}/,部门网站,{unit},{parent}")
    with open(os.path.join(out, "sites.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(out, "pages.txt"), "w") as f:
        f.write(f"{total}\n")
    print(total)


if __name__ == "__main__":
    main()
