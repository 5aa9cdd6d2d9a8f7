"""On a phone, staff look for who can teach community law, open the teacher's page and show
the full bank account for paying the honorarium; nothing scrolls sideways."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.faculty import services
from luodi.faculty.models import ExpertiseTag, TeacherKind
from luodi.lib import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_find_a_teacher_by_expertise_and_reveal_their_account(
    browser_context, login_in_browser, users, college, make, live_server
):
    law = ExpertiseTag.objects.create(name="社区法治")
    lawyer = make.teacher(name="赵律师", kind=TeacherKind.PART_TIME, title="高级律师")
    lawyer.expertise.add(law)
    lawyer.bank_name, lawyer.bank_account = "中国银行", "6216610100012345678"
    services.teacher_save(teacher=lawyer, by=None)
    make.teacher(name="钱教授")

    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("faculty:teacher-list"))
    page.select_option("select[name=tag]", str(law.pk))
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**tag={law.pk}**")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("text=赵律师")
    page.wait_for_url(f"**{lawyer.get_absolute_url()}")
    assert "社区法治" in page.content()
    assert "5678" in page.content()
    assert "6216610100012345678" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click(".reveal button")
    page.wait_for_selector("#bank-details")
    assert "6216610100012345678" in page.inner_text("#bank-details")
    assert audit.recent("personal.reveal")


def test_the_staff_pages_of_the_pool_fit_a_phone(
    browser_context, login_in_browser, users, college, live_server
):
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    for url in (
        reverse("faculty:teacher-create"),
        reverse("faculty:teacher-edit", args=[college.teacher.pk]),
        reverse("faculty:honoraria") + "?month=2024-05",
        reverse("archive:teacher-candidates"),
    ):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
