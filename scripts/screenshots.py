"""Take most of the README's screenshots from a running Luodi (``make run``) with Debian's
Chromium (the phone check-in and the certificate were taken by hand).

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page.goto(f"{BASE}/accounts/login/")
        page.fill("input[name=username]", "staff")
        page.fill("input[name=password]", "luodi-demo")
        page.click("button.primary")
        page.wait_for_url("**/work/to-do/")  # staff land on their to-do list
        page.goto(f"{BASE}/dashboard/")
        page.wait_for_selector("[data-testid=figures]")
        page.screenshot(path=OUT / "dashboard.png", full_page=True)
        page.goto(f"{BASE}/classes/?status=in_progress")
        page.click("#results table a")
        page.wait_for_selector("#timetable")
        page.screenshot(path=OUT / "class-detail.png", full_page=False)
        page.goto(f"{BASE}/cadres/?q=史艳红")
        page.click("#results table a")
        page.wait_for_selector(".facts")
        page.screenshot(path=OUT / "cadre-archive.png", full_page=True)
        # A class enrolling now, or (on a day the demo has none within a month) a planned one.
        page.goto(f"{BASE}/classes/?status=enrolling")
        if not page.locator("#results table a").count():
            page.goto(f"{BASE}/classes/?status=planned")
        page.click("#results table a")
        page.click("text=计划与调训")
        page.wait_for_selector(".quota-grid")
        page.screenshot(path=OUT / "class-manage.png", full_page=False)
        page.goto(f"{BASE}/classes/?status=finished")
        page.click("#results table a")
        class_url = page.url
        page.goto(class_url + "completion/")
        page.wait_for_selector("#correction")
        page.screenshot(path=OUT / "class-completion.png", full_page=False)
        page.goto(class_url.replace("/classes/", "/certificates/class/"))
        issue = page.locator("form[action$='/issue/'] button")
        if issue.count():
            issue.first.click()
        page.click("form[action$='certificates.zip'] button")
        page.wait_for_selector("a[href*='/jobs/']", timeout=120_000)  # the worker's work
        page.screenshot(path=OUT / "certificates-job.png", full_page=False)
        head = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        head.goto(f"{BASE}/accounts/login/")
        head.fill("input[name=username]", "headteacher")
        head.fill("input[name=password]", "luodi-demo")
        head.click("button.primary")
        head.goto(f"{BASE}/classes/?status=in_progress")
        head.click("#results table a")
        head.click("text=签到大屏 >> nth=-1")
        head.wait_for_timeout(500)
        head.screenshot(path=OUT / "checkin-screen.png", full_page=False)
        head.go_back()
        head.click("text=点名 >> nth=-1")
        head.wait_for_timeout(500)
        head.screenshot(path=OUT / "roll-call.png", full_page=False)
        browser.close()


if __name__ == "__main__":
    main()
