"""Database triggers that keep the audit tables append-only, whatever SQL reaches them.

Both audit tables (our ``audit_auditevent`` and django-auditlog's ``auditlog_logentry``)
refuse every UPDATE, but one: setting the user to NULL when that user is deleted (the
foreign key's ON DELETE SET NULL; the username, or auditlog's actor e-mail, stays). They refuse
DELETE of rows younger than ``MINIMUM_RETENTION_DAYS``, so only ``manage.py purge_audit``
removes rows, and only old ones. PostgreSQL and SQLite; other databases get no triggers.

A database superuser, or the role that owns the tables, can still drop a trigger: keeping the
log out of the application's reach entirely takes a database role that does not own them
(docs/security.md, "The audit log").
"""

from dataclasses import dataclass

MINIMUM_RETENTION_DAYS = 180


@dataclass(frozen=True)
class Guarded:
    table: str
    time_column: str
    user_column: str  # the one column an UPDATE may change, and only to NULL


TABLES = (
    Guarded("audit_auditevent", "at", "user_id"),
    Guarded("auditlog_logentry", "timestamp", "actor_id"),
)

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION luodi_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    user_column text := TG_ARGV[0];
    time_column text := TG_ARGV[1];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (to_jsonb(NEW) - user_column) = (to_jsonb(OLD) - user_column)
                AND (to_jsonb(NEW) -> user_column) = 'null'::jsonb THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'The audit log is append-only: UPDATE of % refused.', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (to_jsonb(OLD) ->> time_column)::timestamptz
            > now() - interval '{MINIMUM_RETENTION_DAYS} days' THEN
        RAISE EXCEPTION 'The audit log is append-only: rows of % younger than % days '
            'cannot be deleted.', TG_TABLE_NAME, {MINIMUM_RETENTION_DAYS}
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END
$$;
"""


def _table_exists(connection, table: str) -> bool:
    with connection.cursor() as cursor:
        return table in connection.introspection.table_names(cursor)


def _columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _sqlite_statements(connection, guarded: Guarded) -> list[str]:
    t, q = guarded.table, connection.ops.quote_name
    others = ", ".join(q(c) for c in _columns(connection, t) if c != guarded.user_column)
    refuse_update = f"SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE of {t} refused.')"
    refuse_delete = (
        "SELECT RAISE(ABORT, 'The audit log is append-only: rows of "
        f"{t} younger than {MINIMUM_RETENTION_DAYS} days cannot be deleted.')"
    )
    # Django keeps datetimes in SQLite as UTC text, 'YYYY-MM-DD HH:MM:SS.ffffff'.
    cutoff = f"strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MINIMUM_RETENTION_DAYS} days')"
    return [
        f"CREATE TRIGGER {t}_no_update BEFORE UPDATE OF {others} ON {q(t)} "
        f"BEGIN {refuse_update}; END",
        f"CREATE TRIGGER {t}_no_update_user BEFORE UPDATE OF {q(guarded.user_column)} "
        f"ON {q(t)} WHEN NEW.{q(guarded.user_column)} IS NOT NULL BEGIN {refuse_update}; END",
        f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {q(t)} "
        f"WHEN OLD.{q(guarded.time_column)} > {cutoff} BEGIN {refuse_delete}; END",
    ]


def _drop_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"']
    return [
        f"DROP TRIGGER IF EXISTS {table}_{n}" for n in ("no_update", "no_update_user", "no_delete")
    ]


def install(connection) -> None:
    """(Re)create the triggers on every audit table that exists."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for guarded in TABLES:
            if not _table_exists(connection, guarded.table):
                continue
            for sql in _drop_statements(connection.vendor, guarded.table):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE TRIGGER {guarded.table}_append_only "
                    f'BEFORE UPDATE OR DELETE ON "{guarded.table}" '
                    f"FOR EACH ROW EXECUTE FUNCTION luodi_append_only("
                    f"'{guarded.user_column}', '{guarded.time_column}')"
                )
            else:
                for sql in _sqlite_statements(connection, guarded):
                    cursor.execute(sql)


def remove(connection) -> None:
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        for guarded in TABLES:
            if _table_exists(connection, guarded.table):
                for sql in _drop_statements(connection.vendor, guarded.table):
                    cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS luodi_append_only()")


def reinstall_after_migrate(sender, using, **kwargs) -> None:
    from django.db import connections

    install(connections[using])
