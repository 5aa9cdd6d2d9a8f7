"""Reads shared by training's pages: the personal training archive (一人一档), every class a
cadre attended and the hours credited per year against the post's annual target."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone
from django_stubs_ext import StrOrPromise

from luodi.cadres.models import Cadre
from luodi.college.models import CollegeSettings
from luodi.lib.paging import grouped_window
from luodi.lib.params import parse_id
from luodi.training.ledger import external_hours_by_year
from luodi.training.models import (
    ApplicationStory,
    AttendanceStatus,
    Enrolment,
    ExternalTraining,
    Reflection,
    Session,
    TrainingClass,
)


class YearHours(NamedTuple):
    """A year of the hours ledger: the college's classes, training elsewhere, both."""

    year: int
    hours: Decimal  # college + external: what the target is measured against
    classes: int
    met: bool | None  # None: the post has no target
    college: Decimal
    external: Decimal


@dataclass(frozen=True)
class FiveYears:
    """The last five years of the ledger (this year and the four before) against the post's
    five-year target."""

    first: int
    last: int
    college: Decimal
    external: Decimal
    target: Decimal | None

    @property
    def hours(self) -> Decimal:
        return self.college + self.external

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.hours >= self.target


@dataclass
class Archive:
    cadre: Cadre
    enrolments: list[Enrolment]
    hours_by_year: list[YearHours]
    annual_target: Decimal | None
    attendance: Sequence[tuple[StrOrPromise, int]]  # (status label, sessions)
    total_hours: Decimal
    stories: list[ApplicationStory]
    external: list[ExternalTraining]  # declared, imported, decided or not
    five_years: FiveYears

    @property
    def college_hours(self) -> Decimal:
        return sum((y.college for y in self.hours_by_year), start=Decimal(0))

    @property
    def external_hours(self) -> Decimal:
        return sum((y.external for y in self.hours_by_year), start=Decimal(0))


def archive_years(years_trained, this_year: int) -> list[int]:
    """The years an archive lists, newest first: every year from the first one with training
    (or this year, for someone not yet trained) to this year or the last class planned, so that
    a year without training shows as such (below target), not as a gap."""
    first = min([*years_trained, this_year])
    last = max([*years_trained, this_year])
    return list(range(last, first - 1, -1))


def personal_archive(cadre: Cadre) -> Archive:
    enrolments = list(
        cadre.enrolments.select_related("training_class__class_type", "reflection")
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
        e.my_reflection = _reflection_of(e)
        hours[e.training_class.year] += e.hours
        classes[e.training_class.year] += 1
    attendance = [
        (AttendanceStatus(s).label, sum(getattr(e, f"{s}_count") for e in enrolments))
        for s in AttendanceStatus.values
    ]
    college = CollegeSettings.load()
    target = college.annual_targets().get(cadre.post)
    external = external_hours_by_year(cadre.pk)
    by_year = []
    for y in archive_years([*hours, *external], timezone.localdate().year):
        total = hours[y] + external.get(y, Decimal(0))
        met = None if target is None else total >= target
        by_year.append(YearHours(y, total, classes[y], met, hours[y], external.get(y, Decimal(0))))
    return Archive(
        cadre=cadre,
        enrolments=enrolments,
        hours_by_year=by_year,
        annual_target=target,
        attendance=attendance,
        total_hours=sum((y.hours for y in by_year), start=Decimal(0)),
        stories=list(cadre.stories.select_related("training_class", "course", "teacher", "case")),
        external=list(cadre.external_trainings.order_by("-end_date", "-id")),
        five_years=_five_years(by_year, college.five_year_targets().get(cadre.post)),
    )


def _five_years(by_year: list[YearHours], target: Decimal | None) -> FiveYears:
    last = timezone.localdate().year
    years = [y for y in by_year if last - 4 <= y.year <= last]
    return FiveYears(
        first=last - 4,
        last=last,
        college=sum((y.college for y in years), start=Decimal(0)),
        external=sum((y.external for y in years), start=Decimal(0)),
        target=target,
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
    """The class list with its filters (as given in the query string), newest first: the one
    reading the list page, its API and its export share. The roster counts are its extras
    (``class_list_extras``), computed for the rows shown only."""
    return (
        TrainingClass.objects.select_related("class_type", "head_teacher")
        .filtered(year=year, class_type=class_type, status=status)
        .order_by("-start_date", "-id")
    )


def class_list_extras(classes):
    """The class list's extra column: each class's roster count (``enrolled_count``)."""
    return classes.with_counts()


@dataclass
class ReflectionRow:
    enrolment: Enrolment
    reflection: Reflection | None

    @property
    def cadre(self) -> Cadre:
        return self.enrolment.cadre


def class_reflections(training_class: TrainingClass, user) -> list[ReflectionRow]:
    """Every trainee of a class's roster as far as ``user`` reaches, by city and name, with
    their reflection or None (not submitted): one query."""
    enrolments = (
        Enrolment.objects.visible_to(user)
        .filter(training_class=training_class)
        .on_roster()
        .select_related("cadre__community__city", "reflection")
        .order_by("cadre__community__city__code", "cadre__name_pinyin", "id")
    )
    return [ReflectionRow(e, _reflection_of(e)) for e in enrolments]


def _reflection_of(enrolment: Enrolment) -> Reflection | None:
    try:
        return enrolment.reflection
    except Reflection.DoesNotExist:
        return None


def booklet_reflections(training_class: TrainingClass) -> list[Reflection]:
    """The reflections of a class's booklet: those of everyone who took part, the outstanding
    ones first, then by city and name."""
    return list(
        Reflection.objects.filter(enrolment__in=training_class.enrolments.took_part().values("pk"))
        .select_related("enrolment__cadre__community__city")
        .order_by(
            "-outstanding",
            "enrolment__cadre__community__city__code",
            "enrolment__cadre__name_pinyin",
            "id",
        )
    )


def stories_of(user, filters: dict[str, str]):
    """The application stories ``user`` may read, with the list's filters (city, class,
    course; ids as in the query string), newest first: the one reading of the story list
    that its page and export share."""
    return (
        ApplicationStory.objects.visible_to(user)
        .filtered(
            city=parse_id(filters.get("city")),
            training_class=parse_id(filters.get("class")),
            course=parse_id(filters.get("course")),
        )
        .for_list()
    )


ENROLMENT_ORDER = ("-training_class__start_date", "training_class_id", "id")


def enrolment_window(enrolments, classes, start: int, stop: int) -> list[Enrolment]:
    """Rows ``start:stop`` of ``enrolments`` newest class first, then by class and id
    (``ENROLMENT_ORDER``), read class by class (``lib.paging.grouped_window``) from
    ``classes``, those the enrolments may belong to: a page costs the enrolments before it,
    not a sort of the table."""
    return grouped_window(
        enrolments,
        "training_class_id",
        classes.order_by("-start_date", "id"),
        ENROLMENT_ORDER,
        start,
        stop,
    )
