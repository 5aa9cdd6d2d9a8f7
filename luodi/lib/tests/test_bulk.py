"""Rows written as tuples (``lib.bulk.insert_rows``): every row lands once, with its values,
whether it fills a statement of many rows or is one of the rest."""

import pytest
from django.db import connection
from django.utils import timezone

from luodi.lib import bulk
from luodi.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db


def province_rows(count: int) -> list[tuple]:
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    return [(stamp, stamp, f"{100000 + n}", f"省{n}", RegionLevel.PROVINCE) for n in range(count)]


@pytest.mark.parametrize("count", [1, 99, 100, 101, 250])
def test_every_row_is_written_once_with_its_values(count):
    rows = province_rows(count)

    bulk.insert_rows(Region, "created_at updated_at code name level", rows)

    written = list(Region.objects.filter(code__gte="100000").values_list("code", "name", "level"))
    assert sorted(written) == sorted((code, name, level) for *_, code, name, level in rows)


def test_blank_columns_are_written_as_empty_text(monkeypatch):
    # Statements of 3 rows: 7 rows make two whole statements and one row left over.
    monkeypatch.setattr(bulk, "ROWS_PER_INSERT", 3)
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(stamp, stamp, f"{200000 + n}", RegionLevel.PROVINCE) for n in range(7)]

    bulk.insert_rows(Region, "created_at updated_at code level", rows, blank="name")

    names = list(Region.objects.filter(code__gte="200000").values_list("name", flat=True))
    assert names == [""] * 7
