"""Figures computed again in the background once the records change, so that the first
person to open the dashboard after a class's results are decided does not wait for them.

A change schedules one run of ``warm_figures`` (however many changes follow before it starts);
it computes, through the cache, the figures the pages ask for most (``figure_check.scopes``)."""

from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django_tasks import task

from luodi.lib import data_version

QUEUED = "luodi:figures-warm-queued"


def schedule() -> None:
    """Queue a warming run unless one is queued already (``LUODI_WARM_FIGURES``)."""
    if settings.LUODI_WARM_FIGURES and caches[data_version.CACHE].add(QUEUED, 1, timeout=900):
        warm_figures.enqueue()


@task()
def warm_figures() -> int:
    """Compute and keep the most asked-for figures of the present data version; returns how
    many. A change made while this runs queues the next run."""
    from luodi.reports.figure_check import figures_of, scopes

    caches[data_version.CACHE].delete(QUEUED)
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for scope in scopes():
            for _name, call in figures_of(scope):
                call()
                count += 1
    return count
