"""The results page and the results documents (read back), from scores set by the services.

Unit 拥警社区: three experts (the computation test's example): 81.5, complete.
Unit two: the teacher alone, every leaf: 100 × (0.2 × 5/10 + 0.2 × 10/20 + 0.6 × 3/5) = 56.
"""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from luodi.assessments import services
from luodi.assessments.jobs import RESULTS_PDF, RESULTS_XLSX
from luodi.assessments.results import project_results
from luodi.assessments.tests.conftest import entries
from luodi.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(assessment):
    a, b = assessment.units
    e1, e2, e3 = assessment.experts
    leaves = assessment.leaves
    for expert, values in ((e1, (8, 15, 4)), (e2, (10, 20, 5)), (e3, (6, 17.5, 3))):
        services.sheet_save(unit=a, by=expert, entries=entries(leaves, *values), submit=True)
    services.sheet_save(unit=b, by=e1, entries=entries(leaves, 5, 10, 3), submit=True)
    # A draft does not count.
    services.sheet_save(unit=b, by=e2, entries=entries(leaves, 0, 0, 0))
    return assessment


def test_results_are_computed_from_submitted_sheets(scored):
    results = project_results(scored.project)
    totals = {r.unit.name: (r.total, r.rank, r.grade) for r in results.units}
    a, b = (u.name for u in scored.units)
    # Means: A1 8, A2 (15+20+17.5)/3 = 17.5, B1 4 → 16 + 17.5 + 48 = 81.5.
    assert totals == {a: (Decimal("81.50"), 1, "合格"), b: (Decimal("56.00"), 2, "不合格")}


def test_results_page_shows_ranking_breakdown_and_spread(
    scored, client, django_assert_max_num_queries
):
    client.force_login(scored.staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessments:results", args=[scored.project.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "81.50" in body
    assert "56.00" in body
    assert 'id="breakdown"' in body
    assert "83.75%" in body
    assert "No expert is far from the others." in body


def test_an_outlier_expert_is_flagged_with_the_projects_settings(scored, client):
    # Experts' totals on the first unit: 79, 100, 65.5; median 79, deviations 0, 21, 13.5,
    # MAD 13.5. With k = 3 nobody is flagged (limit 40.5); with k = 1 and 10 points the
    # limit is 13.5 and the head teacher's 100 (21 away) is flagged; 13.5 is not above it.
    services.project_update(
        project=scored.project,
        spread_mad_factor=Decimal(1),
        spread_points=Decimal(10),
        by=scored.staff,
    )
    results = project_results(scored.project)
    assert [(r.unit, e.username, total) for r, e, total in results.flags] == [
        (scored.units[0], "head_teacher", Decimal("100.00"))
    ]
    client.force_login(scored.staff)
    body = client.get(reverse("assessments:results", args=[scored.project.pk])).content.decode()
    assert 'id="flags"' in body
    assert "head_teacher" in body


def test_the_workbook_reads_back(scored, client):
    client.force_login(scored.staff)
    client.post(
        reverse("assessments:results-document", args=[scored.project.pk]), {"document": "xlsx"}
    )
    job = Job.objects.get(kind=RESULTS_XLSX)
    assert job.status == JobStatus.DONE, job.error
    workbook = load_workbook(io.BytesIO(job.file.read()))
    ranking, per_indicator, raw = workbook.worksheets
    rows = [r for r in ranking.iter_rows(values_only=True) if isinstance(r[0], int)]
    a, b = (u.name for u in scored.units)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (1, a, 81.5, "合格"),
        (2, b, 56.0, "不合格"),
    ]
    assert rows[0][5:7] == (33.5, 48.0)  # points of 组织建设 and 服务群众
    leaf_header = [c.value for c in per_indicator[1]]
    assert leaf_header[1:] == ["党组织设置", "党员管理", "便民服务"]
    mean_rows = {r[0]: r[1:] for r in per_indicator.iter_rows(min_row=3, values_only=True)}
    assert mean_rows[a] == (8.0, 17.5, 4.0)
    raw_rows = list(raw.iter_rows(min_row=2, values_only=True))
    assert len(raw_rows) == 3 * 3 + 3  # submitted scores only (the draft is left out)


def test_the_pdf_report_reads_back(scored, client):
    client.force_login(scored.staff)
    client.post(
        reverse("assessments:results-document", args=[scored.project.pk]), {"document": "pdf"}
    )
    job = Job.objects.get(kind=RESULTS_PDF)
    assert job.status == JobStatus.DONE, job.error
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(job.file.read())).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "2025年度全省和谐社区示范单位评估报告" in compact
    assert "评估评估" not in compact
    assert "81.50" in compact
    assert "56.00" in compact
    assert "组织建设" in compact
    assert "83.75%" in compact
    assert "<svg" not in text  # the charts were drawn, not printed as markup


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read the pages' English wording; the UI's default is Chinese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
