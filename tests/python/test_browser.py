"""Walks the web platform in headless Chromium as the office and a unit would.

Builds the sample city's database with ``govwatch demo`` (inspected, with scorecards and
tickets), adds an inspector (``office``) and a unit user of 鸿溪市卫生健康委员会
(``govwatch users add``), starts ``govwatch serve`` on a free loopback port, and drives
Chromium through Selenium:

1. the office logs in and the overview shows the pass rates of ``govwatch scorecard``;
2. the unit logs in and its ticket list holds exactly its own tickets (the JSON API's
   scoped list);
3. the unit submits feedback on an open ticket with a PDF made here;
4. the office verifies it, and the unit's backlog on 清零情况 drops by one;
5. 三审 highlights a planted ID number, masked;
6. the markup the sample city plants as a page's text (``<script>``, ``"onmouseover=``, a
   ``javascript:`` link) reaches the finding and ticket pages of its severe error only as
   visible text: no alert, no script or event attribute or ``javascript:`` link in the DOM;
7. an administrator's 设置 page, and an error page that keeps the navigation.

A full-page screenshot of each step is saved under ``$GOVWATCH_SCREENSHOT_DIR`` (default
``.browser-screenshots/`` in the repository, ignored by git); the folder is printed.

The binary is ``$GOVWATCH_BIN`` or ``.build/debug/govwatch``. Without it, Chromium,
chromedriver or Selenium the test is skipped locally and fails in CI (``CI`` set)::

    swift build && python3 -m pytest -s tests/python/test_browser.py
"""

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("GOVWATCH_BIN", os.path.join(ROOT, ".build", "debug", "govwatch"))
SCREENSHOTS = os.environ.get("GOVWATCH_SCREENSHOT_DIR", os.path.join(ROOT, ".browser-screenshots"))
IN_CI = bool(os.environ.get("CI"))

UNIT = "鸿溪市卫生健康委员会"
OFFICE_USER, OFFICE_PASSWORD = "office", "office-口令-2022"
UNIT_USER, UNIT_PASSWORD = "weijian", "weijian-口令-2022"
ADMIN_USER, ADMIN_PASSWORD = "chief", "chief-口令-2022"
# The sample city's hostile text (GovWatchSampleCity's HostileMarkup), beside a severe error of
# 鸿溪市教育局's first news page.
HOSTILE_UNIT = "鸿溪市教育局"
HOSTILE_SCRIPT = "<script>《"
HOSTILE_ATTRIBUTE = '"onmouseover='

# A valid 18-digit resident ID (GB 11643 check digit X), the standard's own example.
PLANTED_ID = "11010519491231002X"


def missing(reason):
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def govwatch(*arguments, database=None, stdin=None, timeout=900):
    command = [BINARY, *arguments] + (["--db", f"sqlite://{database}"] if database else [])
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


def supports(command, option):
    result = subprocess.run([BINARY, command, "--help"], capture_output=True, text=True, timeout=60)
    return option in result.stdout


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def server():
    if not os.path.exists(BINARY):
        missing(f"{BINARY} is missing: run `swift build` first or set GOVWATCH_BIN")
    folder = tempfile.mkdtemp(prefix="govwatch-browser-")
    demo = ["demo", "--output", folder] + (["--no-serve"] if supports("demo", "--no-serve") else [])
    govwatch(*demo)
    database = os.path.join(folder, "govwatch.sqlite")
    govwatch("users", "add", OFFICE_USER, "--role", "inspector", "--password-stdin", database=database, stdin=OFFICE_PASSWORD + "\n")
    govwatch("users", "add", UNIT_USER, "--role", "unit", "--unit", UNIT, "--password-stdin", database=database, stdin=UNIT_PASSWORD + "\n")
    govwatch("users", "add", ADMIN_USER, "--role", "admin", "--password-stdin", database=database, stdin=ADMIN_PASSWORD + "\n")
    port = free_port()
    serve = [BINARY, "serve", "--port", str(port), "--db", f"sqlite://{database}"]
    if supports("serve", "--inspection-lanes"):
        serve += ["--inspection-lanes", "0"]
    log = open(os.path.join(folder, "serve.log"), "w")
    process = subprocess.Popen(serve, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, f"govwatch serve exited: {open(log.name).read()}"
            assert time.monotonic() < deadline, "govwatch serve did not answer /healthz within 60 s"
            time.sleep(0.2)
        yield {"base": base, "folder": folder, "database": database, "log": log.name}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def screenshots():
    os.makedirs(SCREENSHOTS, exist_ok=True)
    for old in os.listdir(SCREENSHOTS):
        if old.endswith(".png"):
            os.remove(os.path.join(SCREENSHOTS, old))
    print(f"\nbrowser test screenshots: {SCREENSHOTS}")
    return SCREENSHOTS


def new_browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium is not installed (python3 -m pip install selenium)")
    chromium = chromium_binary()
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        missing("chromium or chromedriver is missing (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,1000", "--lang=zh-CN", "--no-proxy-server"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver_path), options=options)


@pytest.fixture
def browser():
    driver = new_browser()
    try:
        yield driver
    finally:
        driver.quit()


def shoot(driver, folder, name):
    """A full-page screenshot: the window is grown to the page's height first."""
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(1400, max(1000, min(int(height) + 40, 8000)))
    path = os.path.join(folder, name + ".png")
    driver.save_screenshot(path)
    driver.set_window_size(1400, 1000)
    return path


def by_css(driver, selector):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.CSS_SELECTOR, selector)


def all_css(driver_or_element, selector):
    from selenium.webdriver.common.by import By
    return driver_or_element.find_elements(By.CSS_SELECTOR, selector)


def submit(driver, button):
    """Clicks a form's submit button and waits for the page it loads: a click does not wait,
    and on a loaded machine the next look at the page would still see the old one."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    old_page = by_css(driver, "html")
    button.click()

    def old_page_gone(_driver):
        # Selenium's staleness_of expects StaleElementReferenceException; Chromium answers
        # a node of the unloaded document mid-navigation with "Node with given id does not
        # belong to the document" (a plain WebDriverException) too. Either means it is gone.
        try:
            old_page.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, 120).until(old_page_gone)


def log_in(driver, base, username, password):
    driver.get(base + "/login")
    by_css(driver, "#username").send_keys(username)
    by_css(driver, "#password").send_keys(password)
    submit(driver, by_css(driver, "form[action='/login'] button[type=submit]"))
    assert "/login" not in urllib.parse.urlparse(driver.current_url).path, f"{username} was not logged in: {driver.page_source[:2000]}"


def log_out(driver):
    driver.delete_all_cookies()


def api_get(driver, base, path):
    """GET a JSON API path with the browser's session cookie."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(base + path, headers={"Cookie": cookie, "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def scoped_ticket_ids(driver, base):
    ids, offset = [], 0
    while True:
        page = api_get(driver, base, f"/api/v1/tickets?limit=200&offset={offset}")
        ids += [item["id"] for item in page["items"]]
        if len(page["items"]) < 200:
            return ids
        offset += 200


def listed_ticket_ids(driver, base):
    """Every ticket id on /tickets, following the pager."""
    ids = []
    driver.get(base + "/tickets?limit=200")
    while True:
        ids += [link.text.strip() for link in all_css(driver, "table.tickets tbody td.code a")]
        following = [link for link in all_css(driver, "nav.pager a") if "下一页" in link.text]
        if not following:
            return ids
        driver.get(following[0].get_attribute("href"))


def minimal_pdf(text):
    """A small, valid one-page PDF (correct xref offsets) with an ASCII line of text."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def clearance_backlog(driver, base, unit):
    """待整改 + 已反馈待核验 of one unit on 清零情况 (0 when the unit has no row)."""
    driver.get(base + "/tickets/clearance")
    for row in all_css(driver, "table.clearance tbody tr"):
        cells = all_css(row, "td")
        if cells and cells[0].text.strip() == unit:
            return int(cells[1].text.strip()) + int(cells[3].text.strip())
    return 0


def expected_rates(scorecard):
    """(passed, failed, total) by kind, as the scorecard counts them."""
    counts = {}
    for target in scorecard["targets"]:
        passed, failed, total = counts.get(target["target"]["kind"], (0, 0, 0))
        counts[target["target"]["kind"]] = (passed + (1 if target["passed"] else 0), failed + (0 if target["passed"] else 1), total + 1)
    return counts


def test_office_and_unit_walk_through_the_platform(server, screenshots, browser):
    base = server["base"]
    scorecard = json.loads(govwatch("scorecard", "--format", "json", database=server["database"]))

    # 1. The office's overview shows the scorecard's pass rates.
    log_in(browser, base, OFFICE_USER, OFFICE_PASSWORD)
    browser.get(base + "/")
    shown = {}
    for row in all_css(browser, "table.rates tbody tr.group"):
        label = by_css(row, "th").text.strip()
        passed, failed, total = (int(cell.text.strip()) for cell in all_css(row, "td")[:3])
        shown[label] = (passed, failed, total)
    expected = expected_rates(scorecard)
    assert shown.get("网站") == expected["site"], f"overview {shown} vs scorecard {expected}"
    assert shown.get("政务新媒体") == expected["account"], f"overview {shown} vs scorecard {expected}"
    site_rate = by_css(browser, "table.rates tbody tr.group td:last-child").text.strip()
    passed, _, total = expected["site"]
    assert site_rate == f"{100 * passed / total:.1f}%"
    shoot(browser, screenshots, "01-office-overview")
    backlog_before = clearance_backlog(browser, base, UNIT)
    shoot(browser, screenshots, "02-office-clearance-before")
    log_out(browser)

    # 2. The unit sees exactly its own tickets.
    log_in(browser, base, UNIT_USER, UNIT_PASSWORD)
    api_ids = scoped_ticket_ids(browser, base)
    assert api_ids, "the unit has no tickets in the sample city"
    all_units = {item["unit"] for item in api_get(browser, base, "/api/v1/tickets?limit=200")["items"]}
    assert all_units == {UNIT}, f"the unit's API list has other units: {all_units}"
    page_ids = listed_ticket_ids(browser, base)
    assert sorted(page_ids) == sorted(api_ids)
    browser.get(base + "/tickets?limit=200")
    units_on_page = {row.text.strip() for row in all_css(browser, "table.tickets tbody tr td:nth-child(2)")}
    assert units_on_page == {UNIT}
    shoot(browser, screenshots, "03-unit-tickets")

    # 3. Feedback with a PDF on an open ticket.
    open_tickets = api_get(browser, base, "/api/v1/tickets?state=open&limit=200")["items"]
    assert open_tickets, "the unit has no open ticket"
    ticket = open_tickets[0]["id"]
    browser.get(f"{base}/tickets/{ticket}")
    shoot(browser, screenshots, "04-unit-ticket-before-feedback")
    pdf = os.path.join(server["folder"], "rectification-report.pdf")
    with open(pdf, "wb") as handle:
        handle.write(minimal_pdf("Rectification done"))
    by_css(browser, "#feedback-text").send_keys("已删除页面中的个人信息，并对栏目内容全面自查。")
    by_css(browser, "#feedback-stamped").send_keys(pdf)
    submit(browser, by_css(browser, "form[action*='/feedback'] button[type=submit]"))
    detail = api_get(browser, base, f"/api/v1/tickets/{ticket}")
    assert detail["ticket"]["state"] == "feedback", f"feedback was not recorded: {detail['ticket']}"
    assert len(detail["attachments"]) == 1, f"the PDF is not attached: {detail['attachments']}"
    shoot(browser, screenshots, "05-unit-ticket-after-feedback")
    log_out(browser)

    # 4. The office verifies; the unit's backlog drops by one.
    log_in(browser, base, OFFICE_USER, OFFICE_PASSWORD)
    browser.get(f"{base}/tickets/{ticket}")
    shoot(browser, screenshots, "06-office-ticket-to-verify")
    form = by_css(browser, "form[action*='/verify']")
    for field in all_css(form, "textarea[required], input[type=text][required]"):
        if not field.get_attribute("value"):
            field.send_keys("经复核，问题已整改到位。")
    submit(browser, by_css(form, "button[type=submit]"))
    assert api_get(browser, base, f"/api/v1/tickets/{ticket}")["ticket"]["state"] == "closed"
    shoot(browser, screenshots, "07-office-ticket-verified")
    assert clearance_backlog(browser, base, UNIT) == backlog_before - 1
    shoot(browser, screenshots, "08-office-clearance-after")
    log_out(browser)

    # 5. 三审 highlights a planted ID number, masked.
    log_in(browser, base, UNIT_USER, UNIT_PASSWORD)
    browser.get(base + "/scan")
    shoot(browser, screenshots, "09-scan-form")
    by_css(browser, "#scan-text").send_keys(f"关于发放补贴的公示\n经审核，申请人王某（身份证号 {PLANTED_ID}）符合条件，予以公示。")
    submit(browser, by_css(browser, "form[action='/scan'] button[type=submit]"))
    page = browser.page_source
    assert PLANTED_ID not in page, "三审 shows the ID number unmasked"
    masked = PLANTED_ID[:6] + "*" * 8 + PLANTED_ID[-4:]
    marks = [mark.text.strip() for mark in all_css(browser, ".draft-text mark.privacy")]
    assert any(text.startswith(masked) for text in marks), f"the ID is not highlighted as {masked}: {marks}"
    shoot(browser, screenshots, "10-scan-result")


def assert_inert(driver, where):
    """Nothing of the hostile text runs or becomes markup: no alert is open (also after hovering
    every evidence cell), no script but the layout's own files, no event attribute, no
    ``javascript:`` link; and the text is on the page as text."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains

    for cell in all_css(driver, "td.evidence, p.evidence-block, .evidence")[:20]:
        ActionChains(driver).move_to_element(cell).perform()
    try:
        text = driver.switch_to.alert.text
        raise AssertionError(f"{where}: an alert fired ({text})")
    except NoAlertPresentException:
        pass
    injected = driver.execute_script("""
        const found = [];
        for (const s of document.querySelectorAll('script')) {
            if (!(s.getAttribute('src') || '').startsWith('/static/')) found.push('script: ' + s.outerHTML.slice(0, 80));
        }
        for (const e of document.querySelectorAll('*')) {
            for (const a of e.attributes) {
                if (a.name.toLowerCase().startsWith('on')) found.push(e.tagName + ' ' + a.name);
                if (['href', 'src', 'action', 'formaction'].includes(a.name.toLowerCase())
                    && a.value.trim().toLowerCase().startsWith('javascript:')) found.push(e.tagName + ' ' + a.name + '=' + a.value);
            }
        }
        return found;""")
    assert injected == [], f"{where}: markup from crawled text is live: {injected}"
    body = by_css(driver, "body").text
    assert HOSTILE_SCRIPT in body and HOSTILE_ATTRIBUTE in body, f"{where}: the hostile text is not shown as text"


def test_hostile_markup_from_the_sample_city_is_inert(server, screenshots, browser):
    base = server["base"]
    log_in(browser, base, OFFICE_USER, OFFICE_PASSWORD)
    tickets = api_get(browser, base, "/api/v1/tickets?indicator=site.content.severe-error&limit=200&unit="
                      + urllib.parse.quote(HOSTILE_UNIT))["items"]
    hostile = []
    for candidate in tickets:
        browser.get(f"{base}/tickets/{candidate['id']}")
        if HOSTILE_SCRIPT in by_css(browser, "body").text:
            hostile.append(candidate)
    assert hostile, f"no ticket of {HOSTILE_UNIT} shows the planted markup: {[t['id'] for t in tickets]}"
    ticket = hostile[0]
    site = ticket["target"]["code"]

    browser.get(f"{base}/findings?target={urllib.parse.quote(site)}&indicator=site.content.severe-error")
    assert_inert(browser, "findings page")
    shoot(browser, screenshots, "11-hostile-markup-findings")
    browser.get(f"{base}/sites/{urllib.parse.quote(site)}")
    assert_inert(browser, "site page")
    shoot(browser, screenshots, "12-hostile-markup-site")
    browser.get(f"{base}/tickets/{ticket['id']}")
    assert_inert(browser, "ticket page")
    shoot(browser, screenshots, "13-hostile-markup-ticket")


def test_settings_and_error_pages(server, screenshots, browser):
    base = server["base"]
    log_in(browser, base, ADMIN_USER, ADMIN_PASSWORD)
    browser.get(base + "/settings")
    for form in ("/settings/dictionary", "/settings/holidays", "/settings/schedule", "/settings/webhook"):
        assert all_css(browser, f"form[action='{form}']"), f"the 设置 page has no form {form}"
    # A dictionary line with a bad category: the page names the line, in Chinese.
    by_css(browser, "#dictionary").send_keys("鸿溪新区管委会\t鸿溪新区管理委员会\t严重")
    submit(browser, by_css(browser, "form[action='/settings/dictionary'] button[type=submit]"))
    assert "附加词典第 1 行" in by_css(browser, ".alert").text
    shoot(browser, screenshots, "14-settings-error")
    browser.get(base + "/settings")
    by_css(browser, "#webhook-url").send_keys("http://127.0.0.1:9/hook")
    by_css(browser, "#webhook-secret").send_keys("secret-not-shown")
    submit(browser, by_css(browser, "form[action='/settings/webhook'] button[type=submit]"))
    assert "secret-not-shown" not in browser.page_source
    shoot(browser, screenshots, "15-settings")
    log_out(browser)

    log_in(browser, base, UNIT_USER, UNIT_PASSWORD)
    browser.get(base + "/settings")
    assert all_css(browser, "nav.main"), "the 403 page of a signed-in unit user has no navigation"
    browser.get(base + "/no-such-page")
    assert all_css(browser, "nav.main") and "页面不存在" in by_css(browser, "main").text
    shoot(browser, screenshots, "16-error-page")
