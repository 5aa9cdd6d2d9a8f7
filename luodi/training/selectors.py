"""Reads shared by training's pages: the personal training archive (一人一档), every class a
cadre attended and the hours credited per year against the post's annual target."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from luodi.cadres.models import Cadre
from luodi.training.models import AttendanceStatus, Enrolment, Session, TrainingClass


@dataclass
class Archive:
    cadre: Cadre
    enrolments: list[Enrolment]
    hours_by_year: list[tuple[int, Decimal, int, bool | None]]  # year, hours, classes, target met
    annual_target: int | None
    attendance: Sequence[tuple[StrOrPromise, int]]  # (status label, sessions)
    total_hours: Decimal


def archive_years(years_trained, this_year: int) -> list[int]:
    """The years an archive lists, newest first: every year from the first one with training
    (or this year, for someone not yet trained) to this year or the last class planned, so that
    a year without training shows as such (below target), not as a gap."""
    first = min([*years_trained, this_year])
    last = max([*years_trained, this_year])
    return list(range(last, first - 1, -1))


def personal_archive(cadre: Cadre) -> Archive:
    enrolments = list(
        cadre.enrolments.select_related("training_class__class_type")
        .prefetch_related("certificates")
        .with_attendance()
        .order_by("-training_class__start_date")
    )
    hours: dict[int, Decimal] = defaultdict(Decimal)
    classes: dict[int, int] = defaultdict(int)
    for e in enrolments:
        # Only a completed result credits hours; a class not yet completed shows the hours
        # attended so far beside it, but they count for nothing until the class is completed.
        e.hours = e.credited_hours
        hours[e.training_class.year] += e.hours
        classes[e.training_class.year] += 1
    attendance = [
        (AttendanceStatus(s).label, sum(getattr(e, f"{s}_count") for e in enrolments))
        for s in AttendanceStatus.values
    ]
    target = settings.LUODI_ANNUAL_HOURS_TARGETS.get(cadre.post)
    return Archive(
        cadre=cadre,
        enrolments=enrolments,
        hours_by_year=[
            (y, hours[y], classes[y], None if target is None else hours[y] >= target)
            for y in archive_years(hours, timezone.localdate().year)
        ],
        annual_target=target,
        attendance=attendance,
        total_hours=sum(hours.values(), start=Decimal(0)),
    )


def class_roster(training_class: TrainingClass, user):
    """A class's roster as far as ``user`` reaches, with each trainee's hours and attendance
    counts, by city and name: the one reading of a roster that pages share."""
    return (
        Enrolment.objects.visible_to(user)
        .filter(training_class=training_class)
        .on_roster()
        .select_related("cadre__community__city")
        .with_attendance()
        .order_by("cadre__community__city__code", "cadre__name_pinyin")
    )


@dataclass
class AttendanceSummary:
    totals: list[tuple[StrOrPromise, int]]  # (status label, marks)
    rate: Decimal | None  # present or late, per cent of the marks recorded


def attendance_summary(sessions: Sequence[Session]) -> AttendanceSummary:
    """A class's attendance from its sessions annotated by ``with_attendance_counts``, with no
    further query."""
    totals = {
        status: sum(getattr(s, f"{status}_count") for s in sessions)
        for status in AttendanceStatus.values
    }
    recorded = sum(totals.values())
    attended = totals[AttendanceStatus.PRESENT] + totals[AttendanceStatus.LATE]
    return AttendanceSummary(
        totals=[(AttendanceStatus(s).label, n) for s, n in totals.items()],
        rate=round(Decimal(100 * attended) / recorded, 1) if recorded else None,
    )


def class_list(*, year: str = "", class_type: str = "", status: str = ""):
    """The class list with its filters (as given in the query string), newest first, with the
    roster counts: the one reading the list page and its export share."""
    return (
        TrainingClass.objects.select_related("class_type", "head_teacher")
        .with_counts()
        .filtered(year=year, class_type=class_type, status=status)
        .order_by("-start_date", "-id")
    )
