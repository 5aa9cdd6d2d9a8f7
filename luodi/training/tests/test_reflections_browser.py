"""In a real Chromium on a phone's width, the head teacher marks a reflection outstanding
on the class's reflections page, with a comment, and sees the mark on the row."""

import pytest

from conftest import PASSWORD
from luodi.accounts.models import Role
from luodi.training.models import Reflection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_teacher_marks_a_reflection_outstanding(
    browser_context, live_server, users, college
):
    enrolment = college.finished.enrolments.get(cadre=college.cadres_dalian[0])
    reflection = Reflection.objects.create(enrolment=enrolment, text="学以致用的体会。" * 50)
    page = browser_context(viewport={"width": 375, "height": 800})
    page.goto(f"{live_server.url}/classes/{college.finished.pk}/reflections/")
    page.fill("input[name=username]", users[Role.HEAD_TEACHER].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    row = page.locator(f"#reflection-{reflection.pk}")
    row.wait_for()
    assert page.locator("#reflections tbody tr").count() == 4  # the whole roster
    row.locator("input[name=comment]").fill("联系实际，值得推广")
    row.locator("form.mark-form button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator(f"#reflection-{reflection.pk}")
    row.locator(".status-completed").wait_for()
    assert "联系实际，值得推广" in row.inner_text()
    reflection.refresh_from_db()
    assert reflection.outstanding
    assert reflection.outstanding_comment == "联系实际，值得推广"
    assert reflection.marked_by == users[Role.HEAD_TEACHER]
    # The page fits a phone: nothing wider than the screen but the table's own scroll box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
