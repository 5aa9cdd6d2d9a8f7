"""The course catalogue: one reading of its rows (filters) for the page and its xlsx export
(``jobs.exports``), built in the request (a catalogue holds a few hundred courses)."""

from django.db.models import Count

from luodi.accounts.access import Perm
from luodi.curriculum.models import Course, CourseCategory, TeachingMethod
from luodi.jobs.exports import ListExport, register_list, said
from luodi.lib.documents.tables import Column, Kind
from luodi.lib.params import parse_id


def course_list(user, filters: dict[str, str], obj=None):
    """Courses with their teachers and sessions taught, by category, method and title."""
    courses = (
        Course.objects.select_related("category")
        .prefetch_related("teachers")
        .order_by("category__position", "title")
    )
    if q := filters.get("q", ""):
        courses = courses.filter(title__contains=q)
    if (category_id := parse_id(filters.get("category"))) is not None:
        courses = courses.filter(category_id=category_id)
    if (method := filters.get("method", "")) in TeachingMethod.values:
        courses = courses.filter(method=method)
    return courses


def course_extras(courses):
    """The course list's extra column: the sessions each course was taught in."""
    return courses.annotate(session_count=Count("sessions"))


def _describe(filters: dict[str, str], obj=None) -> str:
    category_id, method = parse_id(filters.get("category")), filters.get("method", "")
    category = CourseCategory.objects.filter(pk=category_id).first() if category_id else None
    return said(
        搜索=filters.get("q", ""),
        类别=category.name if category else "",
        教学方式=TeachingMethod(method).label if method in TeachingMethod.values else "",
    )


COURSES = register_list(
    ListExport(
        name="curriculum.course-list-xlsx",
        title=lambda obj: "课程目录",
        columns=[
            Column("课程", 36, lambda c: c.title),
            Column("类别", 16, lambda c: c.category.name),
            Column("教学方式", 12, lambda c: c.get_method_display()),
            Column("学时", 7, lambda c: c.default_hours, Kind.HOURS),
            Column("授课教师", 24, lambda c: "、".join(t.name for t in c.teachers.all())),
            Column("授课次数", 9, lambda c: c.session_count, Kind.NUMBER),
            Column("开设", 7, lambda c: "是" if c.is_active else "否"),
        ],
        rows=course_list,
        extras=course_extras,
        filters=("q", "category", "method"),
        describe=_describe,
        url_name="curriculum:course-list-xlsx",
        page_name="curriculum:course-list",
        perms=(Perm.VIEW_COURSES,),
    )
)
