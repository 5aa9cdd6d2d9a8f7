import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from luodi.accounts.models import Role
from luodi.training.models import ClassStatus, EnrolmentStatus
from luodi.training.services.completion import class_complete, enrolment_override

pytestmark = pytest.mark.django_db


def test_it_decides_each_result_with_its_reason(week, college, make, enrol_marked):
    tc, sessions = week
    c = [*college.cadres_dalian, *college.cadres_shenyang]
    full = enrol_marked(tc, c[0], sessions, ["present"] * 7)
    one_leave = enrol_marked(tc, c[1], sessions, ["leave"] + ["present"] * 6)
    two_leaves = enrol_marked(tc, c[2], sessions, ["leave", "leave"] + ["present"] * 5)
    absent = enrol_marked(tc, c[3], sessions, ["absent"] * 2 + ["present"] * 5)
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


def test_a_missing_reflection_means_not_completed(week, college, make, enrol_marked):
    tc, sessions = week
    e = enrol_marked(tc, college.cadres_dalian[0], sessions, ["present"] * 7, reflection=False)
    class_complete(training_class=tc, by=None)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.NOT_COMPLETED
    assert e.result_reason


def test_staff_override_is_recorded_and_kept(week, college, make, users, enrol_marked):
    tc, sessions = week
    e = enrol_marked(tc, college.cadres_dalian[0], sessions, ["absent"] * 7)
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


def test_results_for_many_classes_are_each_class_preview(week, college, make, enrol_marked):
    """The many-class reading (the demo's five years) decides exactly as ``preview`` does
    class by class, each class with its own total hours and rules."""
    from luodi.training.services.completion import preview, results_for_classes

    tc, sessions = week
    c = [*college.cadres_dalian, *college.cadres_shenyang]
    enrol_marked(tc, c[0], sessions, ["present"] * 7)
    enrol_marked(tc, c[1], sessions, ["leave", "leave"] + ["present"] * 5)
    enrol_marked(tc, c[2], sessions, ["absent"] * 2 + ["present"] * 5)
    enrol_marked(tc, c[3], sessions, ["present"] * 7, reflection=False)
    classes = [tc, college.finished]
    expected = {e.pk: (e.cadre_id, e.status, r) for k in classes for e, r in preview(k)}
    got = {d.pk: (d.cadre_id, d.status, r) for d, r in results_for_classes([k.pk for k in classes])}
    assert got == expected
    assert len({r.status for _c, _s, r in got.values()}) == 3  # each rule decided something
