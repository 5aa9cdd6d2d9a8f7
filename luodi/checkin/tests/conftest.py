"""Classes to check in to: one on fixed dates (for services given an explicit ``now``) and one
around the real clock (for pages, which use the time of the request)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from conftest import PASSWORD
from luodi.accounts.models import Role, User
from luodi.checkin import tokens
from luodi.training.models import ClassStatus, Enrolment, EnrolmentStatus, TimeSlot


def _enrol(training_class, cadre, status=EnrolmentStatus.ENROLLED):
    return Enrolment.objects.create(
        **Enrolment.place_of(cadre), training_class=training_class, cadre=cadre, status=status
    )


@pytest.fixture
def fixed(college, make):
    """A class in March 2025 run by the stock head teacher: three sessions (3 h each, 9 h in
    all), the stock trainee 宋娟 and a Shenyang cadre enrolled, another only nominated."""
    tc = make.training_class(
        college.class_type,
        start_date=dt.date(2025, 3, 10),
        end_date=dt.date(2025, 3, 12),
        status=ClassStatus.IN_PROGRESS,
        head_teacher=college.teacher,
        venue="签到教室A",
    )
    sessions = [
        make.session(tc, college.course, None, day=1),
        make.session(tc, college.course, None, day=1, slot=TimeSlot.AFTERNOON),
        make.session(tc, college.course, None, day=2),
    ]
    trainee = _enrol(tc, college.cadres_dalian[0])
    other = _enrol(tc, college.cadres_shenyang[0])
    nominated = _enrol(tc, college.cadres_shenyang[1], EnrolmentStatus.NOMINATED)
    session = sessions[0]
    return SimpleNamespace(
        training_class=tc,
        sessions=sessions,
        session=session,
        start=tokens.session_start(session),
        trainee=trainee,
        other=other,
        nominated=nominated,
    )


@pytest.fixture
def live(college, make, noon):
    """A class running today whose first session starts in three minutes: check-in is open."""
    today = noon.date()
    tc = make.training_class(
        college.class_type,
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=1),
        status=ClassStatus.IN_PROGRESS,
        head_teacher=college.teacher,
        venue="签到教室B",
    )
    start = noon.replace(second=0, microsecond=0) + dt.timedelta(minutes=3)
    session = make.session(
        tc,
        college.course,
        None,
        day=1,
        start_time=start.time(),
        end_time=(start + dt.timedelta(hours=2)).time(),
        hours=Decimal(2),
    )
    trainee = _enrol(tc, college.cadres_dalian[0])
    other = _enrol(tc, college.cadres_shenyang[0])
    return SimpleNamespace(training_class=tc, session=session, trainee=trainee, other=other)


@pytest.fixture
def other_head_teacher(make, db):
    """A head teacher who runs some other class, not the ones above."""
    return User.objects.create_user(
        username="other_head",
        password=PASSWORD,
        role=Role.HEAD_TEACHER,
        teacher=make.teacher(name="王老师"),
    )


@pytest.fixture
def other_trainee(college, db):
    """A second trainee account (Dalian's second cadre)."""
    return User.objects.create_user(
        username="other_trainee",
        password=PASSWORD,
        role=Role.TRAINEE,
        cadre=college.cadres_dalian[1],
    )


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read the pages' English texts; the Chinese ones are checked by the
    translation tests and the browser tests."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
