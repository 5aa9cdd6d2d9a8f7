"""A community's page: its profile, its cadres within the user's reach, and how many classes
each completed (figures that join regions, cadres and training, so they are reports')."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from luodi.accounts.access import Perm, requires
from luodi.cadres.models import Cadre
from luodi.regions.models import Community
from luodi.training.models import EnrolmentStatus


@requires(Perm.VIEW_COMMUNITIES, scope=Cadre.objects.visible_to)
def community_detail(request, pk: int):
    community = get_object_or_404(
        Community.objects.select_related("city", "district", "street"), pk=pk
    )
    cadres = (
        Cadre.objects.visible_to(request.user)
        .filter(community=community)
        .annotate(
            completed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED))
        )
        .order_by("name_pinyin")
    )
    return render(
        request, "reports/community_detail.html", {"community": community, "cadres": cadres}
    )
