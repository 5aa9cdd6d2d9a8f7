"""Sessions changed and removed in the app (issue 8 §4): the same conflict checks as adding,
changes after the class started recorded through one hook, removal refused with records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.lib import audit
from luodi.training.models import LeaveRequest, Session
from luodi.training.services import scheduling

pytestmark = pytest.mark.django_db


def _form(session, **kw):
    fields = {
        "date": session.date.isoformat(),
        "slot": session.slot,
        "start_time": session.start_time.strftime("%H:%M"),
        "end_time": session.end_time.strftime("%H:%M"),
        "course": session.course_id,
        "teacher": session.teacher_id or "",
        "method": session.method,
        "hours": str(session.hours),
        "venue": session.venue,
        "field_site": session.field_site_id or "",
        "case": session.case_id or "",
    }
    return {**fields, **kw}


@pytest.fixture
def upcoming(college, make):
    """A class starting in a week with one session nobody has attended yet."""
    start = timezone.localdate() + dt.timedelta(days=7)
    tc = make.training_class(college.class_type, start_date=start, status="enrolling")
    return make.session(tc, college.course, college.teacher)


def test_staff_change_a_session_from_the_page(client_as, upcoming):
    url = reverse("training:session-edit", args=[upcoming.pk])
    client = client_as(Role.STAFF)
    assert client.get(url).status_code == 200
    response = client.post(url, _form(upcoming, start_time="09:00", hours="2.5"))
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert (upcoming.start_time, upcoming.hours) == (dt.time(9), Decimal("2.5"))


def test_a_change_is_refused_for_the_same_conflicts_as_adding(client_as, college, make, upcoming):
    other = make.training_class(college.class_type, start_date=upcoming.date, venue="二楼教室")
    make.session(other, college.course, college.teacher, slot="afternoon")
    client = client_as(Role.STAFF)
    url = reverse("training:session-edit", args=[upcoming.pk])
    response = client.post(url, _form(upcoming, start_time="13:00", end_time="15:00"))
    assert response.status_code == 200
    assert any("张平" in p for p in response.context["problems"])  # the teacher is booked
    upcoming.refresh_from_db()
    assert upcoming.start_time == dt.time(8, 30)


def test_a_change_after_the_class_started_is_recorded_with_before_and_after(college, users):
    session = college.running.sessions.get()
    before_time = session.start_time
    session.start_time, session.end_time = dt.time(9), dt.time(12)
    scheduling.session_save(session=session, by=users[Role.STAFF])
    saved = audit.recent("session.save")[-1]
    assert f"'start_time': '{before_time.isoformat()}'" in saved["details"]["before"]
    assert "'start_time': '09:00:00'" in saved["details"]["after"]
    assert "course" not in saved["details"]["after"]  # only what changed
    changed = audit.recent("timetable.changed")[-1]
    assert changed["object"] == f"training.trainingclass:{college.running.pk}"
    assert "09:00" in changed["details"]["summary"]


def test_a_change_before_the_class_starts_calls_no_hook(upcoming, users, monkeypatch):
    calls = []
    monkeypatch.setattr(scheduling, "_timetable_changed", lambda *a, **k: calls.append(k))
    upcoming.hours = Decimal(2)
    scheduling.session_save(session=upcoming, by=users[Role.STAFF])
    assert calls == []


def test_adding_and_removing_after_the_start_go_through_the_hook(college, monkeypatch):
    calls = []
    monkeypatch.setattr(scheduling, "_timetable_changed", lambda tc, **k: calls.append(k))
    session = Session(
        training_class=college.running,
        date=college.running.end_date,
        slot="afternoon",
        start_time=dt.time(14),
        end_time=dt.time(16),
        course=college.course,
        teacher=college.teacher,
        venue="学院报告厅",
        method="lecture",
        hours=Decimal(2),
    )
    scheduling.session_save(session=session, by=None)
    scheduling.session_delete(session=session, by=None)
    assert [c["summary"].split(":")[0] for c in calls] == ["Session added", "Session removed"]


def test_removing_a_session_with_attendance_is_refused(client_as, college):
    session = college.sessions[0]  # four trainees were marked present
    with pytest.raises(ValidationError, match="4 attendance records"):
        scheduling.session_delete(session=session, by=None)
    response = client_as(Role.STAFF).post(
        reverse("training:session-delete", args=[session.pk]), {"confirmed": "1"}, follow=True
    )
    assert "attendance records" in response.content.decode() or "考勤" in response.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()


def test_removing_a_session_named_in_a_pending_leave_request_is_refused(college, make, upcoming):
    enrolment = make.enrol(upcoming.training_class, college.cadres_dalian[1], status="enrolled")
    enrolment.attendances.all().delete()
    request = LeaveRequest.objects.create(enrolment=enrolment, reason="病假")
    request.sessions.add(upcoming)
    with pytest.raises(ValidationError, match="leave requests"):
        scheduling.session_delete(session=upcoming, by=None)


def test_removing_asks_first_then_removes(client_as, upcoming):
    url = reverse("training:session-delete", args=[upcoming.pk])
    client = client_as(Role.STAFF)
    preview = client.post(url)
    assert preview.status_code == 200
    assert upcoming.course.title in preview.content.decode()
    assert Session.objects.filter(pk=upcoming.pk).exists()
    client.post(url, {"confirmed": "1"})
    assert not Session.objects.filter(pk=upcoming.pk).exists()
