"""A real Chromium (Debian's, driven by playwright) logs in, switches language and opens a
class's timetable."""

import pytest

from conftest import PASSWORD
from luodi.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_in_switches_language_and_opens_a_timetable(
    browser_page, live_server, users, college
):
    page = browser_page
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", users[Role.STAFF].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=todo]")  # staff land on their to-do list
    page.click("nav.mainnav a[href='/dashboard/']")
    page.wait_for_selector("[data-testid=figures]")
    assert "培训班次" in page.inner_text("[data-testid=figures]")

    page.click("button[value=en]")
    page.wait_for_selector("text=Classes held")
    assert "Person-times trained" in page.inner_text("[data-testid=figures]")

    page.click("nav.mainnav >> text=Classes")
    page.click(f"text={college.finished.title}")
    timetable = page.inner_text("#timetable")
    assert "Timetable" in timetable
    assert college.course.title in timetable
    assert "Morning" in timetable
    assert "On-site teaching" in timetable
    page.click("#roster > summary")  # the roster is folded away until asked for
    roster = page.inner_text("#roster")
    assert "宋娟" in roster

    page.click("button[value=zh-hans]")
    page.wait_for_selector("text=课表")
