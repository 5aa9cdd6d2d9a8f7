"""Research output lists: one reading of their rows (``selectors``) for the pages and their
xlsx exports (``jobs.exports``), built in the request (a college records a few hundred)."""

from luodi.accounts.access import Perm
from luodi.faculty.models import Teacher
from luodi.jobs.exports import ListExport, register_list, said
from luodi.lib.documents.tables import Column, Kind
from luodi.lib.params import parse_id
from luodi.research import selectors
from luodi.research.models import AdvisoryKind, Level, ProjectStatus, PublicationKind


def _teacher_name(filters: dict[str, str]) -> str:
    teacher_id = parse_id(filters.get("teacher"))
    teacher = Teacher.objects.filter(pk=teacher_id).first() if teacher_id else None
    return teacher.name if teacher else ""


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else ""


def _names(teachers) -> str:
    return "、".join(t.name for t in teachers)


def _titles(courses) -> str:
    return "、".join(c.title for c in courses)


# The rows of each list: the same for every user who may read it (VIEW_FACULTY).
def _projects(user, filters: dict[str, str], obj=None):
    return selectors.projects(filters)


def _publications(user, filters: dict[str, str], obj=None):
    return selectors.publications(filters)


def _advisory_works(user, filters: dict[str, str], obj=None):
    return selectors.advisory_works(filters)


def _describe_projects(filters: dict[str, str], obj=None) -> str:
    return said(
        搜索=filters.get("q", ""),
        年度=filters.get("year", ""),
        级别=_label(Level, filters.get("level", "")),
        来源=filters.get("funder", ""),
        状态=_label(ProjectStatus, filters.get("status", "")),
        教师=_teacher_name(filters),
    )


def _describe_kind(choices):
    def describe(filters: dict[str, str], obj=None) -> str:
        return said(
            搜索=filters.get("q", ""),
            年度=filters.get("year", ""),
            类别=_label(choices, filters.get("kind", "")),
            教师=_teacher_name(filters),
        )

    return describe


PROJECTS = register_list(
    ListExport(
        name="research.project-list-xlsx",
        title=lambda obj: "科研项目",
        columns=[
            Column("项目名称", 40, lambda p: p.title),
            Column("项目来源", 18, lambda p: p.funder),
            Column("级别", 8, lambda p: p.get_level_display()),
            Column("负责人", 10, lambda p: p.principal.name),
            Column("成员", 24, lambda p: _names(p.members.all())),
            Column("开始", 11, lambda p: p.start_date, Kind.DATE),
            Column("结束", 11, lambda p: p.end_date, Kind.DATE),
            Column("状态", 8, lambda p: p.get_status_display()),
            Column("经费（万元）", 10, lambda p: p.budget, Kind.NUMBER),
            Column("服务课程", 30, lambda p: _titles(p.courses.all())),
        ],
        rows=_projects,
        filters=("q", "year", "level", "funder", "status", "teacher"),
        describe=_describe_projects,
        url_name="research:project-list-xlsx",
        page_name="research:project-list",
        perms=(Perm.VIEW_FACULTY,),
    )
)

PUBLICATIONS = register_list(
    ListExport(
        name="research.publication-list-xlsx",
        title=lambda obj: "论文著作",
        columns=[
            Column("题目", 40, lambda p: p.title),
            Column("作者", 24, lambda p: p.author_names()),
            Column("发表载体", 18, lambda p: p.venue),
            Column("类别", 10, lambda p: p.get_kind_display()),
            Column("日期", 11, lambda p: p.published_on, Kind.DATE),
            Column("链接", 30, lambda p: p.link),
            Column("服务课程", 30, lambda p: _titles(p.courses.all())),
        ],
        rows=_publications,
        filters=("q", "year", "kind", "teacher"),
        describe=_describe_kind(PublicationKind),
        url_name="research:publication-list-xlsx",
        page_name="research:publication-list",
        perms=(Perm.VIEW_FACULTY,),
    )
)

ADVISORY = register_list(
    ListExport(
        name="research.advisory-list-xlsx",
        title=lambda obj: "咨政成果",
        columns=[
            Column("题目", 40, lambda a: a.title),
            Column("类别", 14, lambda a: a.get_kind_display()),
            Column("委托或采纳单位", 20, lambda a: a.client),
            Column("日期", 11, lambda a: a.date, Kind.DATE),
            Column("教师", 24, lambda a: _names(a.teachers.all())),
            Column("服务课程", 30, lambda a: _titles(a.courses.all())),
        ],
        rows=_advisory_works,
        filters=("q", "year", "kind", "teacher"),
        describe=_describe_kind(AdvisoryKind),
        url_name="research:advisory-list-xlsx",
        page_name="research:advisory-list",
        perms=(Perm.VIEW_FACULTY,),
    )
)
