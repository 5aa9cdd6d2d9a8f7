"""A read replica for reports (``lib.replica``, ``LUODI_REPLICA_URL``): the figures read from
it, writes never do, and a replica that lags serves its own state under its own data version."""

import contextlib
import sqlite3

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from luodi.lib import replica
from luodi.regions.models import Community
from luodi.reports import stats
from luodi.reports.stats import Scope
from luodi.training.models import Enrolment, EnrolmentStatus


@pytest.fixture
def replica_alias(settings, tmp_path):
    """The ``replica`` database (the root conftest's mirror of the test database), read by the
    reports as with ``LUODI_REPLICA_URL``.

    On SQLite it is made a copy of the test database, taken again when ``catch_up()`` is called:
    a replica that lags until then. On PostgreSQL it stays a second connection to the same
    database (a replica without lag)."""
    default, copy = connections["default"], connections["replica"]
    name = copy.settings_dict["NAME"]
    sqlite = default.vendor == "sqlite"

    def catch_up():
        if sqlite:
            copy.close()
            default.ensure_connection()
            with contextlib.closing(sqlite3.connect(tmp_path / "replica.sqlite3")) as target:
                default.connection.backup(target)
            copy.settings_dict["NAME"] = str(tmp_path / "replica.sqlite3")

    catch_up()
    settings.LUODI_REPORTS_DATABASE = "replica"
    yield catch_up
    copy.close()
    copy.settings_dict["NAME"] = name


def test_the_router_sends_reads_inside_reports_and_writes_always_to_the_primary(settings):
    settings.LUODI_REPORTS_DATABASE = "replica"
    assert router.db_for_read(Enrolment) == "default"
    with replica.reports():
        assert router.db_for_read(Enrolment) == "replica"
        assert router.db_for_write(Enrolment) == "default"
    assert router.db_for_read(Enrolment) == "default"
    assert router.allow_migrate("replica", "training") is False
    assert router.allow_migrate("default", "training") is True


def test_without_a_replica_reports_read_the_primary(settings):
    assert settings.LUODI_REPORTS_DATABASE == "default"  # no LUODI_REPLICA_URL
    with replica.reports():
        assert router.db_for_read(Enrolment) == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_figures_read_the_replica_and_a_lagging_one_keeps_its_own_version(
    college, replica_alias
):
    scope = Scope()
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        assert stats.figures(scope).person_times == 4
    primary_sql = " ".join(q["sql"] for q in on_primary.captured_queries)
    replica_sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "training_enrolment" in replica_sql
    assert "training_enrolment" not in primary_sql
    assert "luodi_shared_cache" in primary_sql  # the figure kept: a write, on the primary

    Enrolment.objects.filter(training_class=college.finished).update(
        status=EnrolmentStatus.NOT_COMPLETED
    )
    if connections["default"].vendor == "sqlite":
        # The replica has not replayed the change: it serves its own state...
        assert stats.figures(scope).person_times == 4
        replica_alias()  # ...until it catches up, with the new records and their version
    assert stats.figures(scope).person_times == 0
    assert Community.objects.using("replica").count() == Community.objects.count()
