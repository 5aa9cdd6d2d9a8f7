"""Reports read from a read replica, when the deployment has one (``LUODI_REPLICA_URL``).

The statistics, the dashboard and the report documents scan every completed enrolment; on a
province's database those scans belong on a replica (PostgreSQL streaming replication), not on
the primary that takes the 8:30 check-ins. A view or task marks its work with ``reports()``
(a decorator or a ``with`` block); inside it, every ORM read goes to
``settings.LUODI_REPORTS_DATABASE`` and every write still to the primary.

Why the figures stay right: the figures' cache (``lib.data_version``) is the database cache,
and Django's database cache reads through the routers too. Inside ``reports()`` the data version
is therefore read from the replica, from the same replayed state as the records the figure is
computed from (the version is written in the same transaction as the records it stands for).
A figure computed on a replica that lags is kept under the version the replica had, which is
no longer the current one once the replica catches up: a lag shows as figures a few seconds
old, never as figures kept wrongly.

Outside ``reports()`` nothing changes: without a replica the alias is ``default``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

_reading = contextvars.ContextVar("luodi_reports_replica", default=False)


@contextlib.contextmanager
def reports() -> Iterator[None]:
    """``with reports():`` or ``@reports()``: ORM reads inside go to the reports database."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReportsRouter:
    """Reads inside ``reports()`` to the reports database; everything else to the default."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reading.get():
            return settings.LUODI_REPORTS_DATABASE
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # A record read from the replica is the primary's record: they may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica replays the primary's schema; nothing is migrated on it directly.
        return db == DEFAULT_DB_ALIAS
