"""The audit tables are append-only: the application cannot change or delete a row, the
database refuses UPDATE and the DELETE of recent rows (on SQLite and PostgreSQL alike), and
``purge_audit`` deletes only rows past the retention, never with fewer than 180 days."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from luodi.accounts.models import Role, User
from luodi.audit.models import AppendOnlyError, AuditEvent
from luodi.lib import audit

pytestmark = pytest.mark.django_db


def _event(**kw):
    return AuditEvent.objects.create(event=kw.pop("event", "test.event"), **kw)


def _sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_model_refuses_to_change_or_delete_a_row():
    row = _event()
    row.event = "test.other"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).update(event="test.other")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update marks it broken
        AuditEvent.objects.bulk_update([row], ["event"])
    assert AuditEvent.objects.get(pk=row.pk).event == "test.event"


def test_the_database_refuses_update_of_any_column():
    row = _event(username="admin", ip="10.0.0.1")
    for column, value in [("event", "x"), ("username", "x"), ("ip", "x"), ("outcome", "x")]:
        with pytest.raises(DatabaseError, match="append-only"):
            _sql(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [value, row.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("UPDATE audit_auditevent SET at = %s WHERE id = %s", [timezone.now(), row.pk])
    assert AuditEvent.objects.get(pk=row.pk).event == "test.event"


def test_the_database_refuses_pointing_a_row_at_another_user(users):
    row = _event(user=users[Role.STAFF], username="staff")
    with pytest.raises(DatabaseError, match="append-only"):
        _sql(
            "UPDATE audit_auditevent SET user_id = %s WHERE id = %s",
            [users[Role.ADMIN].pk, row.pk],
        )


def test_the_database_refuses_to_delete_a_recent_row():
    row = _event(at=timezone.now() - timedelta(days=179))
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_the_database_lets_a_row_past_the_retention_be_deleted():
    old = _event(at=timezone.now() - timedelta(days=181))
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [old.pk])
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_deleting_a_user_keeps_their_events_under_their_name(users):
    user = User.objects.create_user(username="leaving", password="x-long-password-1")
    audit.record("test.event", by=user)
    user.delete()
    row = AuditEvent.objects.get(event="test.event")
    assert (row.user, row.username) == (None, "leaving")


def test_the_change_history_is_append_only_too(college):
    cadre = college.cadres_dalian[0]
    cadre.post = "deputy_secretary"
    cadre.save()
    entry = LogEntry.objects.get_for_object(cadre).first()
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("UPDATE auditlog_logentry SET object_repr = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_purge_deletes_only_rows_older_than_the_days_asked():
    old = _event(at=timezone.now() - timedelta(days=400))
    middle = _event(at=timezone.now() - timedelta(days=200))
    recent = _event(at=timezone.now() - timedelta(days=1))
    call_command("purge_audit", "--days", "365")
    assert set(AuditEvent.objects.filter(event="test.event")) == {middle, recent}
    call_command("purge_audit")  # the retention: 180 days
    assert set(AuditEvent.objects.filter(event="test.event")) == {recent}
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    purges = AuditEvent.objects.filter(event="audit.purge")
    assert sorted(p.details["count"] for p in purges) == ["1", "1"]


def test_the_purge_refuses_fewer_days_than_the_retention(settings):
    row = _event(at=timezone.now() - timedelta(days=179))
    with pytest.raises(CommandError, match="at least 180 days"):
        call_command("purge_audit", "--days", "179")
    settings.LUODI_AUDIT_RETENTION_DAYS = 365
    with pytest.raises(CommandError, match="at least 365 days"):
        call_command("purge_audit", "--days", "200")
    settings.LUODI_AUDIT_RETENTION_DAYS = 30  # never below the legal minimum
    with pytest.raises(CommandError, match="at least 180 days"):
        call_command("purge_audit", "--days", "30")
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_the_purge_deletes_old_change_history(college):
    cadre = college.cadres_dalian[0]
    cadre.post = "deputy_secretary"
    cadre.save()
    entries = LogEntry.objects.count()
    # An entry written long ago (the trigger lets nobody back-date one, so insert it so).
    old = LogEntry.objects.get_for_object(cadre).first()
    ancient = LogEntry.objects.create(
        content_type=old.content_type,
        object_pk=old.object_pk,
        object_repr=old.object_repr,
        action=old.action,
        changes=old.changes,
        timestamp=timezone.now() - timedelta(days=400),
    )
    call_command("purge_audit")
    assert LogEntry.objects.count() == entries
    assert not LogEntry.objects.filter(pk=ancient.pk).exists()
