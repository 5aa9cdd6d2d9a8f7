from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, Reach, reach, requires
from luodi.cadres.jobs import CADRE_LIST_XLSX, FILTERS
from luodi.cadres.models import Cadre, Post
from luodi.jobs.services import job_start
from luodi.lib import audit
from luodi.lib.paging import paginate, query_without_page
from luodi.lib.params import parse_text
from luodi.regions.models import Region


@requires(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to)
def cadre_list(request):
    q, city, post = (parse_text(request.GET.get(k)) for k in ("q", "city", "post"))
    cadres = (
        Cadre.objects.visible_to(request.user)
        .filtered(q=q, city=city, post=post)
        .select_related("community__city")
    )
    cities = Region.objects.cities()
    if reach(request.user) == Reach.CITY:
        cities = cities.filter(pk=request.user.city_id)
    page = paginate(request, cadres)
    # Who looked for whom: the list shows names, posts and communities.
    audit.record(
        "personal.view",
        by=request.user,
        what="cadre-list",
        q=q,
        city=city,
        post=post,
        page=page.number,
    )
    context = {
        "page": page,
        "query": query_without_page(request),
        "cities": cities,
        "posts": Post.choices,
        "filters": {"q": q, "city": city, "post": post},
    }
    template = "cadres/_cadre_table.html" if request.htmx else "cadres/cadre_list.html"
    return render(request, template, context)


@requires(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to)
@require_POST
def cadre_list_export(request):
    """Queue the list, with the filters it was showing, as an xlsx job for the user; the list
    page shows its progress and then the download (audited as ``personal.export``)."""
    filters = {k: parse_text(request.POST.get(k)) for k in FILTERS}
    job_start(kind=CADRE_LIST_XLSX, subject=request.user, by=request.user, parameters=filters)
    query = urlencode({k: v for k, v in filters.items() if v})
    return redirect(reverse("cadres:cadre-list") + (f"?{query}" if query else ""))
