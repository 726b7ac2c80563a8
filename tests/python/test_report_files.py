"""Checks the quarterly notice files GovWatch writes, with the libraries offices use.

Opens the Word notice with python-docx and the attachment workbook with openpyxl and
checks their structure (A4 page, official-document fonts, numbered headings, page
numbers, attachments, signature; one sheet per attachment with a frozen header row,
widths and numbers) and their figures: against ``expected.json`` when the folder has
one (the Swift test ``SampleCityNoticeTests`` writes it), and always against each other
(the .docx attachment tables and the .xlsx sheets list the same rows).

Run by the Swift test suite, or by hand on a ``govwatch demo`` output folder::

    GOVWATCH_REPORT_DIR=/tmp/govwatch-demo-… python3 -m pytest tests/python/test_report_files.py
"""

import glob
import json
import os
import re

import pytest

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402

FOLDER = os.environ.get("GOVWATCH_REPORT_DIR")
if not FOLDER:
    pytest.skip("GOVWATCH_REPORT_DIR is not set (a folder with 通报-*.docx and 通报附件-*.xlsx)", allow_module_level=True)

SHEETS = ["附件1 工作成效明显的单位", "附件2 存在突出问题的政府网站名单", "附件3 存在突出问题的政务新媒体名单"]
HEADINGS = ["一、总体情况", "二、工作成效", "三、主要问题", "四、下一步工作要求"]


def one(pattern):
    found = sorted(glob.glob(os.path.join(FOLDER, pattern)))
    assert len(found) == 1, f"expected one {pattern} in {FOLDER}, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def document():
    return docx.Document(one("通报-*.docx"))


@pytest.fixture(scope="module")
def workbook():
    return openpyxl.load_workbook(one("通报附件-*.xlsx"))


@pytest.fixture(scope="module")
def expected():
    path = os.path.join(FOLDER, "expected.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def paragraphs(document):
    return [p for p in document.paragraphs]


def text_of(document):
    return "\n".join(p.text for p in document.paragraphs)


def east_asia_font(style):
    fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def attachment_tables(document):
    """The tables after the 附件N labels, by attachment number (None when the attachment has none)."""
    body = document.element.body
    tables = {}
    current = None
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            match = re.fullmatch(r"附件(\d)", text)
            if match:
                current = int(match.group(1))
                tables[current] = None
        elif child.tag == qn("w:tbl") and current is not None and tables[current] is None:
            tables[current] = docx.table.Table(child, document)
    return tables


# The Word document


def test_page_is_a4_with_official_margins(document):
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.5)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.5)
    assert abs(section.left_margin - Mm(28)) < Mm(0.5)
    assert abs(section.right_margin - Mm(26)) < Mm(0.5)


def test_fonts_of_an_official_document(document):
    styles = document.styles
    assert east_asia_font(styles["Notice Title"]) == "方正小标宋简体"
    assert east_asia_font(styles["heading 1"]) == "黑体"
    assert east_asia_font(styles["heading 2"]) == "楷体_GB2312"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    body_fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert body_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    size = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:sz"))
    assert size.get(qn("w:val")) == "32"  # 三号, 16 pt
    # Fallbacks for machines without the GB2312 fonts.
    names = {}
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            xml = rel.target_part.blob.decode("utf-8")
            names = dict(re.findall(r'w:name="([^"]+)"><w:altName w:val="([^"]+)"', xml))
    assert names.get("仿宋_GB2312") == "仿宋"
    assert names.get("楷体_GB2312") == "楷体"
    assert names.get("黑体") == "SimHei"
    assert "方正小标宋简体" in names


def test_title_recipients_and_headings(document, expected):
    items = paragraphs(document)
    title = items[0]
    assert title.style.name == "Notice Title"
    assert title.text.replace("\n", "").endswith("检查情况的通报")
    if expected:
        assert title.text.replace("\n", "") == expected["title"]
    recipients = next(p for p in items[1:] if p.text.strip())
    assert recipients.text.endswith("：")
    headings = [p.text for p in items if p.style.name.lower() == "heading 1"]
    assert headings == HEADINGS
    # （一）-style headings are numbered in order within each 一、 section.
    seconds = [p.text for p in items if p.style.name.lower() == "heading 2"]
    assert seconds and seconds[0].startswith("（一）")


def test_page_numbers_in_both_footers(document):
    section = document.sections[0]
    settings = document.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert 'w:instr=" PAGE "' in xml
        assert "—" in footer.paragraphs[0].text


def test_attachments_signature_and_figures(document, workbook, expected):
    text = text_of(document)
    items = paragraphs(document)
    labels = [p for p in items if re.fullmatch(r"附件\d", p.text)]
    assert [p.text for p in labels] == ["附件1", "附件2", "附件3"]
    for label in labels:
        assert label.paragraph_format.page_break_before or label.style.paragraph_format.page_break_before
    assert "附件：1.工作成效明显的单位" in text
    # Signature: the office, then the date, right before the attachments.
    first_label = items.index(labels[0])
    signed = [p.text for p in items[:first_label] if p.text.strip()]
    if expected:
        assert signed[-2:] == [expected["office"], expected["date"]]
        assert f"本次共检查全市政府网站{expected['sites']['inspected']}个" in text
        assert f"合格{expected['sites']['passed']}个，合格率{expected['sites']['percent']}" in text
        assert f"检查政府系统政务新媒体{expected['accounts']['inspected']}个" in text
        assert f"合格{expected['accounts']['passed']}个，合格率{expected['accounts']['percent']}" in text
        assert f"检查共发现各类问题{expected['problemCount']}个" in text
    else:
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日|二〇.*日", signed[-1])

    # The attachment tables list what the workbook lists.
    tables = attachment_tables(document)
    for number, sheet_name in enumerate(SHEETS, start=1):
        sheet = workbook[sheet_name]
        names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        table = tables.get(number)
        if not names:
            assert table is None
            continue
        assert table is not None
        table_names = [row.cells[1].text for row in table.rows[1:]]
        assert table_names == names
        assert [cell.text for cell in table.rows[0].cells][:2] == ["序号", sheet.cell(1, 2).value]
    if expected:
        assert [row.cells[1].text for row in (tables.get(2).rows[1:] if tables.get(2) is not None else [])] == expected["problemSites"]


# The workbook


def test_one_sheet_per_attachment_with_frozen_header(workbook):
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        header = [cell.value for cell in sheet[1]]
        assert header[0] == "序号"
        assert all(cell.font.b for cell in sheet[1])
        for column in range(1, len(header) + 1):
            letter = openpyxl.utils.get_column_letter(column)
            assert sheet.column_dimensions[letter].width >= 6
        assert sheet.auto_filter.ref.startswith("A1:")
        # 序号 are numbers 1…n.
        numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert numbers == list(range(1, len(numbers) + 1))
    assert [c.value for c in workbook[SHEETS[1]][1]] == ["序号", "网站名称", "网站标识码", "类别", "主办单位", "得分", "结果", "主要问题"]
    assert [c.value for c in workbook[SHEETS[2]][1]] == ["序号", "账号名称", "账号ID", "平台", "主办单位", "得分", "结果", "主要问题"]


def test_workbook_figures(workbook, expected):
    sites = list(workbook[SHEETS[1]].iter_rows(min_row=2, values_only=True))
    for row in sites:
        assert isinstance(row[5], (int, float))
        assert row[6] in ("合格", "不合格")
        assert re.fullmatch(r"\d{10}|bm\d{8}", row[2])
        assert row[7]
    # Failing sites first.
    results = [row[6] for row in sites]
    assert results == sorted(results, key=lambda r: r == "合格")
    if expected:
        assert [row[1] for row in sites] == expected["problemSites"]
        assert [float(row[5]) for row in sites] == expected["problemSiteScores"]
        assert [row[1] for row in workbook[SHEETS[0]].iter_rows(min_row=2, values_only=True)] == expected["commended"]
        assert [row[1] for row in workbook[SHEETS[2]].iter_rows(min_row=2, values_only=True)] == expected["problemAccounts"]
