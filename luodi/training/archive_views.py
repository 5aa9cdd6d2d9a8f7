"""A cadre's personal training archive (一人一档): staff see a cadre's within their reach, a
trainee their own."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from luodi.accounts.access import Perm, requires
from luodi.cadres.models import Cadre
from luodi.lib import audit
from luodi.lib.documents.http import attachment, private
from luodi.lib.documents.pdf import PDF
from luodi.training import selectors
from luodi.training.documents.personal_archive import personal_archive_pdf


def _visible_cadre(request, pk: int) -> Cadre:
    """The cadre ``pk`` if within the user's reach (404 otherwise), loaded for the archive."""
    return get_object_or_404(
        Cadre.objects.visible_to(request.user).select_related(
            "community__city", "community__street"
        ),
        pk=pk,
    )


def _own_cadre(request) -> Cadre:
    """The user's own cadre record, loaded for the archive (404 if none is linked)."""
    cadre = (
        Cadre.objects.of_user(request.user)
        .select_related("community__city", "community__street")
        .first()
    )
    if cadre is None:
        raise Http404("No cadre record is linked to this account.")
    return cadre


@requires(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to)
def cadre_detail(request, pk: int):
    cadre = _visible_cadre(request, pk)
    audit.record("personal.view", by=request.user, obj=cadre, what="archive")
    return render(
        request, "training/cadre_archive.html", {"archive": selectors.personal_archive(cadre)}
    )


@requires(Perm.VIEW_OWN_ARCHIVE, scope=Cadre.objects.of_user)
def my_archive(request):
    cadre = _own_cadre(request)
    return render(
        request,
        "training/cadre_archive.html",
        {"archive": selectors.personal_archive(cadre), "own": True},
    )


@never_cache
@require_POST
@requires(Perm.VIEW_FULL_ID, scope=Cadre.objects.visible_to)
def cadre_reveal(request, pk: int):
    """The full ID and phone number, one cadre at a time, on purpose (a POST) and on record."""
    cadre = get_object_or_404(Cadre.objects.visible_to(request.user), pk=pk)
    audit.record("personal.reveal", by=request.user, obj=cadre, fields="id_number,phone")
    template = "training/_full_numbers.html" if request.htmx else "training/full_numbers.html"
    return private(render(request, template, {"cadre": cadre}))


def _archive_pdf(request, cadre: Cadre):
    audit.record("personal.export", by=request.user, obj=cadre, what="archive-pdf")
    return attachment(
        personal_archive_pdf(selectors.personal_archive(cadre)),
        filename=f"{cadre.name}一人一档.pdf",
        fallback=f"archive-cadre-{cadre.pk}.pdf",
        content_type=PDF,
    )


@requires(Perm.VIEW_CADRES, scope=Cadre.objects.visible_to)
@require_GET
def cadre_archive_pdf(request, pk: int):
    """Access: as the archive page (a cadre within the user's reach). Numbers masked."""
    cadre = _visible_cadre(request, pk)
    return _archive_pdf(request, cadre)


@requires(Perm.VIEW_OWN_ARCHIVE, scope=Cadre.objects.of_user)
@require_GET
def my_archive_pdf(request):
    """A trainee's own archive, to print."""
    cadre = _own_cadre(request)
    return _archive_pdf(request, cadre)
