"""Political reviews: one definition of "cleared on a day", and scheduling refusing a teacher
who is not cleared on the session's own date, saying why."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from luodi.faculty import services
from luodi.faculty.models import PoliticalReview, ReviewResult, ReviewStatus, Teacher
from luodi.lib import audit
from luodi.training.models import Session, TimeSlot
from luodi.training.services.scheduling import session_conflicts

pytestmark = pytest.mark.django_db

SESSION_DAY = dt.date(2024, 5, 6)  # the finished class's first day (conftest ``college``)


def _pending(make, **kw):
    return make.teacher(review_status=ReviewStatus.PENDING, **kw)


def _session_with(college, make, teacher, day=SESSION_DAY):
    """A session of the finished class on ``day``, not saved (only checked)."""
    return Session(
        training_class=college.finished,
        date=day,
        slot=TimeSlot.EVENING,
        start_time=dt.time(19, 0),
        end_time=dt.time(21, 0),
        course=college.course,
        teacher=teacher,
        venue="另一教室",
        method=college.course.method,
        hours=Decimal(2),
    )


def _problems(session) -> list[str]:
    with translation.override("en"):
        return session_conflicts(session)


def test_a_pass_clears_from_its_date_to_its_last_valid_day_inclusive(make, db):
    teacher = _pending(make)
    services.review_record(
        teacher=teacher,
        date=dt.date(2023, 3, 1),
        result=ReviewResult.PASSED,
        valid_until=dt.date(2024, 2, 29),
        by=None,
    )
    for day, cleared in [
        (dt.date(2023, 2, 28), False),
        (dt.date(2023, 3, 1), True),
        (dt.date(2024, 2, 29), True),
        (dt.date(2024, 3, 1), False),
    ]:
        assert Teacher.objects.cleared_on(day).filter(pk=teacher.pk).exists() == cleared, day
        assert (teacher.review_problem(day) is None) == cleared, day


def test_a_pass_holds_the_configured_number_of_years(make, settings):
    settings.LUODI_REVIEW_VALID_YEARS = 2
    teacher = _pending(make)
    review = services.review_record(
        teacher=teacher, date=dt.date(2024, 2, 29), result=ReviewResult.PASSED, by=None
    )
    assert review.valid_until == dt.date(2026, 2, 27)  # 28 Feb 2026 less a day
    failed = services.review_record(
        teacher=teacher, date=dt.date(2024, 6, 1), result=ReviewResult.FAILED, by=None
    )
    assert failed.valid_until == failed.date


def test_recording_a_review_keeps_the_teachers_latest_review_and_is_on_record(make, college):
    teacher = _pending(make)
    staff_review = services.review_record(
        teacher=teacher,
        date=dt.date(2025, 1, 10),
        result=ReviewResult.PASSED,
        reviewer="组织人事处",
        by=None,
    )
    services.review_record(
        teacher=teacher, date=dt.date(2022, 1, 10), result=ReviewResult.FAILED, by=None
    )
    teacher.refresh_from_db()
    # The latest by date, not the last entered.
    assert (teacher.review_status, teacher.reviewed_on) == (ReviewStatus.PASSED, staff_review.date)
    assert [e["details"]["result"] for e in audit.recent("teacher.review")][-2:] == [
        "passed",
        "failed",
    ]


def test_scheduling_accepts_a_teacher_cleared_on_the_sessions_date(college, make):
    teacher = make.teacher(reviewed_on=dt.date(2023, 1, 1), valid_until=dt.date(2025, 12, 31))
    assert not any("review" in p for p in _problems(_session_with(college, make, teacher)))


def test_scheduling_refuses_a_teacher_with_no_review_and_names_the_date(college, make):
    teacher = _pending(make, name="无审老师")
    problems = _problems(_session_with(college, make, teacher))
    assert any("无审老师 has no political review on record by 2024-05-06" in p for p in problems), (
        problems
    )


def test_scheduling_refuses_an_expired_review_saying_when_it_expired(college, make):
    teacher = make.teacher(
        name="过期老师", reviewed_on=dt.date(2020, 1, 1), valid_until=dt.date(2022, 12, 31)
    )
    problems = _problems(_session_with(college, make, teacher))
    assert any("过期老师's political review expired on 2022-12-31" in p for p in problems)


def test_scheduling_refuses_a_review_not_passed(college, make):
    teacher = make.teacher(
        name="未过老师", review_status=ReviewStatus.FAILED, reviewed_on=dt.date(2023, 6, 1)
    )
    problems = _problems(_session_with(college, make, teacher))
    assert any("未过老师 did not pass political review (2023-06-01)" in p for p in problems)


def test_it_is_the_sessions_date_that_counts_not_today(college, make):
    """Cleared today but not yet on the (past) session's date: refused; and a pass that ends
    before a session next year does not cover it."""
    teacher = _pending(make, name="新审老师")
    services.review_record(
        teacher=teacher, date=dt.date(2025, 1, 1), result=ReviewResult.PASSED, by=None
    )
    assert Teacher.objects.cleared_on(dt.date(2025, 6, 1)).filter(pk=teacher.pk).exists()
    problems = _problems(_session_with(college, make, teacher))
    assert any("新审老师 has no political review on record by 2024-05-06" in p for p in problems)


def test_the_staff_to_do_list_counts_a_session_its_teachers_review_will_not_cover(college, make):
    """Cleared today, but the pass ends before the session next month: it waits on the list."""
    from luodi.reports.work import todo
    from luodi.training.models import ClassStatus

    today = timezone.localdate()
    lapsing = make.teacher(reviewed_on=today - dt.timedelta(days=400), valid_until=today)
    coming = make.training_class(
        college.class_type,
        start_date=today + dt.timedelta(days=30),
        status=ClassStatus.ENROLLING,
    )
    make.session(coming, college.course, lapsing, day=0)
    make.session(coming, college.course, college.teacher, day=1)
    reviews = next(item for item in todo(today) if item.key == "reviews")
    assert [(c, n) for c, n, _url in reviews.rows] == [(coming, 1)]


def test_the_data_migration_turns_the_old_review_fields_into_review_rows(make, settings):
    settings.LUODI_REVIEW_VALID_YEARS = 3
    passed = _pending(make, title="副教授")
    failed = _pending(make)
    pending = _pending(make)
    Teacher.objects.filter(pk=passed.pk).update(
        review_status=ReviewStatus.PASSED, reviewed_on=dt.date(2024, 3, 18)
    )
    Teacher.objects.filter(pk=failed.pk).update(
        review_status=ReviewStatus.FAILED, reviewed_on=dt.date(2024, 4, 1)
    )
    PoliticalReview.objects.all().delete()
    migration = importlib.import_module(
        "luodi.faculty.migrations.0006_reviews_from_teachers_and_default_rates"
    )
    editor = type("Editor", (), {"connection": connection})()
    migration.forward(apps, editor)

    assert list(
        PoliticalReview.objects.filter(teacher=passed).values_list("result", "date", "valid_until")
    ) == [("passed", dt.date(2024, 3, 18), dt.date(2027, 3, 17))]
    assert list(
        PoliticalReview.objects.filter(teacher=failed).values_list("result", "valid_until")
    ) == [("failed", dt.date(2024, 4, 1))]
    assert not PoliticalReview.objects.filter(teacher=pending).exists()
    passed.refresh_from_db()
    assert passed.title_band == "associate"


def test_the_rubric_names_read_without_import_are_the_surveys_own():
    from luodi.faculty import selectors
    from luodi.surveys import blueprints
    from luodi.surveys.models import Purpose

    assert (selectors.RUBRIC, selectors.EVALUATION) == (blueprints.RUBRIC, Purpose.EVALUATION)


def test_reviews_loaded_in_bulk_set_each_teachers_latest_and_refuse_a_bad_one(make):
    """``reviews_load`` (the demo's history): each teacher takes their latest review; a review
    expiring before its date is refused by the database's constraint and nothing is written."""
    first, second = make.teacher(), make.teacher()
    before = PoliticalReview.objects.count()

    def review(teacher, day, result=ReviewResult.PASSED, until=None):
        until = until or day.replace(year=day.year + 3)
        return PoliticalReview(teacher=teacher, date=day, result=result, valid_until=until)

    services.reviews_load(
        reviews=[
            review(first, dt.date(2023, 5, 1)),
            review(first, dt.date(2022, 5, 1), ReviewResult.FAILED),
            review(second, dt.date(2024, 2, 1), ReviewResult.FAILED),
        ],
        by=None,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.review_status, first.reviewed_on) == ("passed", dt.date(2023, 5, 1))
    assert (second.review_status, second.reviewed_on) == ("failed", dt.date(2024, 2, 1))
    assert PoliticalReview.objects.count() == before + 3
    bad = review(first, dt.date(2025, 1, 1), until=dt.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        services.reviews_load(reviews=[review(second, dt.date(2025, 3, 1)), bad], by=None)
    assert PoliticalReview.objects.count() == before + 3
    second.refresh_from_db()
    assert second.reviewed_on == dt.date(2024, 2, 1)
