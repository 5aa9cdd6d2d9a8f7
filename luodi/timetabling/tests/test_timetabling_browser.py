"""In a real Chromium: staff re-arrange a new 5-day class's timetable with one click, pin two
sessions, solve again and accept; an impossible request explains itself on the page."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.curriculum.models import TeachingMethod
from luodi.faculty.models import Unavailability
from luodi.timetabling.models import Draft, DraftStatus
from luodi.training.models import ClassStatus, Session, TimeSlot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def planned(college, make):
    """A planned 5-day class whose ten sessions were typed in any order: the closing on the
    first morning, the opening on the last afternoon."""
    today = timezone.localdate()
    start = today + dt.timedelta(days=56 - today.weekday())
    tc = make.training_class(
        college.class_type,
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        status=ClassStatus.PLANNED,
    )
    teachers = [make.teacher(name=f"教师{n}") for n in range(4)]
    closing = make.course(college.category, title="结业座谈", method=TeachingMethod.DISCUSSION)
    opening = make.course(college.category, title="开班第一课")
    make.session(tc, closing, teachers[0], day=0, method=TeachingMethod.DISCUSSION)
    for position in range(1, 9):
        course = make.course(college.category, title=f"专题{position}")
        slot = TimeSlot.AFTERNOON if position % 2 else TimeSlot.MORNING
        make.session(tc, course, teachers[position % 4], day=position // 2, slot=slot)
    make.session(tc, opening, teachers[0], day=4, slot=TimeSlot.AFTERNOON)
    return tc, teachers


def test_build_pin_resolve_accept_and_an_impossible_request(
    browser_context, live_server, login_in_browser, users, planned
):
    tc, teachers = planned
    page = browser_context()
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(f"{live_server.url}/classes/{tc.pk}/timetable/edit/")
    page.get_by_test_id("auto-timetable").click()
    status = page.get_by_test_id("draft-status")
    status.filter(has_text="已提出").wait_for()
    grid = page.get_by_test_id("proposal")
    first_row = grid.locator("tbody tr").first
    assert "开班第一课" in first_row.locator("td").first.inner_text()
    assert "结业座谈" in grid.locator("tbody tr").last.locator("td").last.inner_text()
    draft = Draft.objects.get()
    pinned = [p["item"] for p in draft.proposal[3:5]]
    for key in pinned:
        page.get_by_test_id(f"pin-{key}").check()
    page.get_by_test_id("resolve").click()
    status.filter(has_text="已提出").wait_for()
    page.get_by_text("2 sessions pinned").or_(page.get_by_text("已固定 2 节")).wait_for()
    draft.refresh_from_db()
    assert [p["item"] for p in draft.pins] == pinned
    if directory := os.environ.get("LUODI_SCREENSHOTS"):
        page.screenshot(path=f"{directory}/timetable-proposal.png", full_page=True)
    page.get_by_test_id("accept").click()
    page.locator("#session-editor").wait_for()
    assert Session.objects.filter(training_class=tc).count() == 10
    first = Session.objects.filter(training_class=tc).order_by("date", "start_time").first()
    assert first.course.title == "开班第一课"
    draft.refresh_from_db()
    assert draft.status == DraftStatus.ACCEPTED

    # The teacher of four sessions is away four days of five: no timetable, and why.
    Unavailability.objects.create(
        teacher=teachers[0],
        start=tc.start_date,
        end=tc.start_date + dt.timedelta(days=3),
        reason="出差",
    )
    teachers[0].max_sessions_per_day = 1
    teachers[0].save()
    page.get_by_test_id("auto-timetable").click()
    reasons = page.get_by_test_id("reasons")
    reasons.wait_for()
    text = reasons.inner_text()
    assert "教师0" in text
    assert "出差" in text
    if directory := os.environ.get("LUODI_SCREENSHOTS"):
        page.screenshot(path=f"{directory}/timetable-infeasible.png", full_page=True)
