"""Trainees are told when their place is confirmed or wait-listed and when the timetable of
their class changes; only cadres with an account, only once the change is committed."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import L, R, S
from luodi.curriculum.models import TeachingMethod
from luodi.notifications.models import Notification
from luodi.training.models import ClassStatus, Enrolment, EnrolmentStatus, Session, TimeSlot
from luodi.training.services.enrolment import enrolment_move, enrolment_nominate
from luodi.training.services.notices import notify_timetable_changed
from luodi.training.services.scheduling import session_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolling(college, make):
    return make.training_class(
        college.class_type,
        start_date=dt.date(2026, 12, 7),
        status=ClassStatus.ENROLLING,
        venue="学院报告厅",
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block, then what it left for the commit (the notifications' task)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def kinds_of(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def nominated(enrolling, college, users):
    return enrolment_nominate(training_class=enrolling, cadre=college.cadres_dalian[0], by=users[L])


def test_a_confirmed_nomination_tells_the_cadre(enrolling, college, users, committed, outbox):
    with committed():
        enrolment = nominated(enrolling, college, users)
    assert kinds_of(users[R]) == []  # a liaison's nomination is not news yet
    with committed():
        enrolment_move(enrolment=enrolment, action="confirm", by=users[S])
    notice = Notification.objects.get(user=users[R])
    assert notice.kind == "nomination_confirmed"
    assert enrolling.title in notice.text
    assert "is confirmed" in notice.text
    assert notice.url == "/checkin/"
    assert [m.to for m in outbox] == [college.cadres_dalian[0].phone]


def test_a_waitlisted_nomination_tells_the_cadre_and_admission_confirms(
    enrolling, college, users, committed
):
    with committed():
        enrolment = nominated(enrolling, college, users)
        enrolment_move(enrolment=enrolment, action="waitlist", by=users[S])
    assert kinds_of(users[R]) == ["nomination_waitlisted"]
    assert "waiting list" in Notification.objects.get(user=users[R]).text
    with committed():
        enrolment_move(enrolment=enrolment, action="admit", by=users[S])
    assert sorted(kinds_of(users[R])) == ["nomination_confirmed", "nomination_waitlisted"]


def test_staff_enrolling_directly_tells_the_cadre(enrolling, college, users, committed):
    with committed():
        enrolment_nominate(training_class=enrolling, cadre=college.cadres_dalian[0], by=users[S])
    assert kinds_of(users[R]) == ["nomination_confirmed"]


def test_a_cadre_without_an_account_is_not_told(enrolling, college, users, committed):
    with committed():
        enrolment_nominate(training_class=enrolling, cadre=college.cadres_dalian[1], by=users[S])
    assert not Notification.objects.exists()


def test_a_withdrawal_tells_nobody(enrolling, college, users, committed):
    enrolment = nominated(enrolling, college, users)
    with committed():
        enrolment_move(enrolment=enrolment, action="withdraw", by=users[S])
    assert not Notification.objects.exists()


def _new_session(college, training_class):
    return Session(
        training_class=training_class,
        date=training_class.end_date,
        slot=TimeSlot.AFTERNOON,
        start_time=dt.time(14),
        end_time=dt.time(17),
        course=college.course,
        teacher=college.teacher,
        venue="学院三楼教室",
        method=TeachingMethod.LECTURE,
        hours=Decimal(3),
    )


def test_a_session_added_to_a_running_class_tells_its_trainees(college, users, committed, make):
    # The running class's roster: 宋娟 (the stock trainee); a nomination is not on it.
    Enrolment.objects.create(
        **Enrolment.place_of(college.cadres_shenyang[0]),
        training_class=college.running,
        cadre=college.cadres_shenyang[0],
        status=EnrolmentStatus.NOMINATED,
    )
    with committed():
        session = session_save(session=_new_session(college, college.running), by=users[S])
    notice = Notification.objects.get()
    assert (notice.user, notice.kind) == (users[R], "timetable_changed")
    assert college.running.title in notice.text
    assert session.date.isoformat() in notice.text
    assert "14:00–17:00" in notice.text
    with committed():  # saving it again (an edit) is told by the code that edits it
        session_save(session=session, by=users[S])
    assert Notification.objects.count() == 1


def test_a_session_added_while_the_class_is_planned_tells_nobody(college, users, committed, make):
    planned = make.training_class(
        college.class_type, start_date=dt.date(2026, 12, 7), status=ClassStatus.PLANNED
    )
    make.enrol(planned, college.cadres_dalian[0], status=EnrolmentStatus.ENROLLED)
    with committed():
        session_save(session=_new_session(college, planned), by=users[S])
    assert not Notification.objects.exists()


def test_others_can_tell_a_timetable_change(college, users, committed):
    with committed():
        told = notify_timetable_changed(
            college.running, by=users[S], summary="Session moved to the afternoon."
        )
    assert told == 1
    assert "Session moved to the afternoon." in Notification.objects.get(user=users[R]).text
    assert notify_timetable_changed(college.finished, by=users[S], summary="x") == 0
