"""The check behind ``manage.py check_figures``: every cached figure (``stats``'s ``@figure``
functions) as it is served, against the same figure recomputed from the records.

A difference means a write reached the counted records without making a new data version
(``lib.data_version``): a bulk write outside the ORM, say, that forgot ``bump``."""

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from luodi.lib import data_version
from luodi.regions.models import Region
from luodi.reports import stats, work
from luodi.reports.stats import Scope
from luodi.research import selectors as research_selectors
from luodi.training.models import TrainingClass


@dataclass(frozen=True)
class Difference:
    figure: str
    scope: Scope
    served: object
    records: object

    def __str__(self) -> str:
        return (
            f"{self.figure} ({self.scope.years_text}, {self.scope.city or '全省'}): "
            f"served {self.served!r}, the records give {self.records!r}"
        )


def scopes(*, every: bool = False) -> Iterator[Scope]:
    """The scopes the pages ask for most: all years and each year for the province, all years
    for each city; with ``every``, each year for each city too."""
    years = list(TrainingClass.objects.years())
    cities = list(Region.objects.cities())
    yield Scope()
    for year in years:
        yield Scope(first=year, last=year)
    for city in cities:
        yield Scope(city=city)
        if every:
            for year in years:
                yield Scope(first=year, last=year, city=city)


def figures_of(scope: Scope) -> Iterator[tuple[str, Callable[[], object]]]:
    """Each cached figure of ``scope``, named, as a call."""
    yield "figures", lambda: stats.figures(scope)
    for by in stats.BREAKDOWNS:
        yield f"breakdown by {by}", functools.partial(stats.breakdown, scope, by)
    year = scope.first if scope.is_one_year else None
    yield "by city", lambda: stats.by_city(year=year, city=scope.city)
    yield "coverage", lambda: stats.coverage(scope)
    yield "returning trainees", lambda: stats.returning_trainees(scope)
    yield "hours compliance", lambda: stats.hours_compliance(scope)
    yield "new secretaries", lambda: stats.new_secretaries_trained(scope)
    yield "teaching load", lambda: stats.teaching_load(scope)
    if scope == Scope():  # college-wide only: the to-do list's and the research summary
        yield "certificates due per class", work.certificates_due
        yield "research summary", research_selectors.summary


@dataclass(frozen=True)
class CheckResult:
    checked: int
    differences: list[Difference]


def check(*, every: bool = False) -> CheckResult:
    """Compare each figure served (from the cache, or computed and cached now) with the
    records'."""
    checked, differences = 0, []
    for scope in scopes(every=every):
        for name, call in figures_of(scope):
            served = call()
            with data_version.uncached():
                records = call()
            checked += 1
            if served != records:
                differences.append(Difference(name, scope, served, records))
    return CheckResult(checked=checked, differences=differences)
