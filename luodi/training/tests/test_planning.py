import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from luodi.training.models import ClassQuota, ClassStatus, TrainingClass
from luodi.training.planning import (
    class_plan,
    class_set_quotas,
    class_set_status,
    holiday_warnings,
)

pytestmark = pytest.mark.django_db


def _plan(college, start=dt.date(2026, 3, 2), **kw):
    fields = {
        "class_type": college.class_type,
        "start_date": start,
        "end_date": start + dt.timedelta(days=4),
        "venue": "学院报告厅",
        "capacity": 60,
        "head_teacher": college.teacher,
        "quotas": {college.dalian: 30, college.shenyang: 30},
    }
    return class_plan(**{**fields, **kw})


def test_it_numbers_terms_per_type_and_year(college):
    first, _ = _plan(college)
    second, _ = _plan(college, start=dt.date(2026, 4, 6))
    other_year, _ = _plan(college, start=dt.date(2025, 4, 7))
    existing_2026 = TrainingClass.objects.filter(year=2026).exclude(pk__in=[first.pk, second.pk])
    assert second.term == first.term + 1
    assert first.term == max(existing_2026.values_list("term", flat=True), default=0) + 1
    assert other_year.term == 1
    assert first.title.startswith(f"2026年第{first.term}期")
    assert {q.city: q.quota for q in first.quotas.all()} == {
        college.dalian: 30,
        college.shenyang: 30,
    }


def test_it_warns_about_statutory_holidays(college):
    _, warnings = _plan(college, start=dt.date(2026, 9, 28))
    assert any("2026-10-01" in w for w in warnings)
    assert holiday_warnings(dt.date(2026, 3, 2), dt.date(2026, 3, 6)) == []


def test_it_says_when_no_holiday_data_exists_for_a_year():
    warnings = holiday_warnings(dt.date(2099, 1, 1), dt.date(2099, 1, 3))
    assert len(warnings) == 1 and "2099" in warnings[0]


def test_it_refuses_quotas_beyond_capacity_and_writes_nothing(college):
    before = TrainingClass.objects.count()
    with pytest.raises(ValidationError):
        _plan(college, quotas={college.dalian: 40, college.shenyang: 30})
    assert TrainingClass.objects.count() == before


def test_it_refuses_an_end_before_the_start(college):
    with pytest.raises(ValidationError):
        _plan(college, end_date=dt.date(2026, 3, 1))


def test_quotas_cannot_fall_below_places_held(college, make):
    tc, _ = _plan(college)
    ClassQuota.objects.filter(training_class=tc, city=college.dalian).update(used=5)
    with pytest.raises(ValidationError):
        class_set_quotas(training_class=tc, quotas={college.dalian: 4, college.shenyang: 30})
    class_set_quotas(training_class=tc, quotas={college.dalian: 5, college.shenyang: 10})
    assert tc.quotas.get(city=college.shenyang).quota == 10


@pytest.mark.parametrize(
    ("start", "to", "ok"),
    [
        (ClassStatus.PLANNED, ClassStatus.ENROLLING, True),
        (ClassStatus.ENROLLING, ClassStatus.IN_PROGRESS, True),
        (ClassStatus.IN_PROGRESS, ClassStatus.FINISHED, True),
        (ClassStatus.FINISHED, ClassStatus.ARCHIVED, True),
        (ClassStatus.PLANNED, ClassStatus.FINISHED, False),
        (ClassStatus.ARCHIVED, ClassStatus.PLANNED, False),
        (ClassStatus.FINISHED, ClassStatus.IN_PROGRESS, False),
    ],
)
def test_status_moves_only_along_allowed_transitions(college, start, to, ok):
    tc, _ = _plan(college)
    TrainingClass.objects.filter(pk=tc.pk).update(status=start)
    if ok:
        assert class_set_status(training_class=tc, status=to).status == to
    else:
        with pytest.raises(ValidationError):
            class_set_status(training_class=tc, status=to)


@pytest.mark.django_db(transaction=True)
def test_concurrent_planners_get_distinct_terms(college):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers")
    terms, errors = [], []

    def plan(i):
        try:
            tc, _ = _plan(college, start=dt.date(2026, 5, 4) + dt.timedelta(days=7 * i), quotas={})
            terms.append(tc.term)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=plan, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(terms) == len(set(terms)) == 8
