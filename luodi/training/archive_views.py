"""A cadre's personal training archive (一人一档): staff see a cadre's within their reach, a
trainee their own."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from luodi.accounts.access import Perm, requires
from luodi.cadres.models import Cadre
from luodi.lib import audit
from luodi.training import selectors


@requires(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to)
def cadre_detail(request, pk: int):
    cadre = get_object_or_404(
        Cadre.objects.visible_to(request.user).select_related(
            "community__city", "community__street"
        ),
        pk=pk,
    )
    audit.record("personal.view", by=request.user, obj=cadre, what="archive")
    return render(
        request, "training/cadre_archive.html", {"archive": selectors.personal_archive(cadre)}
    )


@requires(Perm.VIEW_OWN_ARCHIVE, scope=Cadre.objects.of_user)
def my_archive(request):
    cadre = (
        Cadre.objects.of_user(request.user)
        .select_related("community__city", "community__street")
        .first()
    )
    if cadre is None:
        raise Http404("No cadre record is linked to this account.")
    return render(
        request,
        "training/cadre_archive.html",
        {"archive": selectors.personal_archive(cadre), "own": True},
    )
