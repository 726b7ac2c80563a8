#!/usr/bin/env python3
"""Generates a static government website of N pages for the crawl benchmark.

The shape follows a TRS-style Chinese government site (see
../shared/corpus/real-pages/*trs*): a homepage, 40 top-level columns (栏目) each with a
paginated list (`index.html`, `index_1.html`, ... — 15 dated items per page,
`<li><a href="./202203/t20220310_123.html">…</a><span>[2022-03-10]</span></li>`, TRS
pagination 首页/上一页/page numbers/下一页/尾页), and articles under
`/COLUMN/YYYYMM/tYYYYMMDD_ID.html` with Chinese text, a 发布时间 line, the site's
navigation, previous/next article links and the footer identity (网站标识码, ICP,
公安备案). About 10 links per page on average; HTML only (no images, scripts or
attachments), so every tool fetches the same set of URLs.

    python3 generate_site.py OUTDIR PAGES

Prints the number of HTML pages written (homepage + list pages + articles), which is
what every crawler should report, plus robots.txt (allow all).
Deterministic: the same PAGES gives the same site.
"""
import os
import random
import sys
from datetime import date, timedelta

COLUMNS = [
    ("xwdt", "政务动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件"), ("rsxx", "人事信息"),
    ("ghjh", "规划计划"), ("zcjd", "政策解读"), ("bmdt", "部门动态"), ("xqdt", "县区动态"),
    ("tjxx", "统计信息"), ("czzj", "财政资金"), ("zfcg", "政府采购"), ("ggzy", "公共资源交易"),
    ("jyta", "建议提案办理"), ("yjgl", "应急管理"), ("aqsc", "安全生产"), ("spaq", "食品安全"),
    ("hjbh", "环境保护"), ("jyxx", "教育信息"), ("ylws", "医疗卫生"), ("shbz", "社会保障"),
    ("jyfw", "就业服务"), ("zfjs", "住房建设"), ("jtys", "交通运输"), ("nyny", "农业农村"),
    ("slsw", "水利水务"), ("whly", "文化旅游"), ("tyhd", "体育活动"), ("kjcx", "科技创新"),
    ("scjg", "市场监管"), ("zsyz", "招商引资"), ("gqgg", "国企改革"), ("jcgk", "决策公开"),
    ("zxft", "在线访谈"), ("xxgk", "信息公开年报"), ("jdhy", "解读回应"), ("ssjg", "双随机监管"),
    ("xzsp", "行政审批"), ("xzcf", "行政处罚"), ("mzzj", "民族宗教"), ("tjgb", "统计公报"),
]
PER_LIST = 15
SENTENCES = [
    "为深入贯彻落实党中央、国务院决策部署，进一步优化营商环境，市人民政府办公室印发了实施方案。",
    "会议强调，要坚持以人民为中心的发展思想，扎实做好民生保障各项工作，确保各项任务落地见效。",
    "各县（区）人民政府、市政府各部门要高度重视，结合实际认真组织实施，及时报送工作进展情况。",
    "本次检查共抽查政府网站和政务新媒体账号，对发现的问题已逐一反馈并督促相关单位限期整改。",
    "据统计，一季度全市规模以上工业增加值同比增长，固定资产投资稳步回升，消费市场持续回暖。",
    "市生态环境局组织开展大气污染防治专项执法行动，重点检查工业企业废气排放和扬尘治理情况。",
    "为方便群众办事，政务服务中心推行“一窗受理、集成服务”，实现更多事项网上办、掌上办、就近办。",
    "欢迎社会各界通过政府网站“领导信箱”栏目提出意见建议，我们将认真研究并及时予以答复。",
    "根据《中华人民共和国政府信息公开条例》规定，现将有关事项公告如下，公示期为五个工作日。",
    "农业农村局深入田间地头开展春耕生产技术指导，帮助农户解决种植过程中遇到的实际困难。",
    "教育部门持续推进义务教育优质均衡发展，新建改扩建中小学校舍，新增学位数千个。",
    "卫生健康部门加强基层医疗卫生服务能力建设，推动优质医疗资源下沉，方便群众就近就医。",
]


def article_date(column_index, i):
    return date(2022, 12, 31) - timedelta(days=(i * 3 + column_index) % 1400)


def nav(prefix):
    links = [f'<li><a href="{prefix}index.html">首页</a></li>']
    for slug, name in COLUMNS[:5]:
        links.append(f'<li><a href="{prefix}{slug}/index.html">{name}</a></li>')
    return '<ul class="nav">' + "".join(links) + "</ul>"


FOOTER = (
    '<div class="footer"><p>主办单位：鸿溪市人民政府办公室　承办单位：鸿溪市大数据中心</p>'
    "<p>网站标识码：5100000099　<span>蜀ICP备05000001号</span>　"
    "<span>川公网安备 51010002000001号</span></p>"
    "<p>地址：鸿溪市府前路1号　邮编：610000　联系电话：0812-3335678</p></div>"
)


def page(title, prefix, body, column=""):
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="SiteName" content="鸿溪市人民政府门户网站"><meta name="SiteIDCode" content="5100000099">'
        f'<meta name="ColumnName" content="{column}"><title>{title} - 鸿溪市人民政府门户网站</title></head>'
        f'<body><div class="header"><h1>鸿溪市人民政府门户网站</h1>{nav(prefix)}</div>'
        f'<div class="main">{body}</div>{FOOTER}</body></html>\n'
    )


def main():
    out, total = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(total)
    ncol = len(COLUMNS)
    # total = 1 homepage + sum(list pages) + articles; pick articles per column to fit.
    per_column = max(1, (total - 1) * PER_LIST // ((PER_LIST + 1) * ncol))
    articles = [per_column] * ncol
    lists = [(n + PER_LIST - 1) // PER_LIST for n in articles]
    remaining = total - 1 - sum(articles) - sum(lists)
    c = 0
    while remaining > 0:  # top up, one article at a time, keeping the list counts right
        articles[c % ncol] += 1
        new_lists = (articles[c % ncol] + PER_LIST - 1) // PER_LIST
        remaining -= 1 + new_lists - lists[c % ncol]
        lists[c % ncol] = new_lists
        c += 1
    written = 0
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "robots.txt"), "w") as f:
        f.write("User-agent: *\nDisallow:\n")
    ident = 100000
    home_items = []
    for ci, (slug, name) in enumerate(COLUMNS):
        n = articles[ci]
        items = []  # (href relative to column folder, title, date)
        for i in range(n):
            ident += 1
            d = article_date(ci, i)
            items.append((f"./{d:%Y%m}/t{d:%Y%m%d}_{ident}.html", f"{name}：关于做好第{i + 1}批重点工作的通知", d))
        for i, (href, title, d) in enumerate(items):
            path = os.path.join(out, slug, href[2:])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            paragraphs = "".join(
                "<p>" + "".join(rnd.choice(SENTENCES) for _ in range(4)) + "</p>" for _ in range(rnd.randint(4, 8)))
            neighbours = ""
            if i > 0:
                neighbours += f'<a href="../{items[i - 1][0][2:]}">上一篇：{items[i - 1][1]}</a>'
            if i + 1 < n:
                neighbours += f'<a href="../{items[i + 1][0][2:]}">下一篇：{items[i + 1][1]}</a>'
            body = (
                f'<div class="crumb"><a href="../../index.html">首页</a> &gt; <a href="../index.html">{name}</a></div>'
                f'<h2>{title}</h2><div class="info">发布时间：{d:%Y-%m-%d} 10:{i % 60:02d}　来源：鸿溪市人民政府办公室</div>'
                f'<div class="TRS_Editor">{paragraphs}</div><div class="pn">{neighbours}</div>'
            )
            with open(path, "w", encoding="utf-8") as f:
                f.write(page(title, "../../", body, name))
            written += 1
        pages = lists[ci]
        for p in range(pages):
            chunk = items[p * PER_LIST:(p + 1) * PER_LIST]
            lis = "".join(f'<li><a href="{h}" target="_blank">{t}</a><span>[{d:%Y-%m-%d}]</span></li>' for h, t, d in chunk)

            def name_of(k):
                return "index.html" if k == 0 else f"index_{k}.html"

            pager = [f'<a href="{name_of(0)}">首页</a>']
            if p > 0:
                pager.append(f'<a href="{name_of(p - 1)}">上一页</a>')
            for k in range(max(0, p - 2), min(pages, p + 11)):
                if k != p:
                    pager.append(f'<a href="{name_of(k)}">{k + 1}</a>')
            if p + 1 < pages:
                pager.append(f'<a href="{name_of(p + 1)}">下一页</a>')
            pager.append(f'<a href="{name_of(pages - 1)}">尾页</a>')
            body = (f'<div class="crumb"><a href="../index.html">首页</a> &gt; {name}</div>'
                    f'<ul class="list">{lis}</ul><div class="page">共{pages}页 ' + " ".join(pager) + "</div>")
            with open(os.path.join(out, slug, name_of(p)), "w", encoding="utf-8") as f:
                f.write(page(name, "../", body, name))
            written += 1
        home_items.append((slug, items[0]))
    columns = "".join(f'<li><a href="{s}/index.html">{n}</a></li>' for s, n in COLUMNS)
    latest = "".join(
        f'<li><a href="{s}/{h[2:]}">{t}</a><span>[{d:%Y-%m-%d}]</span></li>' for s, (h, t, d) in home_items[:10])
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as f:
        f.write(page("首页", "", f'<ul class="columns">{columns}</ul><ul class="latest">{latest}</ul>'))
    written += 1
    print(written)


if __name__ == "__main__":
    main()
