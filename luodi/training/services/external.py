"""Training outside the college (学时认定): a cadre or their city's liaison declares it with a
proof; staff approve it, reduce its hours or refuse it, with a reason; an online-learning
platform's export is imported as approved records. Approved hours are credited by the
college's rules (``training.ledger``)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, has_perm
from luodi.accounts.models import User
from luodi.cadres.models import Cadre
from luodi.college.models import CollegeSettings
from luodi.lib import audit, uploads
from luodi.notifications.models import NotificationKind
from luodi.notifications.services import notify
from luodi.training.ledger import credit_for
from luodi.training.models import ExternalKind, ExternalSource, ExternalStatus, ExternalTraining
from luodi.training.services.notices import users_of_cadres

PROOF_KINDS = (uploads.PDF, uploads.PNG, uploads.JPEG)
PROOF_MAX_MB = 10
# No day of training credits more: a declaration above it is a typing error.
HOURS_PER_DAY_MAX = 12
DECLARED_FIELDS = ("kind", "organiser", "title", "start_date", "end_date", "hours_claimed")


class Decision:
    APPROVE = "approve"
    REDUCE = "reduce"
    REFUSE = "refuse"
    ALL = (APPROVE, REDUCE, REFUSE)


def may_declare_for(user: User | None, cadre: Cadre) -> bool:
    """A trainee for themself; staff and a city's liaison for a cadre within their reach."""
    if user is None:
        return False
    if has_perm(user, Perm.TRAINEE_SELF) and user.cadre_id == cadre.pk:
        return True
    if not (has_perm(user, Perm.MANAGE_RECORDS) or has_perm(user, Perm.NOMINATE)):
        return False
    return Cadre.objects.visible_to(user).filter(pk=cadre.pk).exists()


def check_dates_and_hours(
    *, kind: str, start_date: date, end_date: date, hours_claimed: Decimal
) -> None:
    """The checks every declaration and imported row passes, as field errors. An online
    course is learned at one's own pace, so its hours are not held to its days."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if end_date < start_date:
        errors["end_date"] = _("The last day is before the first day.")
    elif end_date > today:
        errors["end_date"] = _("Declare training once it has ended.")
    elif kind != ExternalKind.ONLINE and hours_claimed > HOURS_PER_DAY_MAX * (
        (end_date - start_date).days + 1
    ):
        errors["hours_claimed"] = _(
            "More than %(n)s hours a day: check the hours and the dates."
        ) % {"n": HOURS_PER_DAY_MAX}
    if hours_claimed <= 0:
        errors["hours_claimed"] = _("Give the hours of the training.")
    if errors:
        raise ValidationError(errors)


def proof_check(file: Any, *, by: User | None) -> uploads.Kind:
    return uploads.check_upload(file, kinds=PROOF_KINDS, by=by, max_mb=PROOF_MAX_MB)


def _already_recorded() -> ValidationError:
    return ValidationError(
        _("This training (same organiser, title and first day) is already on record.")
    )


@transaction.atomic
def external_declare(*, cadre: Cadre, by: User, proof: Any, **fields: Any) -> ExternalTraining:
    """Record a declaration awaiting review; the proof is required."""
    if not may_declare_for(by, cadre):
        raise PermissionDenied
    if not proof:
        raise ValidationError({"proof": _("Attach the certificate or a proof of attendance.")})
    check_dates_and_hours(
        kind=fields["kind"],
        start_date=fields["start_date"],
        end_date=fields["end_date"],
        hours_claimed=fields["hours_claimed"],
    )
    proof_check(proof, by=by)
    record = ExternalTraining(cadre=cadre, declared_by=by, source=ExternalSource.DECLARED)
    for name in DECLARED_FIELDS:
        setattr(record, name, fields[name])
    record.full_clean(exclude=["cadre", "proof"], validate_unique=False)
    name = (getattr(proof, "name", "") or "")[-100:]
    record.proof.save(name, proof, save=False)
    record.proof_name = name
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        storage, stored = record.proof.storage, record.proof.name or ""
        transaction.on_commit(lambda: storage.delete(stored))
        raise _already_recorded() from exc
    audit.record(
        "external.declare",
        by=by,
        obj=record,
        cadre=cadre.pk,
        hours=record.hours_claimed,
        kind=record.kind,
    )
    return record


@transaction.atomic
def external_decide(
    *,
    record: ExternalTraining,
    by: User,
    decision: str,
    hours: Decimal | None = None,
    reason: str = "",
) -> ExternalTraining:
    """Approve a pending declaration (its hours in full), reduce its hours, or refuse it. A
    reduction or a refusal needs a reason, which the cadre sees."""
    if not has_perm(by, Perm.MANAGE_RECORDS):
        raise PermissionDenied
    record = ExternalTraining.objects.select_for_update().get(pk=record.pk)
    if record.status != ExternalStatus.PENDING:
        raise ValidationError(_("This declaration has already been decided."))
    reason = (reason or "").strip()
    if decision not in Decision.ALL:
        raise ValidationError({"decision": _("Choose approve, reduce or refuse.")})
    if decision != Decision.APPROVE and not reason:
        raise ValidationError({"reason": _("Give the reason: the cadre will read it.")})
    if decision == Decision.REFUSE:
        record.status = ExternalStatus.REFUSED
    else:
        if decision == Decision.APPROVE:
            hours = record.hours_claimed
        elif hours is None or not (0 < hours < record.hours_claimed):
            raise ValidationError(
                {
                    "hours": _("Give fewer hours than declared (%(n)s), more than 0.")
                    % {"n": record.hours_claimed}
                }
            )
        record.status = ExternalStatus.APPROVED
        record.hours_approved = hours
        record.hours_credited = credit_for(record.kind, hours, CollegeSettings.load())
    record.decision_reason = reason
    record.decided_by = by
    record.decided_at = timezone.now()
    record.save()
    audit.record(
        "external.decide",
        by=by,
        obj=record,
        decision=decision,
        hours=record.hours_approved,
        credited=record.hours_credited,
        reason=reason,
    )
    _notify_decided(record, by=by)
    return record


def _notify_decided(record: ExternalTraining, *, by: User) -> None:
    if record.status == ExternalStatus.REFUSED:
        text = _("Your declared training “%(title)s” was not recognised: %(reason)s")
    elif record.hours_approved != record.hours_claimed:
        text = _(
            "Your declared training “%(title)s” was recognised for %(hours)s hours: %(reason)s"
        )
    else:
        text = _("Your declared training “%(title)s” was recognised: %(hours)s hours.")
    notify(
        users=users_of_cadres([record.cadre_id]),
        kind=NotificationKind.EXTERNAL_DECIDED,
        text=text
        % {"title": record.title, "hours": record.hours_credited, "reason": record.decision_reason},
        url=reverse("training:external-detail", args=[record.pk]),
        by=by,
    )


def external_import_row(
    *, cadre_id: int, fields: dict[str, Any], by: User | None, college: CollegeSettings
) -> ExternalTraining | None:
    """One row of an online-learning platform's export, recorded as approved (the platform's
    record is the proof). ``None`` if this training is already on record for the cadre (an
    export imported again). The caller holds the transaction and records the audit event."""
    if ExternalTraining.objects.filter(
        cadre_id=cadre_id,
        organiser=fields["organiser"],
        title=fields["title"],
        start_date=fields["start_date"],
    ).exists():
        return None
    hours = fields["hours_claimed"]
    return ExternalTraining.objects.create(
        cadre_id=cadre_id,
        source=ExternalSource.IMPORTED,
        declared_by=by,
        status=ExternalStatus.APPROVED,
        hours_approved=hours,
        hours_credited=credit_for(fields["kind"], hours, college),
        decided_by=by,
        decided_at=timezone.now(),
        decision_reason=_("Imported from the platform's records."),
        **{name: fields[name] for name in DECLARED_FIELDS},
    )
