"""What every API list and refusal shares: one page envelope and one error body.

Every list answers ``{"count", "page", "pages", "next", "previous", "items"}``: ``count`` is the
total number of rows the filters match, ``next``/``previous`` the path of the neighbouring page
(with the same filters) or null. Two queries per page, count and rows, whatever the table's size
(plus one per prefetched relation, and one for a list's extra figures, on the page's rows).

Counting stops at ``COUNT_LIMIT`` (``lib.paging``'s, as the pages' lists do): past it
``count`` and ``pages`` are null and ``next`` says whether there is more (as GitLab's API
leaves out its totals past 10,000 rows). An exact count of a province's 14 million attendance
marks cost 0.8 s on PostgreSQL on every page asked; a count that stops costs the same at any
size.
"""

import functools
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from django.http import HttpRequest
from ninja import Field, Path, Schema

from luodi.lib.paging import COUNT_LIMIT, MAX_PAGE, Extras, capped_count, with_extras
from luodi.lib.params import MAX_ID

T = TypeVar("T")

# A record's id in a path: a number that cannot be a key is a 422 in JSON, never a page's 404.
PK = Annotated[int, Path(ge=1, le=MAX_ID)]

PER_PAGE = 50
MAX_PER_PAGE = 200


class ErrorOut(Schema):
    """Why a request was refused: a sentence, or (422) ninja's list of invalid fields."""

    detail: str | list[dict[str, Any]]


# Every answer an operation can give besides its 200: no login or an unusable token (401), a
# role or token that may not (403), a query parameter out of range (422).
REFUSALS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
# An operation on one record also answers 404 when the record is not within the user's reach.
REFUSALS_ONE: dict[int, Any] = {**REFUSALS, 404: ErrorOut}


class PageIn(Schema):
    """The paging parameters of every list; each list's filters extend it."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
    per_page: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Rows per page")


class Page(Schema, Generic[T]):
    count: int | None = Field(description=f"Rows the filters match; null past {COUNT_LIMIT:,}")
    page: int
    pages: int | None = Field(description="Number of pages; null when the count is")
    next: str | None
    previous: str | None
    items: list[T]


def _link(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return f"{request.path}?{params.urlencode()}"


def _page_rows(rows, start: int, stop: int) -> list:
    """The page's rows: its ids first, read in the list's order without the joins that
    ``select_related`` adds (a database then walks the ordering's index and stops after a
    page; with the joins SQLite may read every row and sort them), then those rows by id."""
    ids = list(rows.values_list("pk", flat=True)[start:stop])
    by_id = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def page_of(
    request: HttpRequest,
    rows,
    paging: PageIn,
    item=None,
    extras: Extras | None = None,
    window: Callable[[int, int], list] | None = None,
) -> dict[str, Any]:
    """Page ``paging.page`` of ``rows`` (a QuerySet, ordered) as the envelope; ``item`` turns
    each row into its answer (default: the row itself, for the schema to read); ``extras``
    adds the list's extra figures to the page's rows only (``paging.with_extras``). A page
    past the last one is empty, with a link back to the last one. ``window(start, stop)``, if
    given, reads the page's rows instead of slicing ``rows`` (which then only counts)."""
    per_page, number = paging.per_page, paging.page
    start = (number - 1) * per_page
    read = window or functools.partial(_page_rows, rows)
    counted = capped_count(rows, COUNT_LIMIT)
    count = counted if counted <= COUNT_LIMIT else None
    if count is None:
        found = read(start, start + per_page + 1)  # one more row says whether there is more
        more = len(found) > per_page
        found = found[:per_page]
        if not found and number > 1:  # past the end: the exact count, for the link back
            count = rows.count()
    if count is not None:
        found = read(start, start + per_page) if start < count else []
        more = number < -(-count // per_page)
    pages = -(-count // per_page) if count is not None else None
    last = pages if pages is not None else number - 1
    found = with_extras(found, extras)
    return {
        "count": count,
        "page": number,
        "pages": pages,
        "next": _link(request, number + 1) if more else None,
        "previous": _link(request, min(number - 1, last)) if number > 1 and last else None,
        "items": [item(r) for r in found] if item else found,
    }
