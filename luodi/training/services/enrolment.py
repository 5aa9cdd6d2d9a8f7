"""Nomination and enrolment (调训): seats, city quotas, waiting list, bulk enrolment.

Seats are counters guarded by CHECK constraints and changed only by conditional UPDATEs
(``... WHERE seats_taken < capacity``): concurrent requests queue on the row and re-check the
condition, so a class never takes more trainees than its capacity nor a city more than its
quota, on PostgreSQL or SQLite. Every refusal is a ValidationError with a message for the user.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.models import Role, User
from luodi.cadres.models import ID_NUMBER_ERRORS, Cadre
from luodi.lib import audit, personal
from luodi.training.models import (
    SEAT_STATUSES,
    ClassQuota,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)
from luodi.training.services.notices import notify_enrolment

OPEN_FOR_NOMINATION = (ClassStatus.ENROLLING,)
OPEN_FOR_STAFF = (ClassStatus.PLANNED, ClassStatus.ENROLLING, ClassStatus.IN_PROGRESS)


def _is_staff(user: User) -> bool:
    return user.is_superuser or user.role in (Role.ADMIN, Role.STAFF)


def take_seat(training_class: TrainingClass, city_id: int) -> None:
    """Hold one place in the city's quota (when the class has quotas) and one in the class."""
    quotas = ClassQuota.objects.filter(training_class=training_class)
    if quotas.exists():
        taken = quotas.filter(city_id=city_id, used__lt=F("quota")).update(used=F("used") + 1)
        if not taken:
            if quotas.filter(city_id=city_id).exists():
                raise ValidationError(_("This city's quota for the class is used up."))
            raise ValidationError(_("This city has no places in the class."))
    taken = TrainingClass.objects.filter(
        pk=training_class.pk, seats_taken__lt=F("capacity")
    ).update(seats_taken=F("seats_taken") + 1)
    if not taken:
        raise ValidationError(_("The class is full."))


def has_free_place(training_class: TrainingClass, city_id: int) -> bool:
    """Whether a cadre of ``city_id`` could take a place now: the class is not full and, when
    the class has quotas, the city has one with a place left."""
    if not TrainingClass.objects.filter(
        pk=training_class.pk, seats_taken__lt=F("capacity")
    ).exists():
        return False
    quotas = ClassQuota.objects.filter(training_class=training_class)
    return not quotas.exists() or quotas.filter(city_id=city_id, used__lt=F("quota")).exists()


def release_seat(enrolment: Enrolment) -> None:
    """Give back the place an enrolment held, in the quota of the city recorded at nomination."""
    TrainingClass.objects.filter(pk=enrolment.training_class_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )
    ClassQuota.objects.filter(
        training_class_id=enrolment.training_class_id,
        city_id=enrolment.city_id,
        used__gt=0,
    ).update(used=F("used") - 1)


def change_status(enrolment: Enrolment, target: str) -> None:
    """Set ``enrolment.status`` (not saved), taking or giving back its seat as the move needs.

    The one place where a status change meets the seat counters: a move into a seat-holding
    status must find a free place in the class and the city's quota, or it is refused.
    """
    held = enrolment.status in SEAT_STATUSES
    holds = target in SEAT_STATUSES
    if held and not holds:
        release_seat(enrolment)
    elif holds and not held:
        take_seat(enrolment.training_class, enrolment.city_id)
    enrolment.status = target


def _check_nominator(user: User, training_class: TrainingClass, cadre: Cadre) -> None:
    if _is_staff(user):
        if training_class.status not in OPEN_FOR_STAFF:
            raise ValidationError(_("This class no longer takes trainees."))
        return
    if user.role != Role.LIAISON:
        raise ValidationError(_("Only a city liaison or academic staff can nominate."))
    if training_class.status not in OPEN_FOR_NOMINATION:
        raise ValidationError(_("This class is not open for nominations."))
    if cadre.community.city_id != user.city_id:
        raise ValidationError(_("You can only nominate cadres of your own city."))


@transaction.atomic
def enrolment_nominate(
    *, training_class: TrainingClass, cadre: Cadre, by: User, waitlist: bool = False
) -> Enrolment:
    """A liaison's nomination waits for staff to confirm it; staff enrol directly. With
    ``waitlist``, once no place is left for the cadre's city, the name goes on the waiting
    list instead (staff admit from it when a place frees up)."""
    _check_nominator(by, training_class, cadre)
    status = EnrolmentStatus.ENROLLED if _is_staff(by) else EnrolmentStatus.NOMINATED
    if waitlist:
        if has_free_place(training_class, cadre.community.city_id):
            raise ValidationError(
                _("There are places left for this city: nominate instead of waiting-listing.")
            )
        status = EnrolmentStatus.WAITLISTED
    already = _already_listed(cadre)
    previous = (
        Enrolment.objects.select_for_update()
        .filter(training_class=training_class, cadre=cadre)
        .first()
    )
    if previous is not None:
        if previous.status != EnrolmentStatus.WITHDRAWN:
            raise already
        return _readmit(previous, status, by)
    enrolment = Enrolment(
        training_class=training_class, cadre=cadre, status=status, nominated_by=by
    )
    enrolment.record_place()
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as exc:  # a simultaneous nomination of the same cadre
        raise already from exc
    if status in SEAT_STATUSES:
        take_seat(training_class, enrolment.city_id)
    audit.record("enrolment.nominate", by=by, obj=enrolment, status=status)
    notify_enrolment(enrolment, by=by)  # staff enrol directly: the cadre hears at once
    return enrolment


def _already_listed(cadre: Cadre) -> ValidationError:
    return ValidationError(_("%(name)s is already on this class's list.") % {"name": cadre.name})


def _readmit(enrolment: Enrolment, status: str, by: User) -> Enrolment:
    """A withdrawn trainee comes back through the same seat rules as a new nomination, counted
    for the city they work in now; their earlier attendance stays on record."""
    enrolment.record_place()
    change_status(enrolment, status)
    enrolment.nominated_by = by
    enrolment.hours_credited = None
    enrolment.result_reason = ""
    enrolment.save()
    audit.record("enrolment.readmit", by=by, obj=enrolment, status=status)
    notify_enrolment(enrolment, by=by)
    return enrolment


# What staff may do to an enrolment before the class is completed.
STAFF_MOVES = {
    "confirm": ({EnrolmentStatus.NOMINATED}, EnrolmentStatus.ENROLLED),
    "waitlist": ({EnrolmentStatus.NOMINATED, EnrolmentStatus.ENROLLED}, EnrolmentStatus.WAITLISTED),
    "admit": ({EnrolmentStatus.WAITLISTED}, EnrolmentStatus.ENROLLED),
    "withdraw": (
        {EnrolmentStatus.NOMINATED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED},
        EnrolmentStatus.WITHDRAWN,
    ),
}


@transaction.atomic
def enrolment_move(*, enrolment: Enrolment, action: str, by: User) -> Enrolment:
    """Confirm a nomination, put it on the waiting list, admit from it, or withdraw."""
    if action not in STAFF_MOVES:
        raise ValidationError(_("Unknown action."))
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("cadre__community", "training_class")
        .get(pk=enrolment.pk)
    )
    allowed_from, target = STAFF_MOVES[action]
    if enrolment.status not in allowed_from:
        raise ValidationError(
            _("An enrolment that is “%(status)s” cannot be changed this way.")
            % {"status": enrolment.get_status_display()}
        )
    if enrolment.training_class.status not in OPEN_FOR_STAFF:
        raise ValidationError(_("This class no longer takes trainees."))
    before = enrolment.status
    change_status(enrolment, target)
    enrolment.save(update_fields=["status", "updated_at"])
    audit.record("enrolment.move", by=by, obj=enrolment, before=before, after=target)
    if action in ("confirm", "admit", "waitlist"):
        notify_enrolment(enrolment, by=by)
    return enrolment


@dataclass
class BulkLine:
    number: int
    text: str
    name: str = ""
    error: str = ""


def _parse_id_lines(text: str, training_class: TrainingClass) -> tuple[list[BulkLine], dict]:
    """Check every line first: an ID number that validates, a registered cadre, not yet on
    the class's list, not twice in the list. Three queries whatever the list's length."""
    lines, digests = [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        value = raw.strip().strip(",;，；")
        if not value:
            continue
        line = BulkLine(number=number, text=value)
        lines.append(line)
        try:
            id_number = personal.validate_id_number(value)
        except personal.InvalidIdNumber as exc:
            line.error = str(ID_NUMBER_ERRORS[str(exc)])
            continue
        digests[number] = personal.id_number_digest(id_number, settings.LUODI_ID_DIGEST_KEY)
    found = {
        c.id_number_digest: c
        for c in Cadre.objects.filter(id_number_digest__in=digests.values()).select_related(
            "community"
        )
    }
    on_list = set(
        training_class.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).values_list(
            "cadre_id", flat=True
        )
    )
    cadres, seen = {}, set()
    for line in lines:
        if line.number not in digests:
            continue
        cadre = found.get(digests[line.number])
        if cadre is None:
            line.error = _("No cadre with this ID number is registered.")
        elif cadre.pk in seen:
            line.error = _("This ID number appears twice in the list.")
        elif cadre.pk in on_list:
            line.error = _("%(name)s is already on this class's list.") % {"name": cadre.name}
        else:
            seen.add(cadre.pk)
            line.name = cadre.name
            cadres[line.number] = cadre
    return lines, cadres


def enrolment_bulk(
    *, training_class: TrainingClass, text: str, by: User
) -> tuple[list[BulkLine], bool]:
    """Enrol a list of ID numbers (one per line) all together, or none of them.

    Returns one report line per non-empty input line and whether the enrolment was written.
    """
    lines, cadres = _parse_id_lines(text, training_class)
    if not lines:
        raise ValidationError(_("Paste at least one ID number, one per line."))
    if any(line.error for line in lines):
        return lines, False
    try:
        with transaction.atomic():
            for line in lines:
                try:
                    enrolment_nominate(
                        training_class=training_class, cadre=cadres[line.number], by=by
                    )
                except ValidationError as exc:
                    line.error = " ".join(exc.messages)
                    raise
    except ValidationError:
        return lines, False
    return lines, True


@transaction.atomic
def nominations_confirm(*, training_class: TrainingClass, by: User) -> int:
    """Confirm every nomination waiting in the class at once (staff's to-do list leads here);
    each is recorded as the single confirmation would be. A nomination already holds its seat,
    so no counter changes. Returns how many were confirmed."""
    if training_class.status not in OPEN_FOR_STAFF:
        raise ValidationError(_("This class no longer takes trainees."))
    waiting = list(
        Enrolment.objects.select_for_update()
        .filter(training_class=training_class, status=EnrolmentStatus.NOMINATED)
        .order_by("pk")
    )
    Enrolment.objects.filter(pk__in=[e.pk for e in waiting]).update(
        status=EnrolmentStatus.ENROLLED, updated_at=timezone.now()
    )
    for e in waiting:
        audit.record(
            "enrolment.move",
            by=by,
            obj=e,
            before=EnrolmentStatus.NOMINATED,
            after=EnrolmentStatus.ENROLLED,
            bulk=True,
        )
    return len(waiting)
