"""The faculty pool: one reading of its rows (filters) for the page and its xlsx export
(``jobs.exports``), built in the request (a college has a few hundred teachers)."""

from django.db.models import Count, Q

from luodi.accounts.access import Perm
from luodi.faculty.models import ReviewStatus, Teacher, TeacherKind
from luodi.jobs.exports import ListExport, register_list, said
from luodi.lib.documents.tables import Column, Kind


def teacher_list(user, filters: dict[str, str], obj=None):
    """Teachers with their expertise and sessions taught, searched by name, unit or tag."""
    teachers = (
        Teacher.objects.prefetch_related("expertise")
        .annotate(session_count=Count("sessions"))
        .order_by("name_pinyin", "id")
    )
    if q := filters.get("q", ""):
        # A subquery, not a join, so that the session counts are not multiplied by tags.
        tagged = Teacher.objects.filter(expertise__name__contains=q).values("pk")
        teachers = teachers.filter(
            Q(name__contains=q) | Q(source_unit__contains=q) | Q(pk__in=tagged)
        )
    if (kind := filters.get("kind", "")) in TeacherKind.values:
        teachers = teachers.filter(kind=kind)
    if (review := filters.get("review", "")) in ReviewStatus.values:
        teachers = teachers.filter(review_status=review)
    return teachers


def _describe(filters: dict[str, str], obj=None) -> str:
    kind, review = filters.get("kind", ""), filters.get("review", "")
    return said(
        搜索=filters.get("q", ""),
        类别=TeacherKind(kind).label if kind in TeacherKind.values else "",
        政审=ReviewStatus(review).label if review in ReviewStatus.values else "",
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
            Column("政审", 10, lambda t: t.get_review_status_display()),
            Column("授课次数", 9, lambda t: t.session_count, Kind.NUMBER),
        ],
        rows=teacher_list,
        filters=("q", "kind", "review"),
        describe=_describe,
        url_name="faculty:teacher-list-xlsx",
        page_name="faculty:teacher-list",
        perms=(Perm.VIEW_FACULTY,),
    )
)
