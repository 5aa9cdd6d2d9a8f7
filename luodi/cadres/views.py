from django.shortcuts import render

from luodi.accounts.access import Perm, Reach, reach, requires
from luodi.cadres.models import Cadre, Post
from luodi.lib import audit
from luodi.lib.paging import paginate, query_without_page
from luodi.lib.params import parse_id, parse_text
from luodi.regions.models import Region


@requires(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to)
def cadre_list(request):
    cadres = Cadre.objects.visible_to(request.user).select_related("community__city")
    q, city, post = (parse_text(request.GET.get(k)) for k in ("q", "city", "post"))
    cadres = cadres.search(q)
    if (city_id := parse_id(city)) is not None:
        cadres = cadres.filter(community__city_id=city_id)
    if post in Post.values:
        cadres = cadres.filter(post=post)
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
