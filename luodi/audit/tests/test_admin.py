"""Administrators search, filter and export the audit log; exports are audited and cannot
run formulas; nobody changes a row through the admin."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from luodi.accounts.models import Role
from luodi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST = "admin:audit_auditevent_changelist"


@pytest.fixture
def events():
    now = timezone.now()
    return [
        AuditEvent.objects.create(
            event="test.old", username="staff", ip="10.0.0.1", at=now - timedelta(days=30)
        ),
        AuditEvent.objects.create(
            event="test.denied",
            username="trainee",
            ip="10.0.0.2",
            outcome="denied",
            object_type="cadres.cadre",
            object_id="7",
        ),
        AuditEvent.objects.create(
            event='=HYPERLINK("http://x")',
            username="+evil",
            ip="10.0.0.3",
            details={"note": "@SUM(1)"},
        ),
    ]


def _rows(response):
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]


def test_it_lists_and_filters_by_time_user_event_outcome_object_and_ip(client_as, events):
    client = client_as(Role.ADMIN)

    def shown(**params):
        response = client.get(reverse(LIST), params)
        assert response.status_code == 200
        return {e.event for e in response.context["cl"].result_list}

    everything = shown()
    assert {"test.old", "test.denied"} <= everything
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert "test.old" not in shown(at__date__gte=since)
    assert shown(at__date__lte=(timezone.localdate() - timedelta(days=29)).isoformat()) == {
        "test.old"
    }
    assert shown(username="trainee") == {"test.denied"}
    assert shown(outcome="denied") == {"test.denied"}
    assert shown(object_type="cadres.cadre", object_id="7") == {"test.denied"}
    assert shown(ip="10.0.0.1") == {"test.old"}
    assert shown(event="test.old") == {"test.old"}
    assert shown(q="10.0.0.2") == {"test.denied"}


def test_the_export_holds_the_filtered_rows_neutralised_and_is_itself_audited(client_as, events):
    response = client_as(Role.ADMIN).get(
        reverse("admin:audit_auditevent_export"), {"ip": "10.0.0.3"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    header, *rows = _rows(response)
    assert len(header) == 9  # time, user, IP, event, outcome, object type, ID, object, details
    assert len(rows) == 1
    (row,) = rows
    assert row[1] == "'+evil"
    assert row[3] == '\'=HYPERLINK("http://x")'
    assert row[8] == "note=@SUM(1)"  # not first in the cell: no formula
    export = AuditEvent.objects.get(event="audit.export")
    assert (export.username, export.details["rows"], export.details["filters"]) == (
        "admin",
        "1",
        "ip=10.0.0.3",
    )


def test_the_export_is_for_administrators_only(client_as, events):
    url = reverse("admin:audit_auditevent_export")
    assert client_as(Role.STAFF).get(url).status_code == 403
    assert not AuditEvent.objects.filter(event="audit.export").exists()


def test_nobody_changes_or_deletes_a_row_in_the_admin(client_as, events):
    client = client_as(Role.ADMIN)
    row = events[1]
    change = client.get(reverse("admin:audit_auditevent_change", args=[row.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    delete = reverse("admin:audit_auditevent_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert AuditEvent.objects.filter(pk=row.pk).exists()
