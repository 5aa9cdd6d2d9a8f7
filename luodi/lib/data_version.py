"""The version of the records the figures count, and the cache of figures keyed by it.

The dashboard, the statistics page and the statistics API read figures over every completed
enrolment; computed on each request they cost time in proportion to the data. Instead each
figure is computed once per *data version* and kept in the shared cache (``CACHES["shared"]``,
seen by every worker and every machine). Any write to a model the figures count (``COUNTED``,
declared by ``reports``) makes a new version, so a figure is never served from records that have
since changed:

- a model instance saved or deleted: the ``post_save``/``post_delete`` signals (``loaddata`` and
  cascading deletes included);
- a bulk write (``update``, ``bulk_create``, ``bulk_update``): ``CountedQuerySet``, the base of
  those models' QuerySets;
- a write outside the ORM (a bulk ``COPY``): the writer calls ``bump``.

The version is written twice: at once, inside the writer's transaction (with the database cache
it commits or rolls back with the records), and again after the commit (with a cache outside the
database, such as Redis, a reader could otherwise store figures of the old records under the new
version between the bump and the commit). ``manage.py check_figures`` recomputes the cached
figures from the records and reports any difference.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import connection, models, transaction
from django.utils import timezone, translation

from luodi.lib import replica

CACHE = "shared"
# Sorts after the figures' keys ("luodi:figure:…"), which the database cache culls first; if
# it is culled all the same, a new version is made: figures computed again, never stale ones.
VERSION_KEY = "luodi:version"
# A figure computed for a version is kept this long at most (and is unreachable as soon as the
# version changes): a bound on staleness should a bump ever be lost with a crashed process.
TTL_SECONDS = 6 * 3600

T = TypeVar("T")
_MISSING = object()
_bypass = contextvars.ContextVar("luodi_figures_uncached", default=False)
# Per thread, as the database connection is: a figure was cached since this thread's last bump.
_state = threading.local()


@contextlib.contextmanager
def uncached() -> Iterator[None]:
    """Within this block figures are computed from the records, the cache neither read nor
    written (``check_figures``; tests of the figures' own queries)."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def current() -> str:
    """The present data version (a new one is made if the cache has none)."""
    version = caches[CACHE].get(VERSION_KEY)
    return version if version is not None else _write()


def _write() -> str:
    version = uuid.uuid4().hex
    caches[CACHE].set(VERSION_KEY, version, None)
    return version


# Called once the records' change is committed (``reports`` warms the figures again).
after_change: list[Callable[[], None]] = []


def _after_commit() -> None:
    _write()
    for hook in after_change:
        hook()


def bump() -> None:
    """The counted records changed: figures computed before are no longer served.

    Within one transaction the version is written once, unless a figure was cached since (the
    figure may have been computed in this same transaction, before the write)."""
    if not connection.in_atomic_block:  # committed already: one write
        _after_commit()
        return
    pending = any(hook[1] is _after_commit for hook in connection.run_on_commit)
    if pending and not getattr(_state, "cached_since_bump", False):
        return
    _state.cached_since_bump = False
    _write()
    transaction.on_commit(_after_commit, robust=True)


def cached(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or its value kept for this data version, day and language.

    ``parts`` name the arguments (ids, years, flags); figures that depend on today (the
    current year, new secretaries still within their half year) are kept per day."""
    if _bypass.get():
        return compute()
    # The version, the kept figure and the records all read from the reports database (the
    # read replica if there is one, ``lib.replica``): one replayed state, so a lagging replica
    # keeps its figures under the version it has, never under a newer one.
    with replica.reports():
        key = ":".join(
            [
                "luodi:figure",
                current(),
                timezone.localdate().isoformat(),
                translation.get_language() or "",
                name,
                *(_part(p) for p in parts),
            ]
        )
        store = caches[CACHE]
        value = store.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            store.set(key, value, TTL_SECONDS)
            _state.cached_since_bump = True
    return value


def _part(value: Any) -> str:
    if isinstance(value, models.Model):
        return f"{type(value).__name__}{value.pk}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            "(" + ",".join(_part(getattr(value, f.name)) for f in dataclasses.fields(value)) + ")"
        )
    return "-" if value is None else str(value)


def figure(fn: Callable[..., T]) -> Callable[..., T]:
    """Keep ``fn``'s value per data version (``cached``), keyed by its arguments (model
    instances by id, dataclasses field by field). ``fn.__wrapped__`` computes afresh."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        parts = (*args, *(f"{k}={_part(v)}" for k, v in sorted(kwargs.items())))
        return cached(name, parts, lambda: fn(*args, **kwargs))

    return wrapper


class CountedQuerySet(models.QuerySet):
    """The QuerySet of a model the figures count: bulk writes make a new data version."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            bump()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump()
        return created

    # ``bulk_update`` and ``delete`` go through ``update`` and the deletion signals.


def counted_write_receiver(sender, **kwargs) -> None:
    """``post_save``/``post_delete`` receiver for the counted models."""
    bump()


def counted_links_receiver(sender, action: str = "", **kwargs) -> None:
    """``m2m_changed`` receiver for the links of the counted models: once they changed."""
    if action.startswith("post_"):
        bump()


def migrated_receiver(sender, **kwargs) -> None:
    """``post_migrate`` receiver (``migrate``; ``flush``, which empties the tables but not the
    cache's): a new version, nothing warmed (no worker may be running yet)."""
    _write()
