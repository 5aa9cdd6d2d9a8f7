from django.shortcuts import render

from luodi.accounts.access import Perm, Reach, reach, requires
from luodi.cadres.lists import CADRES
from luodi.cadres.models import Cadre, Post
from luodi.jobs import exports
from luodi.lib import audit
from luodi.lib.paging import paginate, query_without_page
from luodi.regions.models import Region


@requires(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to)
def cadre_list(request):
    filters = CADRES.filters_from(request.GET)
    cadres = CADRES.rows(request.user, filters, None)
    cities = Region.objects.cities()
    if reach(request.user) == Reach.CITY:
        cities = cities.filter(pk=request.user.city_id)
    page = paginate(request, cadres)
    # Who looked for whom: the list shows names, posts and communities.
    audit.record("personal.view", by=request.user, what="cadre-list", **filters, page=page.number)
    context = {
        "page": page,
        "query": query_without_page(request),
        "cities": cities,
        "posts": Post.choices,
        "filters": filters,
    }
    template = "cadres/_cadre_table.html" if request.htmx else "cadres/cadre_list.html"
    return render(request, template, context)


@requires(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to)
def cadre_list_export(request):
    """Queue the list, with the filters it was showing, as an xlsx job for the user; the list
    page shows its progress and then the download (audited as ``personal.export``)."""
    return exports.export(request, CADRES)
