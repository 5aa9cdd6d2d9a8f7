"""On a phone, a liaison filters the community list, presses "export this list" and gets the
workbook of the filtered list; the page never scrolls sideways."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from luodi.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_liaison_exports_the_filtered_community_list_on_a_phone(
    browser_context, login_in_browser, users, college, live_server, tmp_path
):
    page = browser_context(viewport={"width": 375, "height": 800}, accept_downloads=True)
    login_in_browser(page, users[Role.LIAISON].username)
    page.goto(live_server.url + reverse("regions:community-list"))
    page.select_option("select[name=city]", str(college.shenyang.pk))  # htmx reloads the list
    page.wait_for_selector(f".export a[href*='city={college.shenyang.pk}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_download() as download_info:
        page.click(".export a.button")
    download = download_info.value
    assert download.suggested_filename == "社区一览.xlsx"
    path = tmp_path / "communities.xlsx"
    download.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][0].startswith("地市：沈阳市　共2条")
    assert {row[2] for row in rows[3:]} == {c.name for c in college.communities_shenyang}


def test_the_export_buttons_fit_a_phone(
    browser_context, login_in_browser, users, college, live_server
):
    """Staff see both buttons (masked and full numbers) on a roster; nothing scrolls sideways."""
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    tc = college.finished
    for url in (
        reverse("faculty:teacher-list"),
        reverse("curriculum:course-list"),
        reverse("cadres:cadre-list"),
        reverse("checkin:class-attendance", args=[tc.pk]),
        reverse("checkin:class-leave", args=[tc.pk]),
        tc.get_absolute_url(),
    ):
        page.goto(live_server.url + url)
        assert page.locator(".export").count() >= 1, url
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
