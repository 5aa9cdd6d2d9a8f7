"""Importing the faculty pool from the college's teacher list."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from luodi.accounts.models import Role
from luodi.faculty.models import ExpertiseTag, ReviewStatus, Teacher, TeacherKind
from luodi.imports import kinds, services
from luodi.imports.models import ImportRun, ImportStatus
from luodi.imports.tests.conftest import FILES
from luodi.lib import audit, pinyin, uploads

KIND = kinds.get("teachers")


@pytest.fixture
def staff(users):
    return users[Role.STAFF]


def _table(name: str):
    with (FILES / name).open("rb") as file:
        return services.read_table(KIND, file, uploads.XLSX)


def _expertise(teacher: Teacher) -> set[str]:
    return {tag.name for tag in teacher.expertise.all()}


def test_an_office_list_is_read_with_variants_and_checked_without_writing(college):
    table = _table("teachers-office.xlsx")
    assert (table.sheet, table.header) == ("师资库", 2)

    plan = services.check(KIND, table, options={})

    assert plan.problems == []
    counts = plan.counts()
    assert (counts["rows"], counts["create"], counts["update"], counts["unchanged"]) == (5, 4, 1, 0)
    zhang = next(o for o in plan.outcomes if o.action == "update")
    assert (zhang.row, zhang.key, sorted(zhang.changes)) == (
        5,
        "张平 · 东北大学",
        ["expertise", "title"],
    )
    assert Teacher.objects.count() == 1  # a check writes nothing
    assert not ExpertiseTag.objects.exists()


def test_importing_it_writes_teachers_their_expertise_and_review(college, staff):
    plan = services.commit(KIND, _table("teachers-office.xlsx"), options={}, by=staff)

    assert plan.counts()["create"] == 4
    liu = Teacher.objects.get(name="刘建华")
    assert (liu.kind, liu.source_unit, liu.title, liu.phone) == (
        TeacherKind.PART_TIME,
        "大连市委党校",
        "教授",
        "13904110101",
    )
    assert (liu.review_status, liu.reviewed_on) == (ReviewStatus.PASSED, dt.date(2025, 3, 18))
    assert liu.name_pinyin == pinyin.full("刘建华")
    assert liu.bio == "长期从事基层党建研究。\n著有《社区治理》。"
    assert _expertise(liu) == {"基层党建", "社区治理", "城市管理"}
    wang = Teacher.objects.get(name="王海燕")
    assert (wang.kind, wang.review_status, wang.reviewed_on) == (
        TeacherKind.PART_TIME,
        ReviewStatus.PENDING,
        None,
    )
    assert (wang.phone, _expertise(wang)) == ("13904110102", {"心理健康", "沟通技巧"})
    chen = Teacher.objects.get(name="陈雪")
    assert chen.source_unit == "中山区 青泥洼桥街道 拥警社区"
    assert (chen.review_status, chen.reviewed_on) == (ReviewStatus.PASSED, dt.date(2023, 3, 15))
    assert Teacher.objects.get(name="Anna Li").kind == TeacherKind.PART_TIME
    zhang = college.teacher
    zhang.refresh_from_db()
    assert (zhang.title, zhang.kind, _expertise(zhang)) == (
        "副教授",
        TeacherKind.FULL_TIME,
        {"社区治理"},
    )
    assert ExpertiseTag.objects.filter(name="社区治理").count() == 1
    cleared = Teacher.objects.cleared_on(dt.date(2026, 1, 1))  # 陈雪's pass ends 2026-03-14
    assert list(cleared.order_by("name").values_list("name", flat=True)) == [
        "刘建华",
        "张平",
        "陈雪",
    ]
    details = audit.recent("import.teachers")[-1]["details"]
    assert (details["created"], details["updated"], details["tags_created"]) == ("4", "1", "6")


def test_importing_the_same_file_again_changes_nothing(college, staff):
    services.commit(KIND, _table("teachers-office.xlsx"), options={}, by=staff)
    before = list(Teacher.objects.order_by("pk").values_list("pk", "updated_at"))
    links = list(Teacher.expertise.through.objects.order_by("pk").values_list("pk", flat=True))

    again = services.commit(KIND, _table("teachers-office.xlsx"), options={}, by=staff)

    assert again.problems == []
    assert again.counts()["unchanged"] == 5
    assert not again.changes_anything
    assert list(Teacher.objects.order_by("pk").values_list("pk", "updated_at")) == before
    assert list(Teacher.expertise.through.objects.order_by("pk").values_list("pk", flat=True)) == (
        links
    )


def test_a_new_expertise_cell_replaces_the_teachers_expertise(college, staff):
    teacher = college.teacher
    teacher.expertise.add(ExpertiseTag.objects.create(name="调查研究"))
    rows = [["姓名", "单位", "专长"], ["张平", "东北大学", "群众工作，调查研究"]]
    mapping = {0: "name", 1: "source_unit", 2: "expertise"}
    plan = KIND.plan(rows, 0, mapping, options={})
    assert plan.outcomes[0].changes == ["expertise"]
    KIND.write(plan, options={}, by=staff, progress=lambda done, total: None)
    assert _expertise(teacher) == {"群众工作", "调查研究"}


def test_each_problem_names_row_column_value_and_reason(college):
    plan = services.check(KIND, _table("teachers-errors.xlsx"), options={})
    problems = {(p.row, p.column): (p.value, p.reason) for p in plan.problems}

    assert problems == {
        (5, "full name"): ("", "required, but empty"),
        (6, "source unit"): ("", "required, but empty"),
        (7, "kind"): ("临时", "not 专职 or 兼职"),
        (8, "reviewed on"): ("", "a completed political review needs its date"),
        (9, "mobile phone"): ("139**11", "not a mainland mobile number"),
        (10, "kind"): ("", "needed for a new teacher, but empty"),
        (12, "full name"): ("何静", "the same teacher as row 11"),
        (13, "reviewed on"): ("2025-13-01", "no such date"),
    }
    assert plan.counts()["problem_rows"] == 8


def test_a_row_with_a_problem_means_nothing_is_written(college, staff):
    plan = services.commit(KIND, _table("teachers-errors.xlsx"), options={}, by=staff)

    assert plan.problems
    assert not Teacher.objects.filter(name="周明").exists()  # row 4 is fine, but not alone
    assert Teacher.objects.count() == 1
    assert audit.recent("import.teachers") == []


def test_a_known_teachers_review_date_counts_for_a_file_that_omits_it(college):
    rows = [["姓名", "单位", "政审"], ["张平", "东北大学", "未通过"]]
    plan = KIND.plan(rows, 0, {0: "name", 1: "source_unit", 2: "review_status"}, options={})
    assert plan.problems == []
    assert plan.outcomes[0].changes == ["review_status"]


def test_a_checks_queries_do_not_grow_with_its_rows(college, django_assert_max_num_queries):
    mapping = {0: "name", 1: "kind", 2: "source_unit", 3: "expertise"}
    few = [["姓名", "类别", "单位", "专长"]]
    few += [[f"教师{n}", "兼职", "大学", f"专题{n}、社区治理"] for n in range(3)]
    few.append(["张平", "专职", "东北大学", "社区治理"])
    many = few + [[f"老师{n}", "专职", "大学", f"专题{n}、社区治理"] for n in range(300)]
    with django_assert_max_num_queries(4) as few_queries:
        KIND.plan(few, 0, mapping, options={})
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        plan = KIND.plan(many, 0, mapping, options={})
    assert (plan.counts()["create"], plan.counts()["update"]) == (303, 1)


def test_the_template_has_the_headers_offices_use_and_reads_back(client_as, college):
    response = client_as(Role.STAFF).get(reverse("imports:template", args=["teachers"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [
        "姓名",
        "类别",
        "来源单位",
        "职称",
        "手机号码",
        "擅长领域",
        "政审情况",
        "政审日期",
        "个人简介",
    ]
    also = {row[0].value: row[2].value for row in workbook.worksheets[1].iter_rows(min_row=2)}
    assert "工作单位" in also["来源单位"]
    assert "专/兼职" in also["类别"]
    mapping = {i: c.field for i, c in enumerate(KIND.columns)}
    plan = KIND.plan([header, [c.value for c in sheet[2]]], 0, mapping, options={})
    assert plan.problems == []
    assert plan.counts()["create"] == 1


def test_staff_import_a_teacher_list_through_the_pages(client_as, upload, college):
    client = client_as(Role.STAFF)
    client.post(
        reverse("imports:index"), {"kind": "teachers", "file": upload("teachers-office.xlsx")}
    )
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.CHECKED
    assert (run.summary["create"], run.summary["update"], run.summary["new_communities"]) == (
        4,
        1,
        0,
    )
    client.post(reverse("imports:commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert Teacher.objects.filter(name="刘建华").exists()


def test_the_list_saved_by_libreoffice_as_xls_reads_the_same(college, staff):
    with (FILES / "teachers.xls").open("rb") as file:
        table = services.read_table(KIND, file, uploads.OLE2)

    plan = services.commit(KIND, table, options={}, by=staff)

    assert plan.problems == []
    assert (plan.counts()["create"], plan.counts()["update"]) == (4, 1)
    chen = Teacher.objects.get(name="陈雪")
    assert (chen.reviewed_on, chen.phone) == (dt.date(2023, 3, 15), "13904110103")
    assert Teacher.objects.get(name="刘建华").bio.count("\n") == 1


def test_the_command_checks_the_list_in_a_dry_run_and_writes_nothing(college, users):
    out = io.StringIO()
    call_command("import_records", "teachers", str(FILES / "teachers.xls"), "--dry-run", stdout=out)
    assert "5 rows: 4 new, 1 to update" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert Teacher.objects.count() == 1
