"""Issuing and revoking certificates of completion."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.certificates.models import Certificate
from luodi.college.models import CollegeSettings
from luodi.lib import audit, history
from luodi.notifications.models import NotificationKind
from luodi.notifications.services import notify
from luodi.training.models import Enrolment, EnrolmentStatus, TrainingClass
from luodi.training.services.notices import users_of_cadres

# Crockford's base32: no I, L, O or U, so a serial read aloud or typed is not mistaken.
SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 13 characters of 5 bits: 65 random bits, so that a serial cannot be guessed however many are
# tried (the public check is rate-limited besides). Serials issued with 4 stay valid.
SERIAL_RANDOM_LENGTH = 13


def make_serial(*, year: int, class_id: int, sequence: int, prefix: str | None = None) -> str:
    """``LN-2026-0310-00042-K7Q2M8XD4PW9A``: prefix, class year, class, number within the class, and
    random characters from ``secrets`` that make the serial impossible to guess by counting."""
    prefix = prefix or CollegeSettings.load().serial_prefix
    tail = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_RANDOM_LENGTH))
    return f"{prefix}-{year}-{class_id:04d}-{sequence:05d}-{tail}"


def _lock_class(class_id: int) -> TrainingClass:
    """Serialise issuing within a class, so that numbers within it are never handed out twice."""
    return TrainingClass.objects.select_for_update().get(pk=class_id)


def _next_sequence(training_class: TrainingClass) -> int:
    last = Certificate.objects.of_class(training_class).aggregate(n=Max("sequence"))["n"]
    return (last or 0) + 1


def _new(enrolment: Enrolment, training_class: TrainingClass, sequence: int, by, now, prefix):
    return Certificate(
        enrolment=enrolment,
        serial=make_serial(
            year=training_class.year, class_id=training_class.pk, sequence=sequence, prefix=prefix
        ),
        sequence=sequence,
        hours=enrolment.credited_hours,
        issued_at=now,
        issued_by=by,
    )


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment, by: User | None) -> Certificate:
    """Issue the certificate of a completed enrolment; return the one in force if issued (a
    revoked one does not count: a result restored to completed gets a new certificate)."""
    training_class = _lock_class(enrolment.training_class_id)
    existing = Certificate.objects.valid().filter(enrolment_id=enrolment.pk).first()
    if existing:
        return existing
    enrolment = Enrolment.objects.with_attendance().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.COMPLETED or enrolment.hours_credited is None:
        raise ValidationError(
            _("Only a trainee who completed the class gets a certificate (status: %(status)s).")
            % {"status": enrolment.get_status_display()},
            code="not_completed",
        )
    certificate = _new(
        enrolment,
        training_class,
        _next_sequence(training_class),
        by,
        timezone.now(),
        CollegeSettings.load().serial_prefix,
    )
    certificate.full_clean()
    certificate.save()
    audit.record("certificate.issue", by=by, obj=certificate, serial=certificate.serial)
    _notify_issued(training_class, [enrolment.cadre_id], by=by)
    return certificate


@transaction.atomic
def certificates_issue_for_class(
    *, training_class: TrainingClass, by: User | None
) -> list[Certificate]:
    """Issue a certificate to every trainee of the class who completed it and has none yet.

    Returns the certificates issued now (an empty list when there is nobody left), numbered in
    roster order. A fixed number of queries, whatever the size of the class.
    """
    training_class = _lock_class(training_class.pk)
    enrolments = (
        training_class.enrolments.completed()
        .filter(hours_credited__isnull=False)
        .exclude(Exists(Certificate.objects.valid().filter(enrolment=OuterRef("pk"))))
        # Only the enrolment itself is read (its credited hours and cadre id): no cadre,
        # community or attendance rows, which cost an instance each and, for the cadre, two
        # decryptions; scale-100 demo data issues a million certificates.
        .order_by("cadre__community__city__code", "cadre__name_pinyin", "id")
    )
    first = _next_sequence(training_class)
    now = timezone.now()
    prefix = CollegeSettings.load().serial_prefix
    certificates = [
        _new(e, training_class, sequence, by, now, prefix)
        for sequence, e in enumerate(enrolments, start=first)
    ]
    issued = Certificate.objects.bulk_create(certificates, batch_size=500)
    history.record_bulk(
        Certificate,
        [
            (c.pk, c.serial, {"serial": (None, c.serial), "enrolment": (None, c.enrolment_id)})
            for c in issued
        ],
        by=by,
        created=True,
    )
    audit.record("certificate.issue_class", by=by, obj=training_class, count=len(issued))
    _notify_issued(training_class, [c.enrolment.cadre_id for c in issued], by=by)
    return issued


def _notify_issued(training_class: TrainingClass, cadre_ids: list[int], *, by: User | None) -> None:
    """Tell the trainees who got a certificate, in one notice for a whole class."""
    if not cadre_ids:
        return
    notify(
        users=users_of_cadres(cadre_ids),
        kind=NotificationKind.CERTIFICATE_ISSUED,
        text=_(
            "Your certificate of completion of %(class)s has been issued. "
            "Download it from your archive."
        )
        % {"class": training_class.title},
        url=reverse("archive:my-archive"),
        by=by,
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User | None, reason: str) -> Certificate:
    """Revoke a certificate. The reason is required and kept on record; the public
    verification page shows only that the certificate was revoked, and when."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason for revoking the certificate.")
        raise ValidationError({"revoke_reason": ValidationError(message, code="reason_required")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(
            _("This certificate was already revoked on %(date)s.")
            % {"date": timezone.localdate(certificate.revoked_at)},
            code="already_revoked",
        )
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoke_reason = reason
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    audit.record("certificate.revoke", by=by, obj=certificate, reason=reason)
    return certificate
