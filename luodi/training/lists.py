"""The class list and a class's roster: one reading of each (filters, the user's reach) for
the page and its xlsx export (``jobs.exports``). Both are built in the request: the classes
are the college's own (a few hundred a year), a roster is bounded by the class's capacity."""

from luodi.accounts.access import Perm
from luodi.cadres.lists import cadre_columns
from luodi.curriculum.models import Course
from luodi.jobs.exports import ListExport, register_list, said
from luodi.lib.documents.tables import Column, Kind
from luodi.lib.documents.text import span_text
from luodi.lib.params import parse_id
from luodi.regions.lists import region_name
from luodi.training import selectors
from luodi.training.models import ClassStatus, ClassType, TrainingClass


def class_list(user, filters: dict[str, str], obj=None):
    """Every class (the list shows classes and counts, no one's name), with the filters."""
    return selectors.class_list(
        year=filters.get("year", ""),
        class_type=filters.get("type", ""),
        status=filters.get("status", ""),
    )


def _describe_classes(filters: dict[str, str], obj=None) -> str:
    type_id, status = parse_id(filters.get("type")), filters.get("status", "")
    class_type = ClassType.objects.filter(pk=type_id).first() if type_id else None
    return said(
        年度=filters.get("year", ""),
        类型=class_type.name if class_type else "",
        状态=ClassStatus(status).label if status in ClassStatus.values else "",
    )


CLASSES = register_list(
    ListExport(
        name="training.class-list-xlsx",
        title=lambda obj: "培训班次一览",
        columns=[
            Column("班次", 36, lambda c: c.title),
            Column("类型", 16, lambda c: c.class_type.name),
            Column("开班日期", 12, lambda c: c.start_date, Kind.DATE),
            Column("结班日期", 12, lambda c: c.end_date, Kind.DATE),
            Column("地点", 20, lambda c: c.venue),
            Column("班主任", 10, lambda c: str(c.head_teacher or "")),
            Column("在册学员", 9, lambda c: c.enrolled_count, Kind.NUMBER),
            Column("名额", 7, lambda c: c.capacity, Kind.NUMBER),
            Column("状态", 9, lambda c: c.get_status_display()),
        ],
        rows=class_list,
        extras=selectors.class_list_extras,
        filters=("year", "type", "status"),
        describe=_describe_classes,
        url_name="exports:class-list-xlsx",
        page_name="training:class-list",
        perms=(Perm.VIEW_CLASSES,),
    )
)


def roster(user, filters: dict[str, str], training_class: TrainingClass):
    """The class's roster as far as ``user`` reaches (``selectors.class_roster``)."""
    return selectors.class_roster(training_class, user)


def _describe_roster(filters: dict[str, str], tc: TrainingClass) -> str:
    return f"培训时间：{span_text(tc.start_date, tc.end_date)}　培训地点：{tc.venue}"


ROSTER = register_list(
    ListExport(
        name="training.roster-xlsx",
        title=lambda tc: f"{tc.title}学员名单",
        columns=[
            *cadre_columns("cadre"),
            Column("出勤学时", 9, lambda e: e.hours_attended, Kind.HOURS),
            Column("请假次数", 9, lambda e: e.leave_count, Kind.NUMBER),
            Column("缺勤次数", 9, lambda e: e.absent_count, Kind.NUMBER),
            Column("状态", 9, lambda e: e.get_status_display()),
        ],
        rows=roster,
        describe=_describe_roster,
        url_name="exports:roster-xlsx",
        page_name="training:class-detail",
        perms=(Perm.VIEW_CLASSES,),
        model=TrainingClass,
    )
)


def story_list(user, filters: dict[str, str], obj=None):
    """The application stories ``user`` may read with the list's filters."""
    return selectors.stories_of(user, filters)


def _describe_stories(filters: dict[str, str], obj=None) -> str:
    class_id, course_id = parse_id(filters.get("class")), parse_id(filters.get("course"))
    training_class = TrainingClass.objects.filter(pk=class_id).first() if class_id else None
    course = Course.objects.filter(pk=course_id).first() if course_id else None
    return said(
        地市=region_name(filters.get("city", "")),
        班次=training_class.title if training_class else "",
        课程=course.title if course else "",
    )


STORIES = register_list(
    ListExport(
        name="training.story-list-xlsx",
        title=lambda obj: "学以致用案例",
        columns=[
            Column("姓名", 10, lambda s: s.cadre.name),
            Column("手机号", 14, lambda s: s.cadre.masked_phone, full=lambda s: s.cadre.phone),
            Column("地市", 10, lambda s: s.community.city.name),
            Column("社区", 24, lambda s: s.community.name),
            Column("班次", 30, lambda s: s.training_class.title if s.training_class else ""),
            Column("课程", 24, lambda s: s.course.title if s.course else ""),
            Column("授课教师", 10, lambda s: s.teacher.name if s.teacher else ""),
            Column("遇到的问题", 40, lambda s: s.problem),
            Column("学以致用", 40, lambda s: s.applied),
            Column("成效", 40, lambda s: s.outcome),
            Column("仍需", 30, lambda s: s.still_needed),
            Column("时间", 12, lambda s: s.occurred_on, Kind.DATE),
            Column("来源", 12, lambda s: s.get_source_display()),
            Column("教学案例", 30, lambda s: s.case.title if s.case else ""),
        ],
        rows=story_list,
        filters=("city", "class", "course"),
        describe=_describe_stories,
        url_name="training:story-list-xlsx",
        page_name="training:story-list",
        perms=(Perm.VIEW_CADRES,),
    )
)
