"""Issue 9's "done when", end to end: staff import a district's roster and its past classes
from office workbooks, prepare the annual report as PDF and xlsx, and another system reads the
same figures through the API."""

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from luodi.accounts import tokens
from luodi.accounts.models import ApiScope, Role
from luodi.imports.models import ImportRun, ImportStatus
from luodi.imports.tests.conftest import FILES
from luodi.jobs.models import Job, JobStatus


def _import(client, kind: str, name: str) -> ImportRun:
    with (FILES / name).open("rb") as file:
        client.post(reverse("imports:index"), {"kind": kind, "file": file})
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.CHECKED, run.problems
    client.post(reverse("imports:commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    return run


def _document(client, document: str) -> bytes:
    client.post(
        reverse("reports:statistics-document"), {"document": document, "from": 2019, "to": 2019}
    )
    job = Job.objects.filter(status=JobStatus.DONE).latest("pk")
    return b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)


def test_a_roster_in_the_annual_report_out_and_the_same_figures_through_the_api(
    client_as, college, users
):
    staff = client_as(Role.STAFF)
    _import(staff, "cadres", "roster-excel.xlsx")
    _import(staff, "history", "history.xlsx")  # 2019: one class, 3 trainees, 2 completed

    workbook = load_workbook(io.BytesIO(_document(staff, "xlsx")))
    summary = {row[0]: row[1] for row in workbook["概况"].iter_rows(values_only=True) if row[0]}
    pdf = PdfReader(io.BytesIO(_document(staff, "pdf")))
    text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")

    _token, key = tokens.api_token_create(
        by=users[Role.STAFF], name="组织部系统", scopes=[ApiScope.STATS_READ]
    )
    system = Client(headers={"Authorization": f"Bearer {key}"})
    figures = system.get("/api/v1/stats/report?first_year=2019&last_year=2019").json()
    summary_2019 = system.get("/api/v1/stats/summary?year=2019").json()

    assert (figures["classes_held"], figures["person_times"], figures["distinct_trainees"]) == (
        1,
        2,
        2,
    )
    assert figures["hours_credited"] == 60
    assert summary["培训班次（期）"] == figures["classes_held"] == summary_2019["classes_held"]
    assert summary["培训人次"] == figures["person_times"] == summary_2019["person_times"]
    assert summary["培训人数"] == figures["distinct_trainees"]
    assert summary["认定学时"] == figures["hours_credited"]
    assert figures["headline"][0] in text.replace(" ", "")
    assert "共举办培训班1期，培训2人次" in figures["headline"][0]
    # The records behind the figures: the appendix lists the enrolments counted.
    appendix = list(workbook["附录-参训记录"].iter_rows(values_only=True))
    assert sum(1 for row in appendix if row and "2019年第3期社区党组织书记培训班" in row) == 2
