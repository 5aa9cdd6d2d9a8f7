"""Writes to the faculty pool: teachers, their political reviews and availability, the
honorarium rates. Each takes the acting user (``by``) and leaves an audit record.

``Teacher.review_status``/``reviewed_on`` are the latest review, kept here only
(``review_record``); who may teach on a day is ``Teacher.objects.cleared_on(day)``.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from luodi.accounts.models import User
from luodi.faculty.models import (
    HonorariumRate,
    PoliticalReview,
    ReviewResult,
    ReviewStatus,
    Teacher,
    Unavailability,
)
from luodi.lib import audit


def valid_until_for(day: dt.date, years: int | None = None) -> dt.date:
    """The last day a pass given on ``day`` holds: ``LUODI_REVIEW_VALID_YEARS`` later, less
    a day (29 February falls back to the 28th)."""
    years = settings.LUODI_REVIEW_VALID_YEARS if years is None else years
    try:
        end = day.replace(year=day.year + years)
    except ValueError:
        end = day.replace(year=day.year + years, day=28)
    return end - dt.timedelta(days=1)


def _refresh_latest(teacher: Teacher) -> None:
    """Copy the latest review onto the teacher (the denormalised ``review_status``)."""
    latest = teacher.reviews.order_by("-date", "-id").first()
    teacher.review_status = latest.result if latest else ReviewStatus.PENDING
    teacher.reviewed_on = latest.date if latest else None
    teacher.save(update_fields=["review_status", "reviewed_on", "updated_at"])


@transaction.atomic
def review_record(
    *,
    teacher: Teacher,
    date: dt.date,
    result: str,
    by: User | None,
    reviewer: str = "",
    valid_until: dt.date | None = None,
    note: str = "",
) -> PoliticalReview:
    """Record a political review of ``teacher``; a pass holds ``LUODI_REVIEW_VALID_YEARS``
    unless ``valid_until`` says otherwise (a failure's validity is its own date)."""
    if valid_until is None:
        valid_until = valid_until_for(date) if result == ReviewResult.PASSED else date
    review = PoliticalReview(
        teacher=teacher,
        date=date,
        result=result,
        reviewer=reviewer,
        valid_until=valid_until,
        note=note,
    )
    review.full_clean()
    review.save()
    _refresh_latest(teacher)
    audit.record(
        "teacher.review",
        by=by,
        obj=teacher,
        date=date.isoformat(),
        result=result,
        valid_until=valid_until.isoformat(),
    )
    return review


# The fields a teacher's form edits (the review fields are the reviews').
EDITABLE = (
    "name",
    "kind",
    "source_unit",
    "title",
    "title_band",
    "phone",
    "bio",
    "bank_name",
    "bank_account",
    "unavailable_weekdays",
    "max_sessions_per_day",
)


@transaction.atomic
def teacher_save(
    *, teacher: Teacher, by: User | None, expertise=None, changed: list[str] | None = None
) -> Teacher:
    """Create or change a teacher (and set their expertise tags, if given). Private fields
    are named in the audit record, never their values."""
    created = teacher.pk is None
    teacher.unavailable_weekdays = sorted({int(d) for d in teacher.unavailable_weekdays or []})
    teacher.full_clean()
    teacher.save()
    if expertise is not None:
        teacher.expertise.set(expertise)
    audit.record(
        "teacher.created" if created else "teacher.changed",
        by=by,
        obj=teacher,
        fields=",".join(changed or ()),
    )
    return teacher


@transaction.atomic
def unavailability_add(
    *, teacher: Teacher, start: dt.date, end: dt.date, by: User | None, reason: str = ""
) -> Unavailability:
    away = Unavailability(teacher=teacher, start=start, end=end, reason=reason)
    away.full_clean()
    away.save()
    audit.record(
        "teacher.unavailable", by=by, obj=teacher, start=start.isoformat(), end=end.isoformat()
    )
    return away


@transaction.atomic
def unavailability_remove(*, unavailability: Unavailability, by: User | None) -> None:
    audit.record(
        "teacher.unavailable_removed",
        by=by,
        obj=unavailability.teacher,
        start=unavailability.start.isoformat(),
        end=unavailability.end.isoformat(),
    )
    unavailability.delete()


@transaction.atomic
def rate_set(*, title_band: str, kind: str, per_hour: Decimal, by: User | None) -> HonorariumRate:
    rate, _created = HonorariumRate.objects.get_or_create(title_band=title_band, kind=kind)
    before = rate.per_hour
    rate.per_hour = per_hour
    rate.full_clean()
    rate.save()
    audit.record(
        "honorarium.rate",
        by=by,
        obj=rate,
        before=str(before),
        after=str(per_hour),
    )
    return rate


@transaction.atomic
def reviews_load(*, reviews: list[PoliticalReview], by: User | None) -> None:
    """Record many reviews at once (the demo's history, a migration of records): one insert,
    then each teacher's latest review copied onto them, as ``review_record`` does one by one."""
    for review in reviews:
        # The fields; the constraint (valid after the date) is the database's, checked by the
        # one INSERT below: asking it here took a query per review.
        review.full_clean(exclude=["teacher"], validate_constraints=False)
    PoliticalReview.objects.bulk_create(reviews, batch_size=500)
    latest: dict[int, PoliticalReview] = {}
    for review in sorted(reviews, key=lambda r: r.date):
        latest[review.teacher_id] = review
    teachers = list(Teacher.objects.filter(pk__in=latest))
    for teacher in teachers:
        teacher.review_status = latest[teacher.pk].result
        teacher.reviewed_on = latest[teacher.pk].date
    Teacher.objects.bulk_update(teachers, ["review_status", "reviewed_on"], batch_size=500)
    audit.record("teacher.reviews_loaded", by=by, reviews=len(reviews), teachers=len(teachers))
