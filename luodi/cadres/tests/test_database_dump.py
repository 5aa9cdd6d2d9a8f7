"""Quality bar 5: a database dump contains no plain ID or phone number, nor a long part of one."""

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.db import connection

from luodi.cadres.models import Cadre
from luodi.faculty.models import Teacher


def _every_value() -> str:
    """Every column of every row of every table, as text (works on any database)."""
    quote = connection.ops.quote_name
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            parts += ["|".join(map(str, row)) for row in cursor.fetchall()]
    return "\n".join(parts)


def _dump() -> str:
    text = _every_value()
    if connection.vendor == "sqlite":
        text += "\n".join(connection.connection.iterdump())
    elif connection.vendor == "postgresql" and shutil.which("pg_dump"):
        s = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": s["PASSWORD"] or ""}
        args = ["pg_dump", "-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432)]
        args += ["-U", s["USER"], "-d", s["NAME"]]
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
        text += done.stdout
    return text


def _pieces(number: str, width: int = 8) -> set[str]:
    return {number[i : i + width] for i in range(len(number) - width + 1)}


@pytest.mark.django_db(transaction=True)  # committed, so that pg_dump sees the rows
def test_a_database_dump_holds_no_id_or_phone_number(college, make):
    community = college.communities_dalian[0]
    make.cadre(
        community,
        id_number="210203198507152317",
        phone="15840981234",
        gender="M",
        birth_date=dt.date(1985, 7, 15),
    )
    make.cadre(
        community,
        id_number="210211199002286445",
        phone="18604117788",
        gender="F",
        birth_date=dt.date(1990, 2, 28),
    )
    Teacher.objects.filter(pk=college.teacher.pk).update(phone="13544445555")
    numbers = [n for c in Cadre.objects.all() for n in (c.id_number, c.phone)]
    numbers += [t.phone for t in Teacher.objects.all() if t.phone]
    assert len(numbers) > 10
    assert "210211199002286445" in numbers
    assert "13544445555" in numbers
    dump = _dump()
    assert Cadre.objects.first().name in dump  # the dump is real: it holds the other columns
    leaked = sorted({piece for n in numbers for piece in _pieces(n) if piece in dump})
    assert leaked == []
