"""The statistics page for each role, and the reports it starts as background jobs: the PDF
(its headline read back with pypdf), the xlsx (sheets, numbers as numbers, the appendix of
records) and the hours-compliance list; a liaison's are of their own city whatever they ask."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from luodi.accounts.models import Role
from luodi.jobs.models import Job, JobStatus
from luodi.reports.jobs import COMPLIANCE_XLSX, STATS_PDF, STATS_XLSX

pytestmark = pytest.mark.django_db

URL = "/statistics/"


def figures(response) -> dict:
    return response.context["report"].figures.as_dict()


def test_the_url_is_where_the_nav_points():
    assert reverse("reports:statistics") == URL


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.SUPERVISOR, Role.HEAD_TEACHER])
def test_it_shows_everyones_figures_to_roles_that_reach_all(client_as, college, role):
    response = client_as(role).get(URL)
    assert response.status_code == 200
    assert figures(response)["person_times"] == 4
    assert figures(response)["classes_held"] == 1
    assert b'name="city"' in response.content


def test_it_shows_a_liaison_their_own_city_only(client_as, college):
    client = client_as(Role.LIAISON)
    response = client.get(URL, {"city": college.shenyang.pk})  # asks for another city
    assert response.context["scope"].city == college.dalian
    assert figures(response)["person_times"] == 2
    assert [r["label"] for r in response.context["report"].by_city] == ["大连市"]
    assert [r["city"] for r in response.context["report"].coverage] == [college.dalian]
    assert b'name="city"' not in response.content
    assert response.context["report"].teaching is None  # a liaison does not see the faculty
    assert "沈阳市" not in response.content.decode()


def test_staff_narrow_the_figures_to_a_city_and_years(client_as, college):
    client = client_as(Role.STAFF)
    response = client.get(URL, {"city": college.shenyang.pk, "from": 2024, "to": 2024})
    assert figures(response)["person_times"] == 2
    assert response.context["scope"].years_text == "2024年"
    nothing = client.get(URL, {"from": 2019, "to": 2019})
    assert figures(nothing)["person_times"] == 0


def test_the_years_may_be_given_backwards_and_nonsense_is_ignored(client_as, college):
    client = client_as(Role.STAFF)
    response = client.get(URL, {"from": 2025, "to": 2023})
    assert (response.context["scope"].first, response.context["scope"].last) == (2023, 2025)
    for junk in ({"from": "abc"}, {"city": "99999999999999999999999"}, {"to": "1800"}):
        response = client.get(URL, junk)
        assert response.status_code == 200
        assert figures(response)["person_times"] == 4


def test_a_teacher_sees_the_teaching_load_with_links(client_as, college):
    response = client_as(Role.TEACHER).get(URL)
    load = response.context["report"].teaching
    assert [(r["teacher"], r["sessions"]) for r in load] == [("张平", 3)]
    assert reverse("faculty:teacher-detail", args=[college.teacher.pk]) in response.content.decode()


def test_figures_link_to_the_lists_behind_them(client_as, college):
    body = client_as(Role.STAFF).get(URL).content.decode()
    assert f"{reverse('training:class-list')}?year=2024" in body
    assert f"{reverse('cadres:cadre-list')}?city={college.dalian.pk}" in body
    assert f"{reverse('regions:community-list')}?city={college.dalian.pk}" in body


def _document(client, document, **filters) -> Job:
    response = client.post(
        reverse("reports:statistics-document"), {"document": document, **filters}
    )
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert job.status == JobStatus.DONE, job.error
    return job


def _content(job) -> bytes:
    with job.file.open("rb") as f:
        return f.read()


def test_the_annual_report_pdf_states_the_headline_figures(client_as, college):
    job = _document(client_as(Role.STAFF), "pdf", **{"from": 2024, "to": 2024})
    assert job.kind == STATS_PDF
    assert job.filename == "2024年年度培训统计报告.pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_content(job))).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "共举办培训班1期，培训4人次（4人）" in text
    assert "认定培训学时36学时" in text
    assert "张平" in text  # the teaching load


def test_a_multi_year_report_is_named_for_its_years(client_as, college):
    job = _document(client_as(Role.SUPERVISOR), "pdf", **{"from": 2020, "to": 2024})
    assert job.filename == "2020—2024年培训工作统计报告.pdf"


def test_the_report_xlsx_has_a_sheet_per_table_numbers_as_numbers_and_its_records(
    client_as, college
):
    job = _document(client_as(Role.STAFF), "xlsx")
    assert job.kind == STATS_XLSX
    workbook = load_workbook(io.BytesIO(_content(job)))
    assert workbook.sheetnames == [
        "概况",
        "按年度",
        "按城市",
        "按培训类型",
        "按职务",
        "社区覆盖",
        "重复参训",
        "新任书记",
        "学时达标",
        "师资授课",
        "附录-培训班次",
        "附录-参训记录",
        "附录-覆盖社区",
    ]
    by_year = list(workbook["按年度"].iter_rows(min_row=2, values_only=True))
    assert by_year == [("2024年", 1, 4, 4, 36, 4)]
    assert all(isinstance(v, int) for v in by_year[0][1:])
    share = workbook["社区覆盖"]["D2"]
    assert share.value == 1
    assert share.number_format == "0.0%"
    classes = list(workbook["附录-培训班次"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in classes] == [college.finished.title]
    enrolments = list(workbook["附录-参训记录"].iter_rows(min_row=2, values_only=True))
    assert len(enrolments) == 4  # the person-times of the summary, one row each
    assert {row[2] for row in enrolments} == {
        c.name for c in college.cadres_dalian + college.cadres_shenyang
    }


def test_a_liaisons_report_is_of_their_city_whatever_they_ask(client_as, college):
    job = _document(client_as(Role.LIAISON), "xlsx", city=college.shenyang.pk)
    assert job.parameters["city"] == college.dalian.pk
    assert job.filename == "历年大连市培训工作统计报告.xlsx"
    workbook = load_workbook(io.BytesIO(_content(job)))
    enrolments = list(workbook["附录-参训记录"].iter_rows(min_row=2, values_only=True))
    assert {row[3] for row in enrolments} == {"大连市"}
    assert "师资授课" not in workbook.sheetnames
    summary = [row for row in workbook["概况"].iter_rows(values_only=True) if row[0]]
    assert ("培训人次", 2) in summary


def test_the_compliance_list_names_the_cadres_below_target(client_as, college, make):
    make.cadre(college.communities_dalian[1], post="grid_worker")  # no target: not listed
    job = _document(client_as(Role.STAFF), "compliance", to=2024)
    assert job.kind == COMPLIANCE_XLSX
    rows = list(
        load_workbook(io.BytesIO(_content(job))).active.iter_rows(min_row=4, values_only=True)
    )
    assert len(rows) == 4
    assert {row[10] for row in rows} == {"未达标"}  # 9 hours of 56
    # At the college, elsewhere, both, the shortfall.
    assert all(row[6:10] == (9, 0, 9, 47) for row in rows)


def test_a_liaisons_compliance_list_has_their_city_only(client_as, college):
    job = _document(client_as(Role.LIAISON), "compliance", to=2024)
    rows = list(
        load_workbook(io.BytesIO(_content(job))).active.iter_rows(min_row=4, values_only=True)
    )
    assert {row[2] for row in rows} == {"大连市"}


def test_a_teacher_may_not_ask_for_the_compliance_list(client_as, college):
    client = client_as(Role.TEACHER)
    response = client.post(reverse("reports:statistics-document"), {"document": "compliance"})
    assert response.status_code == 403
    assert client.get(URL).content.count(b'value="compliance"') == 0


def test_an_unknown_document_is_refused(client_as, college):
    response = client_as(Role.STAFF).post(reverse("reports:statistics-document"), {"document": "x"})
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_the_page_shows_the_reports_being_prepared(client_as, college):
    client = client_as(Role.STAFF)
    _document(client, "pdf")
    body = client.get(URL).content.decode()
    assert reverse("jobs:download", args=[Job.objects.get().pk]) in body


def test_the_page_shows_the_teachers_with_most_hours_and_the_documents_all(
    client_as, college, make
):
    """A province's pool is hundreds of teachers: the page shows the 30 with the most hours
    and says how many there are; the report documents list every one."""
    from luodi.reports.stats_views import TEACHING_SHOWN
    from luodi.training.models import ClassStatus

    held = make.training_class(
        college.class_type, start_date=dt.date(2024, 9, 2), status=ClassStatus.FINISHED
    )
    for n in range(TEACHING_SHOWN + 5):
        teacher = make.teacher(name=f"授课老师{n:02d}")
        make.session(held, college.course, teacher, day=n % 3, hours=Decimal(1), venue=f"室{n}")
    response = client_as(Role.STAFF).get(URL, {"from": 2024, "to": 2024})
    everyone = response.context["report"].teaching
    assert len(everyone) == TEACHING_SHOWN + 6  # and 张平, with the most hours
    assert response.context["teaching_shown"] == everyone[:TEACHING_SHOWN]
    assert everyone[0]["teacher"] == "张平"
    assert f"课时最多的 {TEACHING_SHOWN} 位教师（共 {TEACHING_SHOWN + 6} 位）" in (
        response.content.decode()
    )
