from django.db.models import Count, Q
from django.shortcuts import render

from luodi.accounts.access import Perm, requires
from luodi.lib.paging import paginate, query_without_page
from luodi.lib.params import parse_id, parse_text
from luodi.regions.models import Community, Region


@requires(Perm.VIEW_COMMUNITIES)
def community_list(request):
    communities = (
        Community.objects.select_related("city", "district", "street")
        .annotate(cadre_count=Count("cadres"))
        .order_by("code")
    )
    q, city = (parse_text(request.GET.get(k)) for k in ("q", "city"))
    if q:
        communities = communities.filter(Q(name__contains=q) | Q(street__name__contains=q))
    if (city_id := parse_id(city)) is not None:
        communities = communities.filter(city_id=city_id)
    context = {
        "page": paginate(request, communities),
        "query": query_without_page(request),
        "cities": Region.objects.cities(),
        "filters": {"q": q, "city": city},
    }
    template = "regions/_community_table.html" if request.htmx else "regions/community_list.html"
    return render(request, template, context)
