"""The head teachers' daily digest: what it says, to whom, and only once a day."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import PASSWORD, H, R
from luodi.accounts.models import Role, User
from luodi.checkin.digest import digest_text, digests_send, head_teachers_on
from luodi.notifications.models import DailyDigest, Notification
from luodi.training.models import (
    Attendance,
    AttendanceStatus,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    Reflection,
    TimeSlot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning(college, make, users):
    """The running class (head teacher: the stock one) with 7 sessions of 3 h (21 h, leave
    limit 3 h), three of them today; 宋娟 on leave for 3 h (at the limit), a Shenyang cadre
    with a pending request; and a class of theirs that ended three days ago, where one of two
    trainees has not written a reflection."""
    today = timezone.localdate()
    running = college.running
    for day, slot in [
        (0, TimeSlot.MORNING),
        (0, TimeSlot.AFTERNOON),
        (0, TimeSlot.EVENING),
        (1, TimeSlot.AFTERNOON),
        (1, TimeSlot.EVENING),
        (2, TimeSlot.MORNING),
    ]:
        make.session(running, college.course, None, day=day, slot=slot)
    song = running.enrolments.get(cadre=college.cadres_dalian[0])
    Attendance.objects.create(
        enrolment=song, session=running.sessions.first(), status=AttendanceStatus.LEAVE
    )
    other = Enrolment.objects.create(
        **Enrolment.place_of(college.cadres_shenyang[0]),
        training_class=running,
        cadre=college.cadres_shenyang[0],
        status=EnrolmentStatus.ENROLLED,
    )
    LeaveRequest.objects.create(enrolment=other, reason="病假").sessions.add(
        running.sessions.last()
    )
    ended = make.training_class(
        college.class_type,
        start_date=today - dt.timedelta(days=5),
        status=ClassStatus.FINISHED,
        head_teacher=college.teacher,
    )
    wrote = make.enrol(ended, college.cadres_dalian[1])
    Reflection.objects.create(enrolment=wrote, text="收获很大")
    make.enrol(ended, college.cadres_shenyang[1])
    college.teacher.phone = "13800138000"
    college.teacher.save()
    return today, running, ended


def test_the_digest_says_what_the_head_teacher_needs_this_morning(morning, users, college):
    today, running, ended = morning
    text = digest_text(users[H], today)
    assert today.isoformat() in text
    assert f"{running.title} today: 08:30–11:30 {college.course.title}; 14:00–17:00" in text
    assert "Near the leave limit of 3 h: 宋娟 (3 h)." in text
    assert college.cadres_shenyang[0].name not in text.split("Near")[1].split("\n")[0]
    assert "Leave requests waiting for your decision: 1." in text
    assert f"{ended.title} (ended): 1 trainee has not written their reflection." in text
    assert college.finished.title not in text  # ended long ago


def test_it_goes_to_head_teachers_with_a_class_running_today(morning, users, make, college):
    today, _running, _ended = morning
    idle = User.objects.create_user(
        username="idle", password=PASSWORD, role=Role.HEAD_TEACHER, teacher=make.teacher()
    )
    assert list(head_teachers_on(today)) == [users[H]]
    assert idle not in head_teachers_on(today)
    assert list(head_teachers_on(today + dt.timedelta(days=5))) == []


def test_running_it_twice_a_day_sends_once(
    morning, users, outbox, django_capture_on_commit_callbacks
):
    today, _running, _ended = morning
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=out)
        call_command("send_digests", stdout=out)
    assert out.getvalue().splitlines() == ["Daily digests sent: 1", "Daily digests sent: 0"]
    digest = Notification.objects.get(kind="digest")
    assert digest.user == users[H]
    assert digest.url == "/"
    assert [m.to for m in outbox] == ["13800138000"]
    assert DailyDigest.objects.get().day == today
    assert not Notification.objects.filter(user=users[R]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(day=today + dt.timedelta(days=1)) == 1  # tomorrow's is new
