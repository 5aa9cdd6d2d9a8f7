"""Issuing and revoking certificates of completion."""

import secrets
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.certificates.models import Certificate
from luodi.college.models import CollegeSettings
from luodi.lib import audit, history
from luodi.lib.bulk import insert_rows
from luodi.notifications.models import NotificationKind
from luodi.notifications.services import notify
from luodi.training.models import Enrolment, EnrolmentStatus, TrainingClass
from luodi.training.services.notices import users_by_cadre, users_of_cadres

# Crockford's base32: no I, L, O or U, so a serial read aloud or typed is not mistaken.
SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 13 characters of 5 bits: 65 random bits, so that a serial cannot be guessed however many are
# tried (the public check is rate-limited besides). Serials issued with 4 stay valid.
SERIAL_RANDOM_LENGTH = 13


def make_serial(*, year: int, class_id: int, sequence: int, prefix: str | None = None) -> str:
    """``LN-2026-0310-00042-K7Q2M8XD4PW9A``: prefix, class year, class, number within the class, and
    random characters from ``secrets`` that make the serial impossible to guess by counting."""
    prefix = prefix or CollegeSettings.load().serial_prefix
    return f"{prefix}-{year}-{class_id:04d}-{sequence:05d}-{_random_tail()}"


def _random_tail() -> str:
    """``SERIAL_RANDOM_LENGTH`` characters of the alphabet from one draw of ``secrets`` (5 bits
    a character), a tenth of the cost of drawing each character: a province issues millions."""
    bits = secrets.randbits(5 * SERIAL_RANDOM_LENGTH)
    return "".join(SERIAL_ALPHABET[(bits >> (5 * i)) & 31] for i in range(SERIAL_RANDOM_LENGTH))


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
    _notify_issued(training_class, users_of_cadres([enrolment.cadre_id]), by=by)
    return certificate


def certificates_issue_for_class(
    *, training_class: TrainingClass, by: User | None
) -> list[Certificate]:
    """Issue a certificate to every trainee of the class who completed it and has none yet.

    Returns the certificates issued now (an empty list when there is nobody left), numbered in
    roster order. A fixed number of queries, whatever the size of the class.
    """
    issued = certificates_issue_for_classes(classes=[training_class], by=by)
    return list(Certificate.objects.filter(pk__in=issued).order_by("sequence"))


@transaction.atomic
def certificates_issue_for_classes(*, classes: list[TrainingClass], by: User | None) -> list[int]:
    """``certificates_issue_for_class`` for many classes at once, in a fixed number of queries
    (the classes' audit events and notices aside, one each): the ids of the certificates
    issued. Rows are written as tuples (``lib.bulk``), so that the five years of a province's
    classes (a million certificates) are issued in a minute, not an hour."""
    ids = sorted(c.pk for c in classes)
    # Serialise issuing within each class (numbers within it are never handed out twice), in
    # one order, so two callers never wait on each other's classes.
    locked = {c.pk: c for c in TrainingClass.objects.select_for_update().filter(pk__in=ids)}
    last = dict(
        Certificate.objects.filter(enrolment__training_class__in=ids)
        .values_list("enrolment__training_class")
        .annotate(Max("sequence"))
        .order_by()
    )
    enrolments = (
        Enrolment.objects.filter(training_class__in=ids)
        .completed()
        .filter(hours_credited__isnull=False)
        .exclude(Exists(Certificate.objects.valid().filter(enrolment=OuterRef("pk"))))
        # Only the enrolment's own columns are read: no cadre (two decryptions each), community
        # or attendance rows. Numbered in roster order.
        .order_by("training_class", "cadre__community__city__code", "cadre__name_pinyin", "id")
        .values_list("pk", "training_class", "cadre", "hours_credited")
    )
    now = timezone.now()
    stamp, prefix = (
        connection.ops.adapt_datetimefield_value(now),
        CollegeSettings.load().serial_prefix,
    )
    prepare_hours = Certificate._meta.get_field("hours").get_db_prep_save
    hours_values: dict[Decimal, Any] = {}  # a few distinct hours among a million rows
    by_id = by.pk if by else None
    rows, cadres = [], defaultdict(list)
    for enrolment_id, class_id, cadre_id, hours in enrolments:
        if hours not in hours_values:
            hours_values[hours] = prepare_hours(hours, connection)
        sequence = last[class_id] = (last.get(class_id) or 0) + 1
        year = locked[class_id].year
        serial = make_serial(year=year, class_id=class_id, sequence=sequence, prefix=prefix)
        rows.append(
            (
                stamp,
                stamp,
                enrolment_id,
                serial,
                sequence,
                hours_values[hours],
                stamp,
                by_id,
            )
        )
        cadres[class_id].append(cadre_id)
    columns = "created_at updated_at enrolment serial sequence hours issued_at issued_by"
    insert_rows(Certificate, columns, rows, blank="revoke_reason")
    # The certificates of these classes issued at this moment are the ones just issued: the
    # classes are locked. (Not by the enrolments' ids: thousands of query parameters.)
    issued = list(
        Certificate.objects.valid()
        .filter(enrolment__training_class__in=ids, issued_at=now)
        .values_list("pk", "serial", "enrolment")
        .order_by()  # not sorted newest first: thousands of rows, for the history
    )
    history.record_bulk(
        Certificate,
        [
            (pk, serial, {"serial": (None, serial), "enrolment": (None, e)})
            for pk, serial, e in issued
        ],
        by=by,
        created=True,
    )
    # Accounts of the classes' trainees, read through a subquery (a list of thousands of
    # cadres' ids cost five times as much); only those who got a certificate are told.
    accounts = users_by_cadre(
        Enrolment.objects.filter(training_class__in=ids).values_list("cadre", flat=True)
    )
    for class_id in ids:
        training_class, of_class = locked[class_id], cadres.get(class_id, [])
        audit.record("certificate.issue_class", by=by, obj=training_class, count=len(of_class))
        users = [u for c in of_class for u in accounts.get(c, ())]
        _notify_issued(training_class, users, by=by)
    return [pk for pk, _serial, _e in issued]


def _notify_issued(training_class: TrainingClass, users: list[int], *, by: User | None) -> None:
    """Tell the trainees (their user ids) who got a certificate, in one notice for a class."""
    if not users:
        return
    notify(
        users=users,
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
