"""In a real browser, the timetable form warns of a clash as soon as the fields are filled."""

import pytest
from django.urls import reverse

from conftest import pick_in_browser
from luodi.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_warns_of_a_teacher_conflict_before_saving(
    browser_page, live_server, login_in_browser, users, college, make
):
    page = browser_page
    parallel = make.training_class(college.class_type, start_date=college.finished.start_date)
    taken = college.sessions[0]
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("training:timetable-edit", args=[parallel.pk]))
    page.fill("input[name=date]", taken.date.isoformat())
    page.select_option("select[name=slot]", "morning")
    page.fill("input[name=start_time]", "09:00")
    page.fill("input[name=end_time]", "10:30")
    pick_in_browser(page, "course", college.course.title)
    page.select_option("select[name=method]", "lecture")
    page.fill("input[name=hours]", "1.5")
    page.fill("input[name=venue]", "学院三楼教室")
    pick_in_browser(page, "teacher", college.teacher.name)
    conflicts = page.wait_for_selector("[data-testid=conflicts]", timeout=10_000)
    assert "张平" in conflicts.inner_text()
    assert college.finished.title in conflicts.inner_text()
    page.click("#session-form button[type=submit]")
    page.wait_for_selector("[data-testid=conflicts]")
    assert parallel.sessions.count() == 0
