"""``flush`` empties every table, the audit log too (the test suite flushes between
transactional tests). PostgreSQL's flush truncates, which the append-only row triggers do not
see; SQLite's deletes row by row, so the triggers are lifted for it and put back after."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from luodi.audit import triggers


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        triggers.remove(connection)
        try:
            return super().handle(**options)
        finally:
            triggers.install(connection)
