"""Rows written in bulk as plain tuples, without a model instance per row.

``bulk_create`` builds an instance per row and prepares every field of it: about 0.1–0.3 ms a
row here, minutes for the million rows of a province's history (results, certificates and their
history entries). Callers that write that many compute each row's database values once, with the
fields' own ``get_db_prep_save``, and hand the tuples to ``insert_rows``.
"""

from itertools import chain

from django.db import connection, models

from luodi.lib import data_version

# Rows per INSERT on SQLite: one statement for many rows costs a third less a row than one for
# each (bench: 2.6 against 3.8 µs an attendance row), within the parameters a statement takes.
ROWS_PER_INSERT = 100


def insert_rows(
    model: type[models.Model],
    columns: str,
    rows: list[tuple],
    blank: str = "",
) -> None:
    """Insert database-ready tuples: ``executemany`` of INSERTs of many rows each, or on
    PostgreSQL ``COPY``.
    ``columns`` names model fields and ``blank`` names text fields written as empty strings in
    every row. No signal is sent: callers record history themselves (``lib.history``); rows of
    a model the figures count make a new data version (``lib.data_version``), as its
    QuerySet's bulk writes do."""
    if not rows:
        return
    if isinstance(model._default_manager.all(), data_version.CountedQuerySet):
        data_version.bump()
    qn = connection.ops.quote_name
    fields = columns.split() + blank.split()
    names = ", ".join(qn(_column(model, c)) for c in fields)
    table = qn(model._meta.db_table)
    if connection.vendor == "postgresql":
        # COPY takes the rows in one stream, several times faster than INSERTs; psycopg adapts
        # each value as it would a parameter. Names come from the models, quoted.
        blanks = ("",) * len(blank.split())
        sql = f"COPY {table} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + blanks)
        return
    width = len(columns.split())
    values = "(" + ", ".join(["%s"] * width + ["''"] * len(blank.split())) + ")"
    limit = connection.features.max_query_params or ROWS_PER_INSERT * width  # None: no limit
    per = max(1, min(ROWS_PER_INSERT, limit // width))
    whole = len(rows) - len(rows) % per  # rows that fill statements of ``per`` rows
    # Table and column names come from the models, quoted; the values are parameters.
    sql = f"INSERT INTO {table} ({names}) VALUES "  # nosec B608
    with connection.cursor() as cursor:
        if whole:
            flat = [tuple(chain.from_iterable(rows[i : i + per])) for i in range(0, whole, per)]
            cursor.executemany(sql + ", ".join([values] * per), flat)
        if whole < len(rows):
            cursor.executemany(sql + values, rows[whole:])


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field.column
