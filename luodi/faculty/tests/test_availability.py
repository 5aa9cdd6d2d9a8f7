"""A teacher's unavailable days, weekdays and sessions a day: scheduling refuses a session
that breaks them, and says which."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from luodi.faculty import services
from luodi.training.models import Session, TimeSlot
from luodi.training.services.scheduling import session_conflicts

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2024, 5, 6)  # the finished class runs Monday 6 to Wednesday 8 May 2024


def _session(college, teacher, day, start=19):
    return Session(
        training_class=college.finished,
        date=day,
        slot=TimeSlot.EVENING,
        start_time=dt.time(start, 0),
        end_time=dt.time(start + 1, 30),
        course=college.course,
        teacher=teacher,
        venue="另一教室",
        method=college.course.method,
        hours=Decimal(2),
    )


def _problems(session):
    with translation.override("en"):
        return session_conflicts(session)


def test_a_teacher_away_is_refused_on_those_days_only(college, make):
    teacher = make.teacher(name="出差老师")
    services.unavailability_add(
        teacher=teacher,
        start=MONDAY + dt.timedelta(days=1),
        end=MONDAY + dt.timedelta(days=2),
        reason="外出调研",
        by=None,
    )
    assert _problems(_session(college, teacher, MONDAY)) == []
    problems = _problems(_session(college, teacher, MONDAY + dt.timedelta(days=2)))
    assert problems == ["出差老师 is unavailable from 2024-05-07 to 2024-05-08（外出调研）."]


def test_a_teacher_who_does_not_teach_on_a_weekday_is_refused_that_weekday(college, make):
    teacher = make.teacher(name="周一老师")
    teacher.unavailable_weekdays = [0]
    services.teacher_save(teacher=teacher, by=None)
    assert _problems(_session(college, teacher, MONDAY)) == [
        "周一老师 does not teach on Monday (2024-05-06)."
    ]
    assert _problems(_session(college, teacher, MONDAY + dt.timedelta(days=1))) == []


def test_a_teacher_at_their_daily_limit_is_refused_another_session(college, make):
    teacher = make.teacher(name="限课老师", max_sessions_per_day=1)
    make.session(college.finished, college.course, teacher, day=1, venue="第二教室")
    problems = _problems(_session(college, teacher, MONDAY + dt.timedelta(days=1)))
    assert problems == ["限课老师 teaches at most 1 sessions a day (2024-05-07)."]
    # Changing the one session they have that day is not a second one.
    only = teacher.sessions.get()
    assert not any("at most" in p for p in _problems(only))


def test_an_unavailability_cannot_end_before_it_starts(make, db):
    teacher = make.teacher()
    with pytest.raises(ValidationError):
        services.unavailability_add(
            teacher=teacher, start=MONDAY, end=MONDAY - dt.timedelta(days=1), by=None
        )
