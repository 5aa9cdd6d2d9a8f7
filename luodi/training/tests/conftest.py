"""A week-long class in progress, and trainees with given attendance marks, for the tests of
completion and of the records that follow from it."""

import datetime as dt

import pytest

from luodi.training.models import ClassStatus, EnrolmentStatus, Reflection, TimeSlot


@pytest.fixture
def week(college, make):
    """A class in progress of 7 three-hour sessions (21 h): leave limit 21 × 1/7 = 3 h."""
    tc = make.training_class(
        college.class_type,
        start_date=dt.date(2025, 3, 3),
        end_date=dt.date(2025, 3, 7),
        status=ClassStatus.IN_PROGRESS,
    )
    slots = [(d, s) for d in range(4) for s in (TimeSlot.MORNING, TimeSlot.AFTERNOON)][:7]
    sessions = [make.session(tc, college.course, college.teacher, day=d, slot=s) for d, s in slots]
    return tc, sessions


@pytest.fixture
def enrol_marked(make):
    """``enrol_marked(tc, cadre, sessions, marks, reflection=True)``: an enrolled trainee whose
    attendance at ``sessions`` is ``marks`` (present where none is given), with a reflection."""

    def enrol(tc, cadre, sessions, marks, reflection=True):
        enrolment = make.enrol(
            tc,
            cadre,
            status=EnrolmentStatus.ENROLLED,
            attend={s.pk: m for s, m in zip(sessions, marks, strict=False)},
        )
        if reflection:
            Reflection.objects.create(enrolment=enrolment, text="学有所用")
        return enrolment

    return enrol
