"""Reads of the faculty pool that the teacher page, the honoraria report and its export share.

Sessions (training) and evaluations (surveys) sit above faculty, so these read them through
reverse relations (``teacher.sessions``, ``session.evaluation``) without importing them.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Sum

from luodi.faculty.models import HonorariumRate, Teacher

# ``surveys.models.Purpose.EVALUATION`` and ``surveys.blueprints.RUBRIC`` (a test checks they
# are the same): the 5 × 20-point rubric of a session's evaluation.
EVALUATION = "evaluation"
RUBRIC = "rubric"


@dataclass(frozen=True)
class TermRating:
    year: int
    term: int
    responses: int
    mean: float  # mean rubric total, 0–100


def ratings_by_term(teacher: Teacher) -> list[TermRating]:
    """The teacher's mean rubric total per class year and term, oldest first: the same
    measure as ``surveys.ratings.teacher_ratings`` (points over responses), in one query.
    Only totals: no trainee's answer shows, and a term with fewer than
    ``LUODI_SURVEY_MIN_RESPONSES`` responses is withheld, as on the surveys' results and the
    teacher's own ratings page, so that no single trainee's scores can be read off it."""
    answers = "evaluation__questions__answers"
    rows = (
        teacher.sessions.filter(
            evaluation__purpose=EVALUATION,
            evaluation__questions__role=RUBRIC,
            **{f"{answers}__value__isnull": False},
        )
        .values("training_class__year", "training_class__term")
        .annotate(
            points=Sum(f"{answers}__value"),
            responses=Count(f"{answers}__response", distinct=True),
        )
        .order_by("training_class__year", "training_class__term")
    )
    return [
        TermRating(
            year=r["training_class__year"],
            term=r["training_class__term"],
            responses=r["responses"],
            mean=round(r["points"] / r["responses"], 1),
        )
        for r in rows
        if r["responses"] >= settings.LUODI_SURVEY_MIN_RESPONSES
    ]


def hours_by_year(teacher: Teacher):
    return (
        teacher.sessions.values("training_class__year")
        .annotate(
            sessions=Count("id"), hours=Sum("hours"), classes=Count("training_class", distinct=True)
        )
        .order_by("-training_class__year")
    )


# ---- Honoraria (课酬) ---------------------------------------------------------------------


def rate_table() -> dict[tuple[str, str], Decimal]:
    """(kind, title band) → yuan per teaching hour."""
    return {(r.kind, r.title_band): r.per_hour for r in HonorariumRate.objects.all()}


def rate_table_rows() -> list[HonorariumRate]:
    return list(HonorariumRate.objects.order_by("kind", "title_band"))


@dataclass
class HonorariumLine:
    """One session of a month's honorarium: its hours at the teacher's rate."""

    date: dt.date
    course: str
    training_class: str
    hours: Decimal
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        return session_pay(self.hours, self.rate)


def session_pay(hours: Decimal, rate: Decimal) -> Decimal:
    """One session's honorarium, to the fen: a month's is the sum of its sessions'."""
    return (hours * rate).quantize(Decimal("0.01"))


@dataclass
class Honorarium:
    """A teacher's honorarium for one month: their sessions, hours × the rate of their kind
    and title band (``HonorariumRate``; none on the table pays 0)."""

    teacher: Teacher
    rate: Decimal
    lines: list[HonorariumLine] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((line.hours for line in self.lines), Decimal(0))

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


@dataclass
class HonorariumTotal:
    """A teacher's month in one row: sessions, hours and honorarium, the sessions not read."""

    teacher: Teacher
    rate: Decimal
    sessions: int
    hours: Decimal
    amount: Decimal


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def honoraria(year: int, month: int, *, teacher_id: int | None = None) -> list[Honorarium]:
    """Every teacher's honorarium for the sessions dated in the month (those taught, and those
    still to come in it), by teacher name: three queries."""
    first, last = month_bounds(year, month)
    rates = rate_table()
    teachers = Teacher.objects.filter(sessions__date__range=(first, last)).distinct()
    if teacher_id:
        teachers = teachers.filter(pk=teacher_id)
    result: dict[int, Honorarium] = {}
    for teacher in teachers.order_by("name_pinyin", "id"):
        rate = rates.get((teacher.kind, teacher.title_band), Decimal(0))
        result[teacher.pk] = Honorarium(teacher=teacher, rate=rate)
    session_model: Any = Teacher._meta.get_field("sessions").related_model  # training.Session
    sessions = (
        session_model._default_manager.filter(
            teacher_id__in=list(result), date__range=(first, last)
        )
        .select_related("course", "training_class__class_type")
        .order_by("date", "start_time", "id")
    )
    for s in sessions:
        pay = result[s.teacher_id]
        pay.lines.append(
            HonorariumLine(
                date=s.date,
                course=s.course.title,
                training_class=s.training_class.title,
                hours=s.hours,
                rate=pay.rate,
            )
        )
    return list(result.values())


def honorarium_totals(year: int, month: int) -> list[HonorariumTotal]:
    """Every teacher's total for the month, by name (the month page's table; ``honoraria``
    has the sessions): the amounts are the sessions' ``session_pay`` added up, as there. Two
    queries; each session is read as a pair of numbers, no instances."""
    first, last = month_bounds(year, month)
    rates = rate_table()
    session_model: Any = Teacher._meta.get_field("sessions").related_model  # training.Session
    hours_of: dict[int, list[Decimal]] = defaultdict(list)
    for teacher_id, hours in session_model._default_manager.filter(
        date__range=(first, last), teacher__isnull=False
    ).values_list("teacher_id", "hours"):
        hours_of[teacher_id].append(hours)
    teachers = (
        Teacher.objects.filter(pk__in=list(hours_of))
        .only("pk", "name", "name_pinyin", "kind", "title_band")
        .order_by("name_pinyin", "id")
    )
    totals = []
    for teacher in teachers:
        rate = rates.get((teacher.kind, teacher.title_band), Decimal(0))
        hours = hours_of[teacher.pk]
        totals.append(
            HonorariumTotal(
                teacher=teacher,
                rate=rate,
                sessions=len(hours),
                hours=sum(hours, Decimal(0)),
                amount=sum((session_pay(h, rate) for h in hours), Decimal(0)),
            )
        )
    return totals
