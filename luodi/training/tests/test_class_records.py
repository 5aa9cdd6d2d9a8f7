import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from luodi.curriculum.models import TeachingMethod
from luodi.training.models import Attendance, Enrolment, Session, TimeSlot, TrainingClass

pytestmark = pytest.mark.django_db


def test_title_is_derived_from_year_term_and_type(college, make):
    training_class = make.training_class(college.class_type, start_date=dt.date(2019, 9, 2), term=3)
    assert training_class.title == "2019年第3期社区党组织书记培训班"
    assert str(training_class) == training_class.title


def test_it_refuses_a_duplicate_term_number(college, make):
    duplicate = TrainingClass(
        class_type=college.class_type,
        year=2024,
        term=college.finished.term,
        start_date=dt.date(2024, 9, 2),
        end_date=dt.date(2024, 9, 6),
        venue="教室",
        capacity=50,
    )
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            duplicate.full_clean()
        assert "term number is already used" in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_it_refuses_an_end_date_before_the_start(college):
    bad = TrainingClass(
        class_type=college.class_type,
        year=2024,
        term=9,
        start_date=dt.date(2024, 9, 6),
        end_date=dt.date(2024, 9, 2),
        venue="教室",
        capacity=50,
    )
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            bad.full_clean()
        assert "end date cannot be before" in str(exc.value.message_dict["end_date"])
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_it_requires_the_year_to_be_the_start_year(college):
    bad = TrainingClass(
        class_type=college.class_type,
        year=2023,
        term=9,
        start_date=dt.date(2024, 9, 2),
        end_date=dt.date(2024, 9, 6),
        venue="教室",
        capacity=50,
    )
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "year" in exc.value.message_dict


@pytest.mark.parametrize("capacity", [0])
def test_database_refuses_an_empty_capacity(college, make, capacity):
    with pytest.raises(IntegrityError), transaction.atomic():
        make.training_class(college.class_type, start_date=dt.date(2024, 10, 8), capacity=capacity)


def _session(college, **kw):
    fields = {
        "training_class": college.finished,
        "date": college.finished.start_date,
        "slot": TimeSlot.EVENING,
        "start_time": dt.time(19),
        "end_time": dt.time(21),
        "course": college.course,
        "teacher": college.teacher,
        "venue": "教室",
        "method": TeachingMethod.DISCUSSION,
        "hours": Decimal(2),
    }
    return Session(**{**fields, **kw})


def test_it_refuses_a_session_outside_the_class_dates(college):
    late = _session(college, date=college.finished.end_date + dt.timedelta(days=1))
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            late.full_clean()
        assert "within the class's dates" in str(exc.value.message_dict["date"])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hours": Decimal(0)}, "greater than zero"),
        ({"end_time": dt.time(18)}, "end after it starts"),
        ({"method": TeachingMethod.ON_SITE}, "field-teaching site"),
        ({"venue": ""}, "venue or a field-teaching site"),
    ],
)
def test_it_refuses_impossible_sessions_in_forms_and_database(college, fields, message):
    bad = _session(college, **fields)
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            bad.full_clean()
        assert message in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_a_valid_session_saves(college):
    session = _session(college)
    session.full_clean()
    session.save()
    assert college.finished.total_hours() == Decimal(11)


def test_a_cadre_is_enrolled_once_per_class(college):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            **Enrolment.place_of(college.cadres_dalian[0]),
            training_class=college.finished,
            cadre=college.cadres_dalian[0],
        )


def test_attendance_is_recorded_once_per_session(college):
    enrolment = college.finished.enrolments.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            enrolment=enrolment, session=college.sessions[0], status="present"
        )


def test_attendance_must_be_for_a_session_of_the_same_class(college):
    enrolment = college.finished.enrolments.first()
    other_session = college.running.sessions.first()
    with pytest.raises(ValidationError):
        Attendance(enrolment=enrolment, session=other_session, status="present").full_clean()
