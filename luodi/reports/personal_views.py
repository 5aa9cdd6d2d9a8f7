"""A person's data export and anonymisation (PIPL): staff with the full-ID permission only."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from luodi.accounts.access import Perm, requires
from luodi.cadres.models import Cadre
from luodi.lib.documents.http import attachment, private
from luodi.lib.documents.xlsx import XLSX
from luodi.reports.personal_data import anonymise_cadre, subject_export


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (e.g. the person's request of date …)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


def _cadre(request, pk: int) -> Cadre:
    return get_object_or_404(
        Cadre.objects.visible_to(request.user).select_related("community__city"), pk=pk
    )


@require_GET
@requires(Perm.VIEW_FULL_ID, scope=Cadre.objects.visible_to)
def cadre_data_export(request, pk: int):
    """Everything Luodi holds about one cadre, full numbers included, as xlsx; recorded."""
    cadre = _cadre(request, pk)
    return attachment(
        subject_export(cadre=cadre, by=request.user),
        filename=f"{cadre.name}个人信息.xlsx",
        fallback=f"personal-data-{cadre.pk}.xlsx",
        content_type=XLSX,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@requires(Perm.VIEW_FULL_ID, scope=Cadre.objects.visible_to)
def cadre_anonymise(request, pk: int):
    """Confirm, with a reason, then anonymise the cadre for good."""
    cadre = _cadre(request, pk)
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            anonymise_cadre(cadre=cadre, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The person has been anonymised."))
            return redirect(cadre)
    return private(render(request, "reports/cadre_anonymise.html", {"cadre": cadre, "form": form}))
