import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from luodi.accounts.models import Role
from luodi.training.models import ClassStatus, EnrolmentStatus, Reflection, TimeSlot
from luodi.training.services.completion import class_complete, enrolment_override

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(college, make):
    """A class of 7 three-hour sessions (21 h): leave limit 21 × 0.143 = 3.0 h."""
    tc = make.training_class(
        college.class_type,
        start_date=dt.date(2025, 3, 3),
        end_date=dt.date(2025, 3, 7),
        status=ClassStatus.IN_PROGRESS,
    )
    slots = [(d, s) for d in range(4) for s in (TimeSlot.MORNING, TimeSlot.AFTERNOON)][:7]
    sessions = [make.session(tc, college.course, college.teacher, day=d, slot=s) for d, s in slots]
    return tc, sessions


def _enrol(make, tc, cadre, sessions, marks, reflection=True):
    enrolment = make.enrol(
        tc,
        cadre,
        status=EnrolmentStatus.ENROLLED,
        attend={s.pk: m for s, m in zip(sessions, marks, strict=False)},
    )
    if reflection:
        Reflection.objects.create(enrolment=enrolment, text="学有所用")
    return enrolment


def test_it_decides_each_result_with_its_reason(week, college, make):
    tc, sessions = week
    c = [*college.cadres_dalian, *college.cadres_shenyang]
    full = _enrol(make, tc, c[0], sessions, ["present"] * 7)
    one_leave = _enrol(make, tc, c[1], sessions, ["leave"] + ["present"] * 6)
    two_leaves = _enrol(make, tc, c[2], sessions, ["leave", "leave"] + ["present"] * 5)
    absent = _enrol(make, tc, c[3], sessions, ["absent"] * 2 + ["present"] * 5)
    class_complete(training_class=tc, by=None)
    for e in (full, one_leave, two_leaves, absent):
        e.refresh_from_db()
    assert (full.status, full.hours_credited) == (EnrolmentStatus.COMPLETED, Decimal(21))
    assert (one_leave.status, one_leave.hours_credited) == (EnrolmentStatus.COMPLETED, 18)
    assert two_leaves.status == EnrolmentStatus.WITHDRAWN  # 6 h of leave > 3 h
    assert "6" in two_leaves.result_reason
    assert absent.status == EnrolmentStatus.NOT_COMPLETED  # 15 of 21 h = 71 % < 80 %
    tc.refresh_from_db()
    assert tc.status == ClassStatus.FINISHED


def test_a_missing_reflection_means_not_completed(week, college, make):
    tc, sessions = week
    e = _enrol(make, tc, college.cadres_dalian[0], sessions, ["present"] * 7, reflection=False)
    class_complete(training_class=tc, by=None)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.NOT_COMPLETED
    assert e.result_reason


def test_staff_override_is_recorded_and_kept(week, college, make, users):
    tc, sessions = week
    e = _enrol(make, tc, college.cadres_dalian[0], sessions, ["absent"] * 7)
    class_complete(training_class=tc, by=None)
    with pytest.raises(ValidationError):
        enrolment_override(enrolment=e, status="completed", reason=" ", by=users[Role.STAFF])
    enrolment_override(
        enrolment=e,
        status="completed",
        reason="因防汛任务缺课，经组织部同意补学",
        by=users[Role.STAFF],
    )
    class_complete(training_class=tc, by=None)  # recomputing keeps the override
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.COMPLETED
    assert e.overridden_by == users[Role.STAFF]


def test_unconfirmed_nominations_are_withdrawn(week, college, make):
    tc, _sessions = week
    e = make.enrol(tc, college.cadres_dalian[0], status=EnrolmentStatus.NOMINATED)
    class_complete(training_class=tc, by=None)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.WITHDRAWN


def test_a_planned_class_cannot_be_completed(college, make):
    tc = make.training_class(
        college.class_type, start_date=dt.date(2027, 3, 1), status=ClassStatus.PLANNED
    )
    with pytest.raises(ValidationError):
        class_complete(training_class=tc, by=None)
