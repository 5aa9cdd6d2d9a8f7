"""A bulk load's indexes (``indexes_built_after``): gone while the rows go in, the same ones
back afterwards, and back untouched when the load fails."""

import pytest
from django.db import connection, transaction

from luodi.cadres.models import Cadre
from luodi.demo.common import indexes_built_after
from luodi.training.models import Enrolment

pytestmark = pytest.mark.django_db


def indexes(model) -> dict[str, tuple]:
    """Name → (columns, unique) of each index on the model's table."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: (tuple(c["columns"]), c["unique"])
        for name, c in found.items()
        if c["index"] or c["unique"]
    }


def test_the_secondary_indexes_are_dropped_during_the_load_and_created_again():
    before = {model: indexes(model) for model in (Cadre, Enrolment)}
    assert len(before[Cadre]) >= 4

    with indexes_built_after([Cadre, Enrolment]):
        during = {model: indexes(model) for model in (Cadre, Enrolment)}

    for model in (Cadre, Enrolment):
        # What stays is the table's own checks: its key and its unique columns.
        assert set(during[model]) < set(before[model])
        assert all(unique for _columns, unique in during[model].values())
        assert indexes(model) == before[model]


def test_a_failed_load_leaves_the_indexes_as_they_were():
    before = indexes(Cadre)

    with (
        pytest.raises(RuntimeError, match="the load failed"),
        transaction.atomic(),
        indexes_built_after([Cadre]),
    ):
        raise RuntimeError("the load failed")

    assert indexes(Cadre) == before
