from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luodi.accounts.access import Perm, has_perm, public, requires
from luodi.certificates import jobs as certificate_jobs
from luodi.certificates import pdf, services
from luodi.certificates.lists import CERTIFICATES
from luodi.certificates.models import Certificate
from luodi.certificates.policies import may_download, may_issue
from luodi.jobs import exports
from luodi.jobs.services import job_start
from luodi.lib import audit, confirm
from luodi.lib.documents.http import attachment
from luodi.lib.documents.pdf import PDF
from luodi.lib.documents.text import hours_text
from luodi.lib.personal import mask_name
from luodi.lib.ratelimit import per_client_limit
from luodi.training.models import Enrolment, EnrolmentStatus, TrainingClass
from luodi.training.policies import class_for


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revoking"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the reason for revoking the certificate.")},
    )


def _class_page(request, training_class, *, revoke_form=None, revoking=None, status=200):
    enrolments = CERTIFICATES.rows(request.user, {}, training_class)
    rows = [(e, e.certificate) for e in enrolments]
    context = {
        "class": training_class,
        "rows": rows,
        # Completed trainees without a certificate in force: never issued, or revoked when the
        # result changed and since restored.
        "missing": sum(
            1
            for e, c in rows
            if e.status == EnrolmentStatus.COMPLETED and (c is None or c.is_revoked)
        ),
        "valid": sum(1 for _e, c in rows if c and not c.is_revoked),
        "may_issue": has_perm(request.user, Perm.ISSUE_CERTIFICATES),
        "revoke_form": revoke_form or RevokeForm(),
        "revoking": revoking,
    }
    return render(request, "certificates/class_certificates.html", context, status=status)


@requires(Perm.ISSUE_CERTIFICATES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_download)
@require_GET
def class_certificates(request, pk: int):
    """Access: ISSUE_CERTIFICATES, or the head teacher of this class (read and download)."""
    return _class_page(request, class_for(request.user, pk, may_download))


@requires(Perm.ISSUE_CERTIFICATES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_download)
def class_xlsx(request, pk: int):
    """The class's certificates as on its page, as xlsx. Access: as ``class_certificates``."""
    return exports.export(request, CERTIFICATES, class_for(request.user, pk, may_download))


@requires(Perm.ISSUE_CERTIFICATES, scope=may_issue)
@require_POST
def class_issue(request, pk: int):
    training_class = get_object_or_404(TrainingClass, pk=pk)
    issued = services.certificates_issue_for_class(training_class=training_class, by=request.user)
    if issued:
        count = len(issued)
        messages.success(
            request,
            ngettext("%(n)d certificate issued.", "%(n)d certificates issued.", count)
            % {"n": count},
        )
    else:
        messages.info(
            request, _("Every trainee who completed this class already has a certificate.")
        )
    return redirect("certificates:class", pk=pk)


def _prepare(request, pk: int, kind: str):
    """Queue a class's certificates as a background job; the class page shows its progress.
    A GET (an old bookmark) only leads to the class page."""
    training_class = class_for(request.user, pk, may_download)
    if request.method == "POST":
        if not Certificate.objects.of_class(training_class).valid().exists():
            return _nothing_to_download(request, training_class)
        job_start(kind=kind, subject=training_class, by=request.user, parameters={"class_id": pk})
    return redirect("certificates:class", pk=pk)


@requires(Perm.ISSUE_CERTIFICATES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_download)
@require_http_methods(["GET", "POST"])
def class_pdf(request, pk: int):
    """Access: ISSUE_CERTIFICATES, or the head teacher of this class."""
    return _prepare(request, pk, certificate_jobs.CLASS_PDF)


@requires(Perm.ISSUE_CERTIFICATES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_download)
@require_http_methods(["GET", "POST"])
def class_zip(request, pk: int):
    """Access: ISSUE_CERTIFICATES, or the head teacher of this class."""
    return _prepare(request, pk, certificate_jobs.CLASS_ZIP)


def _nothing_to_download(request, training_class):
    messages.info(request, _("No certificate has been issued for this class yet."))
    return _class_page(request, training_class, status=404)


@requires(Perm.ISSUE_CERTIFICATES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_download)
@require_GET
def download(request, pk: int):
    """One certificate. Access: ISSUE_CERTIFICATES, or the head teacher of its class.
    A revoked certificate is printed marked as revoked."""
    certificate = get_object_or_404(Certificate.objects.for_print(), pk=pk)
    if not may_download(request.user, certificate.enrolment.training_class):
        raise PermissionDenied
    audit.record(
        "personal.export",
        by=request.user,
        obj=certificate,
        what="certificate-pdf",
        cadre=certificate.enrolment.cadre_id,
    )
    return _certificate_response(certificate)


@requires(Perm.TRAINEE_SELF, scope=Enrolment.objects.of_user)
@require_GET
def mine(request, enrolment_pk: int):
    """A trainee's own certificate, by the enrolment it completes; anyone else's is a 404."""
    certificate = None
    if request.user.cadre_id is not None:
        certificate = (
            Certificate.objects.for_print()
            .valid()
            .filter(enrolment_id=enrolment_pk, enrolment__cadre_id=request.user.cadre_id)
            .first()
        )
    if certificate is None:
        raise Http404("No certificate of yours for this class.")
    return _certificate_response(certificate)


def _certificate_response(certificate: Certificate):
    return attachment(
        pdf.render_pdf([certificate]),
        filename=pdf.zip_entry_name(certificate),
        fallback=f"certificate-{certificate.serial}.pdf",
        content_type=PDF,
    )


@requires(Perm.ISSUE_CERTIFICATES, scope=may_issue)
@require_POST
def revoke(request, pk: int):
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__cadre", "enrolment__training_class"),
        pk=pk,
    )
    training_class = TrainingClass.objects.select_related("class_type", "head_teacher").get(
        pk=certificate.enrolment.training_class_id
    )
    form = RevokeForm(request.POST)
    if form.is_valid() and certificate.is_revoked:
        form.add_error(
            None,
            _("This certificate was already revoked on %(date)s.")
            % {"date": timezone.localdate(certificate.revoked_at)},
        )
    if form.is_valid() and not confirm.confirmed(request):
        return _revoke_preview(request, certificate, training_class, form.cleaned_data["reason"])
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    if not form.is_valid():
        return _class_page(
            request, training_class, revoke_form=form, revoking=certificate, status=400
        )
    messages.success(
        request,
        _("Certificate %(serial)s of %(name)s is revoked.")
        % {"serial": certificate.serial, "name": certificate.enrolment.cadre.name},
    )
    return redirect("certificates:class", pk=training_class.pk)


def _revoke_preview(request, certificate, training_class, reason: str):
    name = certificate.enrolment.cadre.name
    return confirm.preview(
        request,
        title=_("Revoke certificate %(serial)s of %(name)s?")
        % {"serial": certificate.serial, "name": name},
        action=request.path,
        back=reverse("certificates:class", args=[training_class.pk]),
        button=_("Revoke the certificate"),
        changes=[
            _("Certificate %(serial)s of %(name)s: in force → revoked.")
            % {"serial": certificate.serial, "name": name},
            _("Reason on record: %(reason)s") % {"reason": reason},
        ],
        notes=[
            _("The public verification page shows it as revoked from now on."),
            _(
                "A revocation is not undone: if the result is restored, a new certificate "
                "is issued."
            ),
        ],
        fields={"reason": reason},
        context={"class": training_class},
    )


# The public verification page -----------------------------------------------------------


SERIAL_MAX = Certificate._meta.get_field("serial").max_length

# Each client may check LUODI_VERIFY_RATE serials a minute: a person checking certificates is
# never hindered, and nobody can try serials by the million.
verify_rate_limited = per_client_limit(
    "verify",
    limit=lambda: settings.LUODI_VERIFY_RATE,
    template="certificates/verify_throttled.html",
)


class LookupForm(forms.Form):
    serial = forms.CharField(label=gettext_lazy("Certificate number"), max_length=SERIAL_MAX)


def _normalise_serial(text: str) -> str:
    return "".join(text.split()).upper()


@public
@verify_rate_limited
@require_GET
def verify_lookup(request):
    """A form for a serial typed from a printed certificate; the QR code skips it."""
    form = LookupForm(request.GET or None)
    if form.is_valid():
        return redirect("verify:certificate", serial=_normalise_serial(form.cleaned_data["serial"]))
    return render(request, "certificates/verify_lookup.html", {"form": form})


@public
@verify_rate_limited
@never_cache
@require_GET
def verify(request, serial: str):
    """Anyone may check a certificate by its full serial. Only an exact match is found, and
    the serial's random part cannot be derived from the others, so nobody can list
    certificates by counting. The holder's name is shown in part only."""
    certificate = (
        Certificate.objects.select_related(
            "enrolment__cadre", "enrolment__training_class__class_type"
        )
        .filter(serial=_normalise_serial(serial)[:SERIAL_MAX])
        .first()
    )
    if certificate is None:
        response = render(
            request, "certificates/verify_unknown.html", {"serial": serial[:SERIAL_MAX]}, status=404
        )
        return _unlisted(response)
    enrolment = certificate.enrolment
    context = {
        "certificate": certificate,
        "holder": mask_name(enrolment.cadre.name),
        "class": enrolment.training_class,
        "hours": hours_text(certificate.hours),
    }
    return _unlisted(render(request, "certificates/verify.html", context))


def _unlisted(response):
    """Keep verification pages out of search engines: a certificate is checked, not found."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
