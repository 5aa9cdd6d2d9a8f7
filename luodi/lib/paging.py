"""Pagination for list pages: the database pages first, then the page's extra figures.

A list's rows are a plain QuerySet (filters and order, no aggregates): counting it and taking
one page of it touches no other table. The extra columns (counts, sums) are a list's
``extras``, a QuerySet -> QuerySet annotation applied to the page's ids only
(``with_extras``), so their cost is that of the page, not of the table.

Counting stops at ``COUNT_LIMIT`` rows (``CappedPaginator``; the API's lists do the same):
past it a list reads "more than 10000 records" and pages on by "Next" without a last page. An
exact count of a province's 600k cadres cost more than the page's rows."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, QuerySet
from django.utils.functional import cached_property

M = TypeVar("M", bound=Model)

# Annotates a QuerySet with a list's extra columns (e.g. ``cadre_count=Count("cadres")``).
Extras = Callable[[QuerySet[Any]], QuerySet[Any]]


COUNT_LIMIT = 10_000
MAX_PAGE = 100_000  # as the API's ``page`` parameter


def capped_count(rows: QuerySet[Any], limit: int = COUNT_LIMIT) -> int:
    """How many rows ``rows`` holds, counted up to ``limit + 1`` (the database stops there: a
    LIMIT in a subquery); more than ``limit`` means "too many to count"."""
    return rows.order_by()[: limit + 1].count()


class CappedPage(Page):
    """A page of a list counted past ``COUNT_LIMIT``: whether there is a next page is known
    from one row read beyond the page."""

    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class CappedPaginator(Paginator):
    """A ``Paginator`` whose count stops at ``COUNT_LIMIT`` (the database stops there: a LIMIT
    in a subquery). Past it ``capped`` is true, ``count`` is ``COUNT_LIMIT + 1``, any page
    number may be asked and a page past the end falls back to the last one, counted exactly."""

    limit = COUNT_LIMIT
    counted_all = False  # set once every row was counted (a page past the end)

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        return capped_count(rows, self.limit)

    @property
    def capped(self) -> bool:
        return not self.counted_all and self.count > self.limit

    def get_page(self, number) -> Page:
        if not self.capped:
            return super().get_page(number)
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        assert isinstance(queryset, QuerySet)  # only a QuerySet's count is capped  # nosec B101
        # A page number beyond any list (a hostile one would overflow the database's OFFSET)
        # is past the end, as an empty page is.
        far = number > MAX_PAGE
        rows = [] if far else list(queryset[bottom : bottom + self.per_page + 1])
        if not rows:  # past the end: count them all, and show the last page
            self.__dict__["count"], self.counted_all = queryset.count(), True
            self.__dict__.pop("num_pages", None)
            return super().get_page(number)
        more = len(rows) > self.per_page
        return CappedPage(rows[: self.per_page], number, self, more=more)


def paginate(request, queryset, per_page: int | None = None, extras: Extras | None = None) -> Page:
    """The requested page of ``queryset`` (two queries whatever the table's size), and a
    third for the page's ``extras`` when the list has some."""
    paginator = CappedPaginator(queryset, per_page or settings.LUODI_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if extras is not None:
        page.object_list = with_extras(list(page.object_list), extras)
    return page


def with_extras(rows: Sequence[M], extras: Extras | None) -> list[M]:
    """``rows`` with the annotations ``extras`` adds set on each of them, computed in one
    query over these rows' ids only (none when there are no rows)."""
    rows = list(rows)
    if extras is None or not rows:
        return rows
    model = type(rows[0])
    annotated = extras(model._default_manager.filter(pk__in=[r.pk for r in rows]))
    names = list(annotated.query.annotations)
    figures = {values[0]: values[1:] for values in annotated.order_by().values_list("pk", *names)}
    for row in rows:
        for name, value in zip(names, figures[row.pk], strict=True):
            setattr(row, name, value)
    return rows


def grouped_window(
    rows: QuerySet[Any],
    group: str,
    groups: QuerySet[Any],
    order: Sequence[str],
    start: int,
    stop: int,
) -> list[Any]:
    """Rows ``start:stop`` of ``rows`` in ``order``, a list sorted by its group first (a
    class, a session: the column ``group`` of ``rows``, the order of the ``groups``
    QuerySet) without sorting the whole table: walks the groups in order, counting their
    rows batch by batch (an index lookup per group, batches doubling), until the window is
    covered, then reads the window from those groups only. A page costs the rows before it."""
    reached: list[int] = []  # the groups holding the window's rows
    seen = before = 0  # rows counted so far; rows before the first group reached
    size, position = 64, 0
    while seen < stop:
        batch = list(groups.values_list("pk", flat=True)[position : position + size])
        if not batch:
            break
        position, size = position + size, size * 2
        counts = dict(
            rows.filter(**{f"{group}__in": batch})
            .order_by()
            .values_list(group)
            .annotate(n=Count("pk"))
        )
        for group_id in batch:
            n = counts.get(group_id, 0)
            if n and seen + n > start:
                if not reached:
                    before = seen
                reached.append(group_id)
            seen += n
            if seen >= stop:
                break
    if not reached:
        return []
    window = rows.filter(**{f"{group}__in": reached}).order_by(*order)
    return list(window[start - before : stop - before])


def query_without_page(request) -> str:
    """The current filters as a query string, for building page links that keep them."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
