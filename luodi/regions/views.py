from django.shortcuts import render

from luodi.accounts.access import Perm, requires
from luodi.jobs import exports
from luodi.lib.paging import paginate, query_without_page
from luodi.regions.lists import COMMUNITIES
from luodi.regions.models import Region


@requires(Perm.VIEW_COMMUNITIES)
def community_list(request):
    filters = COMMUNITIES.filters_from(request.GET)
    context = {
        "page": paginate(
            request, COMMUNITIES.rows(request.user, filters, None), extras=COMMUNITIES.extras
        ),
        "query": query_without_page(request),
        "cities": Region.objects.cities(),
        "filters": filters,
    }
    template = "regions/_community_table.html" if request.htmx else "regions/community_list.html"
    return render(request, template, context)


@requires(Perm.VIEW_COMMUNITIES)
def community_list_xlsx(request):
    """The community list with the filters it was showing (the same query string)."""
    return exports.export(request, COMMUNITIES)
