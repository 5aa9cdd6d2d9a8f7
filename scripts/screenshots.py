"""Take the README's screenshots from a running Luodi (``make run``) with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

import re
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
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        phone.goto(f"{BASE}/accounts/login/")
        phone.fill("input[name=username]", "trainee")
        phone.fill("input[name=password]", "luodi-demo")
        phone.click("button.primary")
        phone.wait_for_url(re.compile(r".*/cadres/me/"))
        phone.screenshot(path=OUT / "trainee-phone.png", full_page=False)
        browser.close()


if __name__ == "__main__":
    main()
