"""The class list and a class's roster as xlsx: the rows of the page, scoped and filtered as
the page is, numbers masked, no text turned into a formula, each export on record."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import A, H, L, S, T
from luodi.audit.models import AuditEvent
from luodi.training.models import ClassStatus
from luodi.training.tests.test_exports import class_of

pytestmark = pytest.mark.django_db


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    assert "private" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def _names(rows) -> set[str]:
    return {row[1] for row in rows[3:]}  # title, subtitle, header, then one row per person


# The class list ------------------------------------------------------------------------------


def test_the_class_list_export_holds_the_listed_classes(client_as, college):
    rows = _rows(client_as(S).get(reverse("exports:class-list-xlsx")))
    titles = [row[1] for row in rows[2:]]  # title, filter, header, then one row per class
    assert titles[0] == "班次"
    assert set(titles[1:]) == {college.finished.title, college.running.title}
    assert "共2条" in rows[1][0]


def test_the_class_list_export_keeps_the_lists_filter(client_as, college):
    url = reverse("exports:class-list-xlsx") + f"?status={ClassStatus.IN_PROGRESS}"
    rows = _rows(client_as(S).get(url))
    assert [row[1] for row in rows[2:]] == ["班次", college.running.title]
    assert rows[1][0].startswith("状态：培训中")
    (event,) = AuditEvent.objects.filter(event="personal.export")
    assert event.details["what"] == "training.class-list-xlsx"
    assert event.details["rows"] == "1"  # the audit log keeps details as text


def test_the_class_list_page_links_its_export_with_the_filter(client_as, college):
    body = client_as(S).get(reverse("training:class-list") + "?status=in_progress").content
    assert reverse("exports:class-list-xlsx").encode() + b"?status=in_progress" in body


# The roster ----------------------------------------------------------------------------------


def test_the_roster_export_holds_the_roster_with_masked_numbers(client_as, college):
    tc = college.finished
    rows = _rows(client_as(S).get(reverse("exports:roster-xlsx", args=[tc.pk])))
    assert rows[0][0] == f"{tc.title}学员名单"
    assert rows[2][:2] == ("序号", "姓名")
    everyone = college.cadres_dalian + college.cadres_shenyang
    assert _names(rows) == {c.name for c in everyone}
    song = next(row for row in rows if row[1] == "宋娟")
    cadre = college.cadres_dalian[0]
    assert song[3] == cadre.masked_id_number != cadre.id_number
    assert song[4] == cadre.masked_phone != cadre.phone
    assert song[8] == 9  # hours attended, a number to sum: 21 not 21.0
    (event,) = AuditEvent.objects.filter(event="personal.export")
    assert event.details["what"] == "training.roster-xlsx"
    assert event.object_id == str(tc.pk)


def test_a_liaison_exports_only_their_citys_trainees(client_as, college):
    rows = _rows(client_as(L).get(reverse("exports:roster-xlsx", args=[college.finished.pk])))
    assert _names(rows) == {c.name for c in college.cadres_dalian}


def test_a_teacher_who_heads_no_class_gets_nobody(client_as, college):
    rows = _rows(client_as(T).get(reverse("exports:roster-xlsx", args=[college.finished.pk])))
    assert _names(rows) == set()


@pytest.mark.parametrize("role", [A, S, H])
def test_the_class_page_links_the_roster_export(client_as, college, role):
    body = client_as(role).get(college.finished.get_absolute_url()).content
    assert reverse("exports:roster-xlsx", args=[college.finished.pk]).encode() in body


def test_a_name_never_becomes_a_formula(client_as, college):
    cadre = college.cadres_dalian[1]
    cadre.name = "=HYPERLINK(1)"
    cadre.save()
    response = client_as(S).get(reverse("exports:roster-xlsx", args=[college.finished.pk]))
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'=HYPERLINK(1)" in [c.value for c in cells]


def test_the_roster_export_takes_the_same_queries_for_any_roster_size(client_as, college, make):
    client = client_as(S)
    counts = []
    for day, size in ((1, 2), (10, 30)):
        training_class = class_of(make, college, size, day=day)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("exports:roster-xlsx", args=[training_class.pk]))
        assert len(_rows(response)) == 3 + size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_class_list_export_takes_the_same_queries_for_any_number_of_classes(
    client_as, college, make
):
    client = client_as(S)
    counts = []
    for day in (1, 2, 3):
        class_of(make, college, 1, day=day)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("exports:class-list-xlsx"))
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
