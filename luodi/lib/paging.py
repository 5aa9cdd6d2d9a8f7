"""Pagination for list pages: two queries (count and page) whatever the table's size."""

from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.LUODI_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current filters as a query string, for building page links that keep them."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
