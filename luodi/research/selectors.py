"""Reads of research output shared by the pages and exports: the filtered lists and the
summary of counts by year, level, funder and teacher (a fixed number of queries, whatever
the number of rows)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django_stubs_ext import StrOrPromise

from luodi.faculty.models import Teacher
from luodi.lib import data_version
from luodi.lib.params import parse_id, parse_int
from luodi.research.models import (
    AdvisoryKind,
    AdvisoryWork,
    Level,
    Project,
    ProjectStatus,
    Publication,
    PublicationKind,
)


def _year(value: str | None) -> int | None:
    return parse_int(value, low=1900, high=2200)


def projects(filters: dict[str, str]):
    rows = Project.objects.for_list()
    if q := filters.get("q", ""):
        rows = rows.filter(title__contains=q)
    if (year := _year(filters.get("year"))) is not None:
        rows = rows.filter(start_date__year=year)
    if (level := filters.get("level", "")) in Level.values:
        rows = rows.filter(level=level)
    if (status := filters.get("status", "")) in ProjectStatus.values:
        rows = rows.filter(status=status)
    if funder := filters.get("funder", ""):
        rows = rows.filter(funder=funder)
    if (teacher := parse_id(filters.get("teacher"))) is not None:
        rows = rows.filter(pk__in=Project.objects.of_teacher(teacher).values("pk"))
    return rows


def publications(filters: dict[str, str]):
    rows = Publication.objects.for_list()
    if q := filters.get("q", ""):
        rows = rows.filter(Q(title__contains=q) | Q(venue__contains=q))
    if (year := _year(filters.get("year"))) is not None:
        rows = rows.filter(year=year)
    if (kind := filters.get("kind", "")) in PublicationKind.values:
        rows = rows.filter(kind=kind)
    if (teacher := parse_id(filters.get("teacher"))) is not None:
        rows = rows.filter(pk__in=Publication.objects.filter(authors=teacher).values("pk"))
    return rows


def advisory_works(filters: dict[str, str]):
    rows = AdvisoryWork.objects.for_list()
    if q := filters.get("q", ""):
        rows = rows.filter(Q(title__contains=q) | Q(client__contains=q))
    if (year := _year(filters.get("year"))) is not None:
        rows = rows.filter(date__year=year)
    if (kind := filters.get("kind", "")) in AdvisoryKind.values:
        rows = rows.filter(kind=kind)
    if (teacher := parse_id(filters.get("teacher"))) is not None:
        rows = rows.filter(pk__in=AdvisoryWork.objects.filter(teachers=teacher).values("pk"))
    return rows


@dataclass
class YearRow:
    year: int
    projects: int = 0
    publications: int = 0
    advisory: int = 0


@dataclass
class TeacherRow:
    teacher: Teacher
    projects: int = 0  # led or a member of
    led: int = 0
    publications: int = 0
    advisory: int = 0

    @property
    def total(self) -> int:
        return self.projects + self.publications + self.advisory


@dataclass
class Summary:
    by_year: list[YearRow] = field(default_factory=list)
    by_level: list[tuple[StrOrPromise, int]] = field(default_factory=list)  # (label, projects)
    by_funder: list[tuple[str, int]] = field(default_factory=list)  # most projects first
    by_teacher: list[TeacherRow] = field(default_factory=list)  # most output first


@data_version.figure
def summary() -> Summary:
    """Counts of the college's research output: per year (projects by the year they started,
    publications by the year they appeared, advisory work by its date), projects per level
    and per funder, and per teacher their projects (led or joined, each counted once),
    publications and advisory work. Nine queries, over all of the output: kept per data
    version (research output and its links are counted records; ``check_figures`` compares
    it with the records)."""
    years: dict[int, YearRow] = {}

    def add(rows, attr: str) -> None:
        for row in rows:
            setattr(years.setdefault(row["y"], YearRow(row["y"])), attr, row["n"])

    # ``order_by()``: the models' default ordering would split the groups.
    for model, date_field, attr in (
        (Project, "start_date", "projects"),
        (Publication, "published_on", "publications"),
        (AdvisoryWork, "date", "advisory"),
    ):
        per_year = model.objects.values(y=ExtractYear(date_field)).annotate(n=Count("id"))
        add(per_year.order_by(), attr)

    levels = dict(Project.objects.values_list("level").annotate(n=Count("id")).order_by())
    by_level: list[tuple[StrOrPromise, int]] = [  # kept per language: the label as text
        (str(label), levels.get(value, 0)) for value, label in Level.choices
    ]
    funders = Project.objects.values_list("funder").annotate(n=Count("id")).order_by("-n", "funder")

    # A teacher's projects: those they lead and those they are a member of, once each.
    teams: dict[int, set[int]] = defaultdict(set)
    led: Counter[int] = Counter()
    for project_id, teacher_id in Project.objects.order_by().values_list("pk", "principal_id"):
        teams[teacher_id].add(project_id)
        led[teacher_id] += 1
    for project_id, teacher_id in Project.members.through.objects.values_list(
        "project_id", "teacher_id"
    ):
        teams[teacher_id].add(project_id)
    written = dict(
        Publication.authors.through.objects.values_list("teacher_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    advised = dict(
        AdvisoryWork.teachers.through.objects.values_list("teacher_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    ids = set(teams) | set(written) | set(advised)
    by_teacher = [
        TeacherRow(
            teacher=teacher,
            projects=len(teams.get(teacher.pk, ())),
            led=led[teacher.pk],
            publications=written.get(teacher.pk, 0),
            advisory=advised.get(teacher.pk, 0),
        )
        # Only what the table shows: a whole teacher would decrypt their phone and bank
        # numbers, for each of a province's hundreds of teachers.
        for teacher in Teacher.objects.filter(pk__in=ids).only("pk", "name", "name_pinyin")
    ]
    by_teacher.sort(key=lambda r: (-r.total, r.teacher.name_pinyin, r.teacher.pk))
    return Summary(
        by_year=sorted(years.values(), key=lambda r: -r.year),
        by_level=by_level,
        by_funder=list(funders),
        by_teacher=by_teacher,
    )


def teacher_output(teacher: Teacher) -> dict:
    """One teacher's research output, for their page (``research/_teacher_output.html``)."""
    return {
        "projects": Project.objects.of_teacher(teacher.pk).order_by("-start_date"),
        "publications": teacher.publications.order_by("-published_on"),
        "advisory": teacher.advisory_works.order_by("-date"),
        "cases": teacher.cases.order_by("title"),
    }
