"""The faculty pool: one reading of its rows (filters) for the page and its xlsx export
(``jobs.exports``), built in the request (a college has a few hundred teachers)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from luodi.accounts.access import Perm
from luodi.faculty.models import ExpertiseTag, PoliticalReview, ReviewStatus, Teacher, TeacherKind
from luodi.faculty.selectors import Honorarium, honoraria
from luodi.jobs.exports import ListExport, register_list, said
from luodi.lib.documents.tables import Column, Kind

CLEARED = {"yes": True, "no": False}  # the ``cleared`` filter: by political review, today


def search(teachers, q: str):
    """Teachers whose name, unit, title, biography, expertise or courses taught mention ``q``
    ("who can teach community law?"). Subqueries, not joins, so that counts are not
    multiplied by tags or courses."""
    if not q:
        return teachers
    tagged = Teacher.objects.filter(expertise__name__contains=q).values("pk")
    teaching = Teacher.objects.filter(courses__title__contains=q).values("pk")
    return teachers.filter(
        Q(name__contains=q)
        | Q(source_unit__contains=q)
        | Q(title__contains=q)
        | Q(bio__contains=q)
        | Q(pk__in=tagged)
        | Q(pk__in=teaching)
    )


def teacher_list(user, filters: dict[str, str], obj=None):
    """Teachers with their expertise, sessions taught and whether cleared today, searched by
    name, unit, title, biography, expertise or course, and filtered by tag, kind, review;
    the figures are the list's extras (``teacher_extras``)."""
    teachers = (
        Teacher.objects.visible_to(user).prefetch_related("expertise").order_by("name_pinyin", "id")
    )
    teachers = search(teachers, filters.get("q", ""))
    if (tag := filters.get("tag", "")).isdigit():
        teachers = teachers.filter(pk__in=Teacher.objects.filter(expertise=int(tag)).values("pk"))
    if (kind := filters.get("kind", "")) in TeacherKind.values:
        teachers = teachers.filter(kind=kind)
    if (review := filters.get("review", "")) in ReviewStatus.values:
        teachers = teachers.filter(review_status=review)
    if (wanted := filters.get("cleared", "")) in CLEARED:
        cleared_today = Exists(_cleared_today())
        teachers = teachers.filter(cleared_today if CLEARED[wanted] else ~cleared_today)
    return teachers


def _cleared_today():
    """The political reviews that clear the outer teacher for today."""
    return PoliticalReview.objects.covering(timezone.localdate()).filter(teacher=OuterRef("pk"))


def teacher_extras(teachers):
    """The teacher list's extra columns: sessions taught and whether cleared today."""
    return teachers.annotate(
        session_count=Count("sessions"), cleared_today=Exists(_cleared_today())
    )


def _describe(filters: dict[str, str], obj=None) -> str:
    kind, review = filters.get("kind", ""), filters.get("review", "")
    tag = filters.get("tag", "")
    tags = (
        ExpertiseTag.objects.filter(pk=int(tag)) if tag.isdigit() else ExpertiseTag.objects.none()
    )
    return said(
        搜索=filters.get("q", ""),
        专长=tags.values_list("name", flat=True).first() or "",
        类别=TeacherKind(kind).label if kind in TeacherKind.values else "",
        政审=ReviewStatus(review).label if review in ReviewStatus.values else "",
        今日可排课={"yes": "是", "no": "否"}.get(filters.get("cleared", ""), ""),
    )


TEACHERS = register_list(
    ListExport(
        name="faculty.teacher-list-xlsx",
        title=lambda obj: "师资库名单",
        columns=[
            Column("姓名", 10, lambda t: t.name),
            Column("类别", 10, lambda t: t.get_kind_display()),
            Column("来源单位", 24, lambda t: t.source_unit),
            Column("职称", 14, lambda t: t.title),
            Column("专长", 30, lambda t: "、".join(tag.name for tag in t.expertise.all())),
            Column("最近政审", 10, lambda t: t.get_review_status_display()),
            Column("今日可排课", 10, lambda t: "是" if t.cleared_today else "否"),
            Column("授课次数", 9, lambda t: t.session_count, Kind.NUMBER),
        ],
        rows=teacher_list,
        extras=teacher_extras,
        filters=("q", "tag", "kind", "review", "cleared"),
        describe=_describe,
        url_name="faculty:teacher-list-xlsx",
        page_name="faculty:teacher-list",
        perms=(Perm.VIEW_FACULTY,),
    )
)


# ---- Honoraria (课酬) by month: the page and its workbook read the same rows ---------------


@dataclass(frozen=True)
class PayRow:
    """One line of the honoraria workbook: a session, or a teacher's total (``date`` None)."""

    name: str
    kind: str
    band: str
    date: dt.date | None
    course: str
    training_class: str
    hours: Decimal
    rate: Decimal
    amount: Decimal


def month_of(filters: dict[str, str]) -> tuple[int, int]:
    """The ``month`` filter (YYYY-MM), this month if absent or malformed."""
    value = filters.get("month", "")
    if len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit():
        year, month = int(value[:4]), int(value[5:])
        if 1 <= month <= 12 and year >= 2000:
            return year, month
    today = timezone.localdate()
    return today.year, today.month


def month_honoraria(user, filters: dict[str, str], obj=None) -> list[Honorarium]:
    year, month = month_of(filters)
    teacher = filters.get("teacher", "")
    return honoraria(year, month, teacher_id=int(teacher) if teacher.isdigit() else None)


def pay_rows(user, filters: dict[str, str], obj=None) -> list[PayRow]:
    rows = []
    for pay in month_honoraria(user, filters, obj):
        t = pay.teacher
        who = (t.name, t.get_kind_display(), t.get_title_band_display())
        for line in pay.lines:
            rows.append(
                PayRow(
                    *who,
                    line.date,
                    line.course,
                    line.training_class,
                    line.hours,
                    line.rate,
                    line.amount,
                )
            )
        rows.append(PayRow(*who, None, "小计", "", pay.hours, pay.rate, pay.amount))
    return rows


def _describe_month(filters: dict[str, str], obj=None) -> str:
    year, month = month_of(filters)
    return said(月份=f"{year}年{month}月")


HONORARIA = register_list(
    ListExport(
        name="faculty.honoraria-xlsx",
        title=lambda obj: "授课课酬",
        columns=[
            Column("姓名", 10, lambda r: r.name),
            Column("类别", 8, lambda r: r.kind),
            Column("职称档次", 16, lambda r: r.band),
            Column("日期", 11, lambda r: r.date, Kind.DATE),
            Column("课程", 24, lambda r: r.course),
            Column("班次", 28, lambda r: r.training_class),
            Column("学时", 8, lambda r: r.hours, Kind.HOURS),
            Column("标准（元/学时）", 12, lambda r: r.rate, Kind.HOURS),
            Column("金额（元）", 12, lambda r: r.amount, Kind.HOURS),
        ],
        rows=pay_rows,
        filters=("month", "teacher"),
        describe=_describe_month,
        url_name="faculty:honoraria-xlsx",
        page_name="faculty:honoraria",
        perms=(Perm.MANAGE_RECORDS,),
    )
)
