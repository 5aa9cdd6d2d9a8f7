import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from luodi.curriculum.models import TeachingMethod
from luodi.faculty.models import ReviewStatus
from luodi.training.models import Session, TimeSlot
from luodi.training.services.scheduling import session_conflicts, session_save

pytestmark = pytest.mark.django_db


def _session(college, training_class=None, **kw):
    tc = training_class or college.finished
    fields = {
        "training_class": tc,
        "date": tc.start_date + dt.timedelta(days=2),
        "slot": TimeSlot.MORNING,
        "start_time": dt.time(8, 30),
        "end_time": dt.time(11, 30),
        "course": college.course,
        "teacher": college.teacher,
        "venue": tc.venue,
        "method": TeachingMethod.LECTURE,
        "hours": Decimal(3),
    }
    return Session(**{**fields, **kw})


@pytest.fixture
def parallel_class(college, make):
    """Another class on the same dates as the finished one."""
    return make.training_class(
        college.class_type, start_date=college.finished.start_date, venue="学院二楼教室"
    )


def test_a_free_session_is_saved(college):
    session = session_save(session=_session(college), by=None)
    assert session.pk


def test_it_refuses_a_teacher_in_two_places_at_once(college, parallel_class):
    session_save(session=_session(college), by=None)
    clash = _session(college, parallel_class, start_time=dt.time(10), end_time=dt.time(12))
    with translation.override("en"):
        problems = session_conflicts(clash)
        assert any("already teaches" in p and college.finished.title in p for p in problems)
        with pytest.raises(ValidationError):
            session_save(session=clash, by=None)


def test_back_to_back_sessions_do_not_clash(college):
    session_save(session=_session(college, end_time=dt.time(10)), by=None)
    session_save(
        session=_session(college, start_time=dt.time(10), end_time=dt.time(11, 30)), by=None
    )


def test_it_refuses_a_double_booked_venue(college, parallel_class, make):
    other_teacher = make.teacher()
    session_save(session=_session(college), by=None)
    clash = _session(college, parallel_class, teacher=other_teacher, venue=college.finished.venue)
    with translation.override("en"):
        assert any("already booked" in p for p in session_conflicts(clash))


def test_the_database_refuses_double_bookings_too(college, parallel_class, make):
    session_save(session=_session(college), by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        _session(college, parallel_class, venue="别处").save()  # same teacher
    with pytest.raises(IntegrityError), transaction.atomic():
        _session(
            college, parallel_class, teacher=make.teacher(), venue=college.finished.venue
        ).save()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": dt.date(2030, 1, 1)}, "outside the class's dates"),
        ({"method": TeachingMethod.ON_SITE}, "field-teaching site"),
        ({"method": TeachingMethod.CASE_ANALYSIS}, "teaching case"),
        ({"venue": ""}, "venue or a field-teaching site"),
    ],
)
def test_it_names_what_is_wrong(college, fields, message):
    with translation.override("en"):
        assert any(message in p for p in session_conflicts(_session(college, **fields)))


def test_a_teacher_without_political_review_cannot_be_scheduled(college, make):
    pending = make.teacher(review_status=ReviewStatus.PENDING, reviewed_on=None)
    with translation.override("en"):
        problems = session_conflicts(_session(college, teacher=pending))
    assert any("political review" in p for p in problems)
