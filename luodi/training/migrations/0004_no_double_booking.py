"""Schema: a teacher cannot be in two sessions at once, nor a venue hold two sessions at once,
across all classes — enforced by the database itself.

PostgreSQL: exclusion constraints over the session's time range (needs the btree_gist
extension, created here; on a managed database an administrator may have to allow it).
SQLite: triggers that abort an overlapping insert or update.
"""

from django.db import migrations

RANGE = "tsrange(date + start_time, date + end_time)"
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE training_session ADD CONSTRAINT session_teacher_no_overlap
        EXCLUDE USING gist (teacher_id WITH =, {RANGE} WITH &&) WHERE (teacher_id IS NOT NULL)""",
    f"""ALTER TABLE training_session ADD CONSTRAINT session_venue_no_overlap
        EXCLUDE USING gist (venue WITH =, {RANGE} WITH &&) WHERE (venue <> '')""",
]
PG_BACKWARD = [
    "ALTER TABLE training_session DROP CONSTRAINT IF EXISTS session_teacher_no_overlap",
    "ALTER TABLE training_session DROP CONSTRAINT IF EXISTS session_venue_no_overlap",
]

_OVERLAP = """EXISTS (SELECT 1 FROM training_session s WHERE s.{col} = NEW.{col}
    AND s.date = NEW.date AND s.start_time < NEW.end_time AND NEW.start_time < s.end_time
    {same_row})"""
_TRIGGER = """CREATE TRIGGER {name}_{event} BEFORE {event} ON training_session
WHEN {guard} AND {overlap}
BEGIN SELECT RAISE(ABORT, '{name}'); END"""


def _sqlite_triggers():
    for name, col, guard in [
        ("session_teacher_no_overlap", "teacher_id", "NEW.teacher_id IS NOT NULL"),
        ("session_venue_no_overlap", "venue", "NEW.venue <> ''"),
    ]:
        for event, same_row in [("INSERT", ""), ("UPDATE", "AND s.id <> NEW.id")]:
            overlap = _OVERLAP.format(col=col, same_row=same_row)
            yield name, event, _TRIGGER.format(name=name, event=event, guard=guard, overlap=overlap)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        for _name, _event, sql in _sqlite_triggers():
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        for name, event, _sql in _sqlite_triggers():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")


class Migration(migrations.Migration):
    dependencies = [("training", "0003_recount_seats")]

    operations = [migrations.RunPython(forward, backward)]
