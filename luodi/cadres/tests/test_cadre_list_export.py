"""The cadre list as xlsx, prepared by a background job: the rows of the list with the filter
it was showing, within the user's reach, numbers masked, its progress on the list page."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import H, L, S
from luodi.audit.models import AuditEvent
from luodi.cadres.lists import CADRES
from luodi.cadres.models import Post
from luodi.jobs.exports import workbook
from luodi.jobs.models import Job, JobStatus
from luodi.lib.documents import tables

pytestmark = pytest.mark.django_db


def _export(client, **filters):
    """Press "export this list"; the tests' task backend runs the job at once."""
    response = client.post(reverse("cadres:cadre-list-export"), filters)
    assert response.status_code == 302
    job = Job.objects.latest("created_at")
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    return response, list(book.active.iter_rows(values_only=True))


def _names(rows) -> set[str]:
    return {row[1] for row in rows[3:]}  # title, filter, header, then one row per cadre


def test_it_exports_every_cadre_the_user_may_see(client_as, college):
    _, rows = _export(client_as(S))
    assert _names(rows) == {c.name for c in college.cadres_dalian + college.cadres_shenyang}
    assert rows[2] == ("序号", "姓名", "性别", "身份证号", "手机号", "地市", "社区", "职务")
    song = next(row for row in rows if row[1] == "宋娟")
    cadre = college.cadres_dalian[0]
    assert song[3] == cadre.masked_id_number != cadre.id_number
    assert song[4] == cadre.masked_phone != cadre.phone


def test_it_keeps_the_lists_filter_and_comes_back_to_it(client_as, college):
    response, rows = _export(client_as(S), q="宋娟", city=str(college.dalian.pk))
    assert _names(rows) == {"宋娟"}
    assert response["Location"].startswith(reverse("cadres:cadre-list") + "?")
    assert "city=" in response["Location"]


def test_a_liaison_gets_only_their_city(client_as, college):
    _, rows = _export(client_as(L), city=str(college.shenyang.pk))  # asks for another city
    assert _names(rows) == set()
    _, rows = _export(client_as(L))
    assert _names(rows) == {c.name for c in college.cadres_dalian}


def test_a_head_teacher_gets_only_their_trainees(client_as, college, make):
    outsider = make.cadre(college.communities_dalian[0], name="局外人")
    _, rows = _export(client_as(H))
    assert outsider.name not in _names(rows)
    assert "宋娟" in _names(rows)


def test_a_post_filter_is_applied(client_as, college):
    cadre = college.cadres_shenyang[0]
    cadre.post = Post.GRID_WORKER
    cadre.save()
    _, rows = _export(client_as(S), post=cadre.post)
    assert cadre.name in _names(rows)
    assert all(row[7] == cadre.get_post_display() for row in rows[3:])
    assert rows[1][0].startswith(f"职务：{cadre.get_post_display()}")  # the filter, said


def test_the_download_is_on_record_as_a_personal_export(client_as, college):
    _export(client_as(S))
    (event,) = AuditEvent.objects.filter(event="personal.export")
    assert event.details["what"] == "cadres.list-xlsx"


def test_the_list_page_offers_the_export_and_shows_the_job(client_as, college):
    client = client_as(S)
    page = client.get(reverse("cadres:cadre-list") + "?q=宋").content.decode()
    assert reverse("cadres:cadre-list-export") in page
    assert 'name="q" value="宋"' in page  # the export form carries the filter
    _export(client)
    page = client.get(reverse("cadres:cadre-list")).content.decode()
    assert reverse("jobs:download", args=[Job.objects.get().pk]) in page


def test_a_long_list_reports_progress_as_it_goes(college, make):
    seen = []
    community = college.communities_dalian[0]
    cadres = [make.cadre(community) for _ in range(5)]
    content = tables.table_xlsx(
        title="t",
        subtitle="",
        columns=CADRES.columns,
        records=cadres,
        total=5,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert content.startswith(b"PK")
    assert seen[-1] == (5, 5)


def test_a_name_never_becomes_a_formula(college, users, make):
    make.cadre(college.communities_dalian[0], name="+SUM(A1)")
    content, _rows = workbook(CADRES, user=users[S], filters={"q": "", "city": "", "post": ""})
    book = load_workbook(io.BytesIO(content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'+SUM(A1)" in [c.value for c in cells]


def test_the_job_takes_the_same_queries_for_any_number_of_cadres(client_as, college, make):
    client = client_as(S)
    counts = []
    for extra in (0, 40):
        for _ in range(extra):
            make.cadre(college.communities_dalian[1])
        Job.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            client.post(reverse("cadres:cadre-list-export"))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
