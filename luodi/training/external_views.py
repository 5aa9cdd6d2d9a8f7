"""Training outside the college (学时认定): the declarations within the user's reach, declaring
one (a trainee for themself, staff or a liaison for a cadre of theirs), its proof, and the
staff's decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luodi.accounts.access import Perm, has_perm, requires
from luodi.cadres.models import Cadre
from luodi.lib import audit
from luodi.lib.documents.http import file_attachment, open_upload
from luodi.lib.forms import add_errors
from luodi.lib.paging import paginate, query_without_page
from luodi.training.forms import ExternalDecisionForm, ExternalForm
from luodi.training.models import ExternalStatus, ExternalTraining
from luodi.training.services import external

READERS = (Perm.VIEW_CADRES, Perm.VIEW_OWN_ARCHIVE)


def _record(request, pk: int) -> ExternalTraining:
    """The declaration ``pk`` if the user may read it (404 otherwise)."""
    return get_object_or_404(
        ExternalTraining.objects.visible_to(request.user).select_related(
            "cadre__community__city", "declared_by", "decided_by"
        ),
        pk=pk,
    )


@requires(*READERS, scope=ExternalTraining.objects.visible_to)
@require_GET
def external_list(request):
    """Staff review the declarations awaiting them first; liaisons follow their city's, a
    trainee their own."""
    status = request.GET.get("status", "")
    records = ExternalTraining.objects.visible_to(request.user).select_related(
        "cadre__community__city"
    )
    if status in ExternalStatus.values:
        records = records.filter(status=status)
    page = paginate(request, records.order_by("-created_at", "-id"))
    audit.record("personal.view", by=request.user, what="external-list", page=page.number)
    context = {
        "page": page,
        "query": query_without_page(request),
        "status": status,
        "statuses": ExternalStatus.choices,
        "pending": ExternalTraining.objects.visible_to(request.user).pending().count(),
    }
    return render(request, "training/external_list.html", context)


def _declare(request, cadre: Cadre, *, back: str):
    form = ExternalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = external.external_declare(cadre=cadre, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("The training has been declared; staff will review it and decide.")
            )
            return redirect(record)
    context = {"form": form, "cadre": cadre, "back": back}
    return render(request, "training/external_form.html", context)


@requires(Perm.MANAGE_RECORDS, Perm.NOMINATE, scope=Cadre.objects.visible_to)
def external_new(request, cadre_pk: int):
    """Declare training of the cadre ``cadre_pk`` (from their archive)."""
    cadre = get_object_or_404(Cadre.objects.visible_to(request.user), pk=cadre_pk)
    if not external.may_declare_for(request.user, cadre):
        raise PermissionDenied
    return _declare(request, cadre, back=cadre.get_absolute_url())


@requires(Perm.TRAINEE_SELF, scope=Cadre.objects.of_user)
def my_external_new(request):
    """A trainee declares their own training (from their archive, on the phone)."""
    cadre = Cadre.objects.of_user(request.user).first()
    if cadre is None:
        raise Http404("No cadre record is linked to this account.")
    return _declare(request, cadre, back=reverse("archive:my-archive"))


@requires(*READERS, scope=ExternalTraining.objects.visible_to)
@require_GET
def external_detail(request, pk: int):
    record = _record(request, pk)
    audit.record("personal.view", by=request.user, obj=record, what="external")
    may_decide = has_perm(request.user, Perm.MANAGE_RECORDS)
    context = {
        "record": record,
        "form": ExternalDecisionForm() if may_decide else None,
        "may_see_cadre": has_perm(request.user, Perm.VIEW_CADRES),
    }
    return render(request, "training/external_detail.html", context)


@require_POST
@requires(Perm.MANAGE_RECORDS, scope=ExternalTraining.objects.visible_to)
def external_decide(request, pk: int):
    record = _record(request, pk)
    form = ExternalDecisionForm(request.POST)
    if form.is_valid():
        try:
            external.external_decide(record=record, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(record)
    context = {"record": record, "form": form, "may_see_cadre": True}
    return render(request, "training/external_detail.html", context, status=400)


@requires(*READERS, scope=ExternalTraining.objects.visible_to)
@require_GET
def external_proof(request, pk: int):
    """The declaration's proof, as a download typed by its content; on record."""
    record = _record(request, pk)
    handle, content_type, extension = open_upload(record.proof)
    audit.record("personal.view", by=request.user, obj=record, what="external-proof")
    return file_attachment(
        handle,
        filename=f"{record.cadre.name}院外培训证明{extension}",
        fallback=f"external-{record.pk}{extension}",
        content_type=content_type,
    )
