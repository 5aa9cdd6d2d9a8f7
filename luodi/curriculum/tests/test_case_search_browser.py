"""In a real browser at phone width: staff search the case library in Chinese and open a case."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.curriculum import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_search_the_case_library_in_chinese_and_open_a_case(
    browser_context, live_server, login_in_browser, users, college
):
    staff = users[Role.STAFF]
    for title, text in (
        ("老旧小区的托底管理", "物业公司退出后组建临时服务队，邻里停车纠纷也少了。"),
        ("居家养老服务", "整合辖区资源，为老人提供助餐服务。"),
    ):
        services.case_create(
            by=staff,
            title=title,
            summary=text,
            full_text=text + "详细经过如下。",
            lessons="先听后说。",
            author=college.teacher,
            place="大连市",
        )
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, staff.username)
    page.goto(live_server.url + reverse("curriculum:case-list"))
    page.fill("input[name=q]", "物业纠纷")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("#search-summary")
    found = page.locator("#cases > li h2")
    assert found.count() == 1
    assert found.inner_text() == "老旧小区的托底管理"
    box = page.locator("#cases").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 375  # the list fits the phone
    found.locator("a").click()
    page.wait_for_selector("#full-text")
    assert "详细经过如下" in page.inner_text("#full-text")
    assert "先听后说" in page.inner_text("#lessons")
    # No match: a friendly empty page, not an error.
    page.goto(live_server.url + reverse("curriculum:case-list") + "?q=火星")
    assert page.is_visible("#no-cases")
