import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.training.models import ClassStatus, TrainingClass
from luodi.training.services.completion import class_complete
from luodi.training.services.enrolment import enrolment_nominate
from luodi.training.services.planning import (
    class_plan,
    class_set_quotas,
    class_set_status,
    holiday_warnings,
    plan_warnings,
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
        "by": None,
        "record_of_past": True,  # fixed dates, whatever day the tests run
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
    assert len(warnings) == 1
    assert "2099" in warnings[0]


def test_it_refuses_quotas_beyond_capacity_and_writes_nothing(college):
    before = TrainingClass.objects.count()
    with pytest.raises(ValidationError):
        _plan(college, quotas={college.dalian: 40, college.shenyang: 30})
    assert TrainingClass.objects.count() == before


def test_it_refuses_an_end_before_the_start(college):
    with pytest.raises(ValidationError):
        _plan(college, end_date=dt.date(2026, 3, 1))


def _enrol_by_staff(tc, cadres, staff):
    for cadre in cadres:
        enrolment_nominate(training_class=tc, cadre=cadre, by=staff)


def test_quotas_cannot_fall_below_places_held(college, users, make):
    staff = users[Role.STAFF]
    tc, _ = _plan(college)
    _enrol_by_staff(tc, [make.cadre(college.communities_dalian[0]) for _ in range(5)], staff)
    with pytest.raises(ValidationError, match="already holds 5 places"):
        class_set_quotas(
            training_class=tc, quotas={college.dalian: 4, college.shenyang: 30}, by=staff
        )
    class_set_quotas(training_class=tc, quotas={college.dalian: 5, college.shenyang: 10}, by=staff)
    assert tc.quotas.get(city=college.shenyang).quota == 10
    assert tc.quotas.get(city=college.dalian).used == 5


def test_quotas_set_after_enrolment_count_the_places_already_held(college, users, make):
    """Issue 6 §1.1: a quota set after staff enrolled trainees started at used = 0, and
    completing the class then broke the quota CHECK (a 500)."""
    staff = users[Role.STAFF]
    tc, _ = _plan(college, quotas={})
    _enrol_by_staff(tc, college.cadres_dalian + college.cadres_shenyang[:1], staff)
    class_set_quotas(training_class=tc, quotas={college.dalian: 3, college.shenyang: 1}, by=staff)
    assert {q.city: q.used for q in tc.quotas.all()} == {college.dalian: 2, college.shenyang: 1}
    with pytest.raises(ValidationError, match="quota for the class is used up"):
        enrolment_nominate(training_class=tc, cadre=college.cadres_shenyang[1], by=staff)
    # A city holding places cannot be left without a quota.
    with pytest.raises(ValidationError, match="沈阳市 already holds 1 places"):
        class_set_quotas(training_class=tc, quotas={college.dalian: 3}, by=staff)
    TrainingClass.objects.filter(pk=tc.pk).update(status=ClassStatus.IN_PROGRESS)
    class_complete(training_class=tc, by=staff)
    assert {q.city: q.used for q in tc.quotas.all()} == {college.dalian: 2, college.shenyang: 1}


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
        assert class_set_status(training_class=tc, status=to, by=None).status == to
    else:
        with pytest.raises(ValidationError):
            class_set_status(training_class=tc, status=to, by=None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_planners_get_distinct_terms(college):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers")
    made, errors = [], []

    def plan(i):
        try:
            tc, _ = _plan(college, start=dt.date(2026, 5, 4) + dt.timedelta(days=7 * i), quotas={})
            made.append(tc.pk)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=plan, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    # A planner's own number may have moved since (planned classes are renumbered by start
    # date): what counts is what is stored once all are done.
    stored = list(
        TrainingClass.objects.filter(pk__in=made)
        .order_by("start_date")
        .values_list("term", flat=True)
    )
    assert len(stored) == len(set(stored)) == 8
    assert stored == sorted(stored)  # numbered by start date


# ---- issue 8 §4: past classes, implausible ones, numbering by start date --------------------


def _future(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_it_refuses_a_class_starting_in_the_past_unless_it_is_a_record(college):
    yesterday = _future(-1)
    with pytest.raises(ValidationError, match="in the past") as refused:
        _plan(college, start=yesterday, record_of_past=False)
    assert refused.value.code == "past"
    tc, _ = _plan(college, start=yesterday, record_of_past=True)
    assert tc.start_date == yesterday


def test_it_warns_of_a_class_implausibly_long_or_large(settings):
    start = dt.date(2026, 3, 2)
    assert plan_warnings(start_date=start, end_date=start + dt.timedelta(days=4), capacity=60) == []
    warnings = plan_warnings(start_date=start, end_date=dt.date(2026, 4, 30), capacity=600)
    assert any("60 days" in w for w in warnings)
    assert any("600 places" in w for w in warnings)
    settings.LUODI_PLAN_WARN_DAYS = 90
    assert not any(
        "days" in w
        for w in plan_warnings(start_date=start, end_date=dt.date(2026, 4, 30), capacity=6)
    )


def test_it_says_there_is_no_holiday_data_for_a_year_without_it():
    warnings = plan_warnings(
        start_date=dt.date(2099, 3, 2), end_date=dt.date(2099, 3, 6), capacity=60
    )
    assert warnings == ["No holiday calendar is available for 2099 yet; check the dates by hand."]


def test_a_class_planned_later_but_starting_earlier_takes_the_earlier_number(college):
    september, _ = _plan(college, start=dt.date(2027, 9, 6), quotas={})
    june, notes = _plan(college, start=dt.date(2027, 6, 7), quotas={})
    september.refresh_from_db()
    assert (june.term, september.term) == (1, 2)
    assert notes[-1] == (
        "Term numbers follow start dates: 2027年第1期社区党组织书记培训班 is now "
        "2027年第2期社区党组织书记培训班."
    )


def test_a_number_is_final_once_enrolment_opens(college):
    september, _ = _plan(college, start=dt.date(2027, 9, 6), quotas={})
    class_set_status(training_class=september, status=ClassStatus.ENROLLING, by=None)
    november, _ = _plan(college, start=dt.date(2027, 11, 1), quotas={})
    june, notes = _plan(college, start=dt.date(2027, 6, 7), quotas={})
    september.refresh_from_db()
    november.refresh_from_db()
    assert september.term == 1  # published: kept
    assert (june.term, november.term) == (2, 3)  # the planned ones in date order
    assert any("is now 2027年第3期" in n for n in notes)


def test_the_plan_page_warns_before_saving(client_as, college):
    form = {
        "class_type": college.class_type.pk,
        "start_date": _future(10).isoformat(),
        "end_date": _future(80).isoformat(),
        "venue": "学院报告厅",
        "capacity": 50,
    }
    client = client_as(Role.STAFF)
    page = client.post(reverse("training:class-plan"), form)
    assert 'data-testid="plan-warnings"' in page.content.decode()
    assert not TrainingClass.objects.filter(start_date=_future(10)).exists()
    client.post(reverse("training:class-plan"), {**form, "accept_warnings": "1"})
    assert TrainingClass.objects.filter(start_date=_future(10)).exists()


def test_the_plan_page_refuses_a_past_start_unless_ticked(client_as, college):
    form = {
        "class_type": college.class_type.pk,
        "start_date": _future(-30).isoformat(),
        "end_date": _future(-28).isoformat(),
        "venue": "学院报告厅",
        "capacity": 50,
        "accept_warnings": "1",
    }
    client = client_as(Role.STAFF)
    assert client.post(reverse("training:class-plan"), form).status_code == 200
    assert not TrainingClass.objects.filter(start_date=_future(-30)).exists()
    client.post(reverse("training:class-plan"), {**form, "record_of_past": "on"})
    assert TrainingClass.objects.filter(start_date=_future(-30)).exists()
