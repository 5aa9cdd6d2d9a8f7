"""Drafts from the records: a new 5-day class built in one go, pins kept when solving again,
acceptance through the timetable's own checks, and an impossible request explained."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from luodi.audit.models import AuditEvent
from luodi.curriculum.models import TeachingMethod
from luodi.faculty.models import Unavailability
from luodi.timetabling import problem, services, solver
from luodi.timetabling.models import Draft, DraftStatus
from luodi.training.models import ClassStatus, Session

pytestmark = pytest.mark.django_db


def next_monday(weeks=8):
    today = timezone.localdate()
    return today + dt.timedelta(days=7 * weeks - today.weekday())


@pytest.fixture
def new_class(college, make):
    start = next_monday()
    return make.training_class(
        college.class_type,
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        status=ClassStatus.PLANNED,
    )


@pytest.fixture
def wanted(college, make):
    """Ten 3-hour sessions: an opening, a closing, a field visit and seven courses taught by
    four teachers, one of whom is away on the class's first two days."""
    t = [make.teacher(name=f"教师{n}") for n in range(4)]
    opening = make.course(college.category, title="开班第一课")
    closing = make.course(college.category, title="结业座谈", method=TeachingMethod.DISCUSSION)
    visit = make.course(college.category, title="现场教学", method=TeachingMethod.ON_SITE)
    lectures = [make.course(college.category, title=f"专题{n}") for n in range(7)]
    return [
        services.Wanted(course=opening, teacher=t[0]),
        *[services.Wanted(course=c, teacher=t[n % 4]) for n, c in enumerate(lectures)],
        services.Wanted(course=visit, teacher=t[1], field_site=college.site),
        services.Wanted(course=closing, teacher=t[0]),
    ], t


def solve(new_class, wanted, users, **options):
    items = services.items_from_courses(new_class, wanted)
    return services.draft_create(classes=[new_class], items=items, by=users["staff"], **options)


def test_one_click_pin_two_resolve_and_accept(
    new_class, wanted, users, django_capture_on_commit_callbacks
):
    wanted, teachers = wanted
    away = Unavailability.objects.create(
        teacher=teachers[3], start=new_class.start_date, end=new_class.start_date + dt.timedelta(1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        draft = solve(new_class, wanted, users)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PROPOSED, draft.reasons
    by_item = {i["key"]: i for i in draft.items()}
    at = {by_item[p["item"]]["title"]: p for p in draft.proposal}
    assert len(draft.proposal) == 10
    assert (at["开班第一课"]["day"], at["开班第一课"]["slot"]) == (
        new_class.start_date.isoformat(),
        "morning",
    )
    assert (at["结业座谈"]["day"], at["结业座谈"]["slot"]) == (
        new_class.end_date.isoformat(),
        "afternoon",
    )
    assert at["现场教学"]["day"] not in (
        new_class.start_date.isoformat(),
        new_class.end_date.isoformat(),
    )
    for p in draft.proposal:  # the absent teacher teaches from the third day only
        if p["teacher"] == teachers[3].pk:
            assert dt.date.fromisoformat(p["day"]) > away.end
    # Pin two sessions where the solver put them, solve again: they stay.
    pinned = [p["item"] for p in draft.proposal[1:3]]
    before = {p["item"]: (p["day"], p["slot"]) for p in draft.proposal}
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_resolve(draft=draft, pinned=pinned, by=users["staff"])
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PROPOSED
    after = {p["item"]: (p["day"], p["slot"]) for p in draft.proposal}
    assert all(after[k] == before[k] for k in pinned)
    assert [p["item"] for p in draft.pins] == pinned
    # Accept: the sessions are saved through the timetable's checks and audited.
    sessions = services.draft_accept(draft=draft, by=users["staff"])
    assert len(sessions) == 10
    stored = Session.objects.filter(training_class=new_class)
    assert stored.count() == 10
    assert sum(s.hours for s in stored) == Decimal(30)
    assert stored.get(course__title="现场教学").field_site is not None
    assert stored.get(course__title="现场教学").venue == ""
    assert AuditEvent.objects.filter(event="timetable_draft.accept").count() == 1
    assert AuditEvent.objects.filter(event="session.save").count() == 10
    draft.refresh_from_db()
    assert draft.status == DraftStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.draft_accept(draft=draft, by=users["staff"])


def test_infeasible_request_names_teacher_day_and_rule(
    new_class, wanted, users, make, college, django_capture_on_commit_callbacks
):
    wanted, teachers = wanted
    # teacher 0 teaches the opening, two lectures and the closing (4 sessions): away four of
    # the five days, and at most one session a day.
    Unavailability.objects.create(
        teacher=teachers[0],
        start=new_class.start_date,
        end=new_class.start_date + dt.timedelta(3),
        reason="出差",
    )
    with django_capture_on_commit_callbacks(execute=True):
        draft = solve(new_class, wanted, users)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.INFEASIBLE
    assert draft.reasons
    assert all("教师0" in why for why in draft.reasons), draft.reasons
    assert not Session.objects.filter(training_class=new_class).exists()


def test_another_class_booking_is_respected(
    new_class, wanted, users, make, college, django_capture_on_commit_callbacks
):
    wanted, teachers = wanted
    other = make.training_class(
        college.class_type,
        start_date=new_class.start_date,
        end_date=new_class.end_date,
        status=ClassStatus.PLANNED,
    )
    for day in range(5):
        make.session(other, college.course, teachers[2], day=day)  # every morning
    with django_capture_on_commit_callbacks(execute=True):
        draft = solve(new_class, wanted, users)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PROPOSED, draft.reasons
    assert all(p["slot"] == "afternoon" for p in draft.proposal if p["teacher"] == teachers[2].pk)
    assert services.draft_accept(draft=draft, by=users["staff"])


def test_a_statutory_holiday_is_left_out_unless_allowed(college, make, users):
    """Built and solved without the job (the calendar knows holidays up to 2026 only, and a
    draft is for a class still to start): National Day 2026 in a 3-day class. Either holiday
    alone leaves enough slots, so both are named."""
    start = dt.date(2026, 9, 30)
    tc = make.training_class(college.class_type, start_date=start, end_date=start + dt.timedelta(2))
    t = [make.teacher() for _ in range(3)]
    wanted = [services.Wanted(course=make.course(college.category), teacher=x) for x in t]
    items = services.items_from_courses(tc, wanted)
    draft = Draft.objects.create(spec={"items": items, "hours": {}}, language="en")
    draft.classes.set([tc])
    result = solver.solve(problem.build(draft), seconds=5)
    assert result.status == "infeasible"  # 3 sessions, 2 slots left around National Day
    assert sorted(result.reasons) == [
        "2026-10-01 is a statutory holiday (National Day).",
        "2026-10-02 is a statutory holiday (National Day).",
    ]
    draft.allow_holidays = True
    result = solver.solve(problem.build(draft), seconds=5)
    assert result.status in ("optimal", "solved")
    assert dt.date(2026, 10, 1) in {p.day for p in result.placements}


def test_a_started_class_is_refused(college, make, users):
    tc = make.training_class(college.class_type)  # held in 2024
    items = services.items_from_courses(tc, [services.Wanted(course=college.course)])
    with pytest.raises(ValidationError, match="has started"):
        services.draft_create(classes=[tc], items=items, by=users["staff"])


def test_plan_reasons_before_solving(
    new_class, college, make, users, django_capture_on_commit_callbacks
):
    case_course = make.course(
        college.category, title="无案例的案例课", method=TeachingMethod.CASE_ANALYSIS
    )
    site_course = make.course(
        college.category, title="无教学点的现场课", method=TeachingMethod.ON_SITE
    )
    wanted = [services.Wanted(course=case_course), services.Wanted(course=site_course)]
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_create(
            classes=[new_class],
            items=services.items_from_courses(new_class, wanted),
            by=users["staff"],
            hours={new_class.pk: Decimal(30)},
        )
    draft.refresh_from_db()
    assert draft.status == DraftStatus.INFEASIBLE
    assert len(draft.reasons) == 3
    assert "无案例的案例课" in draft.reasons[0]
    assert "无教学点的现场课" in draft.reasons[1]
    assert "30" in draft.reasons[2]
    assert "6" in draft.reasons[2]
