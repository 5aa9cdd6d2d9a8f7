"""In a real browser at phone width: staff rank a city's needs, get a course plan for a
planned class and turn it into the class's draft timetable."""

import pytest
from django.urls import reverse

from conftest import pick_in_browser
from luodi.accounts.models import Role
from luodi.training.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_go_from_the_needs_analysis_to_a_draft_timetable(
    browser_context, live_server, login_in_browser, users, college, scene, topics
):
    planned, disputes, grid, _consult = scene
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("needs:analysis"))
    page.check(f"#group-form input[name=city][value='{college.dalian.pk}']")
    page.click("#group-form button[name=show]")
    ranking = page.wait_for_selector("[data-testid=ranking]")
    assert topics.a.name in page.inner_text("tr.rank-row >> nth=0")
    box = ranking.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 375  # the card fits the phone
    pick_in_browser(page, "class", f"{planned.year}年第{planned.term}期", planned.title)
    page.click("form[action$='/needs/plan/'] button.primary")
    page.wait_for_selector("#plan-form")
    planned_courses = page.inner_text("table.plan")
    assert disputes.title in planned_courses
    assert grid.title in planned_courses
    page.click("#plan-form button[value=timetable]")
    page.wait_for_url(f"**{reverse('training:timetable-edit', args=[planned.pk])}")
    assert page.is_visible(".msg-success")
    sessions = Session.objects.filter(training_class=planned)
    assert {s.course for s in sessions} == {disputes, grid}
    assert set(planned.target_needs.all()) == {topics.a, topics.c}
