"""In a real Chromium: an administrator sets the college's short name and the secretaries'
yearly target on the settings page; the header and a secretary's archive follow."""

import os
from decimal import Decimal

import pytest

from luodi.accounts.models import Role
from luodi.audit.models import AuditEvent
from luodi.college.models import CollegeSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_changes_a_rule_and_luodi_follows(
    browser_context, live_server, login_in_browser, users, college
):
    page = browser_context()
    login_in_browser(page, users[Role.ADMIN].username)
    page.goto(f"{live_server.url}/college/settings/")
    form = page.locator("#college-settings")
    assert form.locator("input[name=checkin_token_seconds]").get_attribute("placeholder") == "60"
    form.locator("input[name=short_name]").fill("沈社干院")
    form.locator("input[name=annual_secretary]").fill("5")
    form.locator("input[name=certificate_prefix]").fill("bad")
    form.locator("button[type=submit]").click()
    page.get_by_text("请使用 1 到 6 位大写字母或数字。").wait_for()
    assert not CollegeSettings.objects.exists()  # nothing saved while a field is wrong
    assert page.locator("input[name=short_name]").input_value() == "沈社干院"  # kept
    assert page.locator(".brand small").inner_text() != "沈社干院"  # the header: as saved
    page.locator("input[name=certificate_prefix]").fill("SY")
    page.locator("#college-settings button[type=submit]").click()
    page.get_by_text("学院设置已保存。").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    if directory := os.environ.get("LUODI_SCREENSHOTS"):
        page.screenshot(path=f"{directory}/college-settings.png", full_page=True)
    assert page.locator(".brand small").inner_text() == "沈社干院"
    assert CollegeSettings.load().annual_targets()["secretary"] == Decimal(5)
    assert AuditEvent.objects.filter(event="college_settings.save").count() == 1
    # A secretary with 6 hours in 2024 now meets the year's target on their archive.
    cadre = college.cadres_dalian[0]
    page.goto(f"{live_server.url}/cadres/{cadre.pk}/")
    row = page.locator("#hours-by-year tr[data-year='2024']")
    assert "已达标" in row.inner_text()
