"""Triggers that keep the audit tables append-only (PostgreSQL and SQLite; see
luodi/audit/triggers.py). Other databases get none."""

from django.db import migrations


def install(apps, schema_editor):
    from luodi.audit import triggers

    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from luodi.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_event"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(install, remove)]
