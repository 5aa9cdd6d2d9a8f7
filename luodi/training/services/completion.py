"""Completion (结业): each trainee's result from the class type's rules, with the reason.

Rules, in order: leave beyond the class type's share of the class's hours → withdrawn (the
regulations' 1/7, compared exactly); attendance below ``min_attendance_percent`` of the hours →
not completed; no reflection when one is required → not completed; otherwise completed. Only a
completed result credits hours: the hours of the sessions attended (present or late).

Once a class is finished its records are frozen: a result changes by a staff override, and
attendance by a correction; both give their reason, recompute the result and the hours, and are
recorded. A result that carries a valid certificate does not change until the certificate is
revoked (on the certificates page, with the reason), so that no certificate verifies a result
that no longer stands.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.lib import audit, history
from luodi.lib.documents.text import hours_text
from luodi.training.models import (
    HELD_STATUSES,
    Attendance,
    AttendanceStatus,
    ClassStatus,
    ClassType,
    Enrolment,
    EnrolmentStatus,
    Reflection,
    Session,
    TrainingClass,
)
from luodi.training.services import seats
from luodi.training.services.enrolment import change_status

DECIDED = (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED, EnrolmentStatus.WITHDRAWN)


@dataclass(frozen=True)
class Result:
    status: str
    reason: str
    hours: Decimal


def decide(enrolment: Enrolment, total_hours: Decimal) -> Result:
    """The result for one enrolment annotated by ``with_result_inputs``."""
    return decide_from(
        enrolment.training_class.class_type,
        enrolment.hours_attended,
        enrolment.leave_hours,
        enrolment.has_reflection,
        total_hours,
    )


def decide_from(
    rules: ClassType, attended: Decimal, leave: Decimal, has_reflection: bool, total_hours: Decimal
) -> Result:
    """The completion rules of the class type ``rules``, from a trainee's hours attended, leave
    hours and reflection in a class of ``total_hours``."""
    if total_hours and rules.leave_exceeds(leave, total_hours):
        return Result(
            EnrolmentStatus.WITHDRAWN,
            _("Leave of %(leave)s hours is more than %(limit)s of the class's %(total)s hours.")
            % {
                "leave": hours_text(leave),
                "limit": f"{rules.max_leave_numerator}/{rules.max_leave_denominator}",
                "total": hours_text(total_hours),
            },
            Decimal(0),
        )
    percent = 100 * attended / total_hours if total_hours else Decimal(100)
    if percent < rules.min_attendance_percent:
        return Result(
            EnrolmentStatus.NOT_COMPLETED,
            _("Attended %(attended)s of %(total)s hours (%(percent)s%%), below %(min)s%%.")
            % {
                "attended": hours_text(attended),
                "total": hours_text(total_hours),
                "percent": round(percent),
                "min": rules.min_attendance_percent,
            },
            Decimal(0),
        )
    if rules.reflection_required and not has_reflection:
        return Result(EnrolmentStatus.NOT_COMPLETED, _("No reflection was submitted."), Decimal(0))
    return Result(
        EnrolmentStatus.COMPLETED,
        _("Attended %(attended)s of %(total)s hours.")
        % {"attended": hours_text(attended), "total": hours_text(total_hours)},
        attended,
    )


def with_result_inputs(enrolments):
    """Annotate what ``decide`` reads: hours attended, leave hours and the reflection."""
    return _inputs(enrolments.select_related("training_class__class_type", "cadre"))


def _inputs(enrolments):
    return enrolments.with_hours().annotate(
        has_reflection=Exists(Reflection.objects.filter(enrolment=OuterRef("pk")))
    )


class Decided(NamedTuple):
    """What ``record_results`` reads of an enrolment: an ``Enrolment``, or this row of one."""

    pk: int
    cadre_id: int
    status: str
    result_reason: str
    hours_credited: Decimal | None
    overridden_by_id: int | None


def results_for_classes(class_ids: list[int]) -> list[tuple[Decided, Result]]:
    """``preview`` of many classes in one query: the same trainees (``to_decide``), inputs and
    rules, each class's own total hours, without a model instance per trainee (years of a
    province's classes are decided at once: a million results)."""
    rules = {
        c.pk: c.class_type
        for c in TrainingClass.objects.filter(pk__in=class_ids).select_related("class_type")
    }
    hours = Session.objects.filter(training_class__in=class_ids).order_by()
    totals = dict(hours.values_list("training_class").annotate(Sum("hours")))
    rows = _inputs(Enrolment.objects.took_part().filter(training_class__in=class_ids)).values_list(
        "pk",
        "cadre",
        "status",
        "result_reason",
        "hours_credited",
        "overridden_by",
        "training_class",
        "hours_attended",
        "leave_hours",
        "has_reflection",
    )
    results = []
    for *stored, class_id, attended, leave, reflected in rows.order_by("pk"):
        total = totals.get(class_id) or Decimal(0)
        result = decide_from(rules[class_id], attended, leave, reflected, total)
        results.append((Decided(*stored), result))
    return results


def to_decide(training_class: TrainingClass):
    """Who the completion rules decide for: everyone who took part in the class."""
    return training_class.enrolments.took_part()


def preview(training_class: TrainingClass) -> list[tuple[Enrolment, Result]]:
    """What completing the class would decide, without writing anything."""
    total = training_class.total_hours()
    enrolments = with_result_inputs(to_decide(training_class).order_by("cadre__name_pinyin"))
    return [(e, decide(e, total)) for e in enrolments]


@dataclass(frozen=True)
class Change:
    """Trainees whose result would go from one status to another."""

    before: EnrolmentStatus
    after: EnrolmentStatus
    names: list[str]

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class ResultChanges:
    """What completing (or recomputing) the class would write, before anything is written."""

    changes: list[Change]
    hours_only: int  # results that keep their status but change their hours
    blocked: list[str]  # trainees whose valid certificate stops the recomputation


def result_changes(training_class: TrainingClass) -> ResultChanges:
    """Compare what ``class_complete`` would decide with what is stored, grouped by the move
    (e.g. 3 completed → not completed). Overridden results are kept, so they never count."""
    groups: dict[tuple[str, str], list[str]] = {}
    unconfirmed = training_class.enrolments.filter(status=EnrolmentStatus.NOMINATED)
    for name in unconfirmed.order_by("cadre__name_pinyin").values_list("cadre__name", flat=True):
        groups.setdefault((EnrolmentStatus.NOMINATED, EnrolmentStatus.WITHDRAWN), []).append(name)
    certified = _certified(training_class.enrolments.completed())
    hours_only, blocked = 0, []
    for enrolment, result in preview(training_class):
        if enrolment.overridden_by_id:
            continue
        if enrolment.status != result.status:
            groups.setdefault((enrolment.status, result.status), []).append(enrolment.cadre.name)
            if enrolment.pk in certified and result.status != EnrolmentStatus.COMPLETED:
                blocked.append(enrolment.cadre.name)
        elif enrolment.hours_credited != result.hours:
            # A reason that only reads differently (another language) is no change to show.
            hours_only += 1
    changes = [
        Change(EnrolmentStatus(before), EnrolmentStatus(after), names)
        for (before, after), names in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    ]
    return ResultChanges(changes, hours_only, blocked)


def _certified(enrolments) -> set[int]:
    """Ids of the enrolments among ``enrolments`` that hold a certificate still in force."""
    return set(
        enrolments.filter(certificates__isnull=False, certificates__revoked_at__isnull=True)
        .order_by()
        .values_list("pk", flat=True)
    )


def _refuse_while_certified(enrolment: Enrolment) -> None:
    raise ValidationError(
        _(
            "%(name)s holds a valid certificate for this class. Revoke it first (on the "
            "certificates page, with the reason); then change the result."
        )
        % {"name": enrolment.cadre.name},
        code="certified",
    )


@transaction.atomic
def class_complete(
    *, training_class: TrainingClass, by: User | None
) -> list[tuple[Enrolment, Result]]:
    """Finish the class and record every enrolled trainee's result. Nominations never
    confirmed are withdrawn; results overridden by staff are kept. Running it again changes
    nothing unless the records changed."""
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if training_class.status not in (ClassStatus.IN_PROGRESS, ClassStatus.FINISHED):
        raise ValidationError(_("Only a class in progress or finished can be completed."))
    unconfirmed = training_class.enrolments.filter(status=EnrolmentStatus.NOMINATED)
    withdrawn = list(unconfirmed.values_list("pk", flat=True))
    reason = _("Nomination was never confirmed.")
    unconfirmed.update(status=EnrolmentStatus.WITHDRAWN, result_reason=reason)
    history.record_bulk(
        Enrolment,
        [
            (
                pk,
                f"enrolment {pk}",  # no reads for the history
                {"status": (EnrolmentStatus.NOMINATED, EnrolmentStatus.WITHDRAWN)},
            )
            for pk in withdrawn
        ],
        by=by,
    )
    results = preview(training_class)
    certified = _certified(training_class.enrolments.completed())
    for enrolment, result in results:
        kept = enrolment.overridden_by_id
        if enrolment.pk in certified and result.status != EnrolmentStatus.COMPLETED and not kept:
            _refuse_while_certified(enrolment)
    changed = record_results(results, by=by)
    if training_class.status == ClassStatus.IN_PROGRESS:
        training_class.status = ClassStatus.FINISHED
        training_class.save(update_fields=["status", "updated_at"])
    seats.recount(TrainingClass.objects.filter(pk=training_class.pk))
    audit.record("class.complete", by=by, obj=training_class, changed=changed)
    return results


def record_results(
    results: Sequence[tuple[Enrolment | Decided, Result]], *, by: User | None = None
) -> int:
    """Write the results that differ from what is stored, keeping staff overrides; returns how
    many changed. One UPDATE per distinct result, so a year of classes takes a few hundred
    statements, not one per trainee. Seats are not touched: callers recount them."""
    groups: dict[Result, list[int]] = {}
    for enrolment, result in results:
        if enrolment.overridden_by_id:
            continue
        stored = (enrolment.status, enrolment.result_reason, enrolment.hours_credited)
        if stored != (result.status, result.reason, result.hours):
            groups.setdefault(result, []).append(enrolment.pk)
    for result, ids in groups.items():
        Enrolment.objects.filter(pk__in=ids).update(
            status=result.status, result_reason=result.reason, hours_credited=result.hours
        )
    changed = {pk for ids in groups.values() for pk in ids}
    history.record_bulk(
        Enrolment,
        [(e.pk, _text(e), _result_changes(e, r)) for e, r in results if e.pk in changed],
        by=by,
    )
    return len(changed)


def _text(enrolment: Enrolment | Decided) -> str:
    # Not str(enrolment): that reads the cadre and the class, queries for every row.
    return f"enrolment {enrolment.pk} (cadre {enrolment.cadre_id})"


def _result_changes(enrolment: Enrolment | Decided, result: Result) -> dict:
    before = (enrolment.status, enrolment.result_reason, enrolment.hours_credited)
    after = (result.status, result.reason, result.hours)
    names = ("status", "result_reason", "hours_credited")
    return {n: (b, a) for n, b, a in zip(names, before, after, strict=True) if b != a}


def _lock_result(enrolment: Enrolment) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("training_class__class_type", "cadre")
        .get(pk=enrolment.pk)
    )
    if enrolment.training_class.status not in HELD_STATUSES:
        raise ValidationError(_("Results can be overridden once the class is finished."))
    if enrolment.status not in DECIDED or enrolment.hours_credited is None:
        raise ValidationError(
            _(
                "Only a result decided at completion can be changed; “%(status)s” is not one "
                "(a place on the waiting list or a withdrawal before the class)."
            )
            % {"status": enrolment.get_status_display()},
            code="no_result",
        )
    return enrolment


def _set_result(enrolment: Enrolment, status: str, hours: Decimal) -> None:
    """Apply a changed result: the seat it holds, and the hours only a completion credits."""
    if (
        enrolment.status == EnrolmentStatus.COMPLETED
        and status != EnrolmentStatus.COMPLETED
        and _certified(Enrolment.objects.filter(pk=enrolment.pk))
    ):
        _refuse_while_certified(enrolment)
    change_status(enrolment, status)
    enrolment.hours_credited = hours if status == EnrolmentStatus.COMPLETED else Decimal(0)


def _hours_attended(enrolment: Enrolment) -> Decimal:
    return Enrolment.objects.with_hours().get(pk=enrolment.pk).hours_attended


@transaction.atomic
def enrolment_override(*, enrolment: Enrolment, status: str, reason: str, by: User) -> Enrolment:
    """Staff set a result by hand; the reason is required and recorded with who did it.

    A result moving into a seat (withdrawn → completed) needs a free place in the class and the
    city's quota; a completed result with a valid certificate changes only after the
    certificate is revoked.
    """
    if status not in DECIDED:
        raise ValidationError(_("Choose completed, not completed or withdrawn."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for overriding the result."))
    enrolment = _lock_result(enrolment)
    before = enrolment.status
    _set_result(enrolment, status, _hours_attended(enrolment))
    enrolment.override_reason = reason.strip()
    enrolment.overridden_by = by
    enrolment.save()
    audit.record(
        "enrolment.override", by=by, obj=enrolment, before=before, after=status, reason=reason
    )
    return enrolment


@transaction.atomic
def attendance_correct(
    *, session: Session, enrolment: Enrolment, status: str, reason: str, by: User
) -> Attendance:
    """Correct one attendance mark of a finished class, with the reason, and recompute the
    trainee's result and hours (a result overridden by staff keeps its override)."""
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Choose present, late, on leave or absent."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."))
    if session.training_class_id != enrolment.training_class_id:
        raise ValidationError(_("This trainee is not on this class's roll."))
    enrolment = _lock_result(enrolment)
    attendance = Attendance.objects.filter(enrolment=enrolment, session=session).first()
    before = attendance.status if attendance else ""
    attendance, _created = Attendance.objects.update_or_create(
        enrolment=enrolment, session=session, defaults={"status": status}
    )
    if not enrolment.overridden_by_id:
        training_class = enrolment.training_class
        fresh = with_result_inputs(Enrolment.objects.filter(pk=enrolment.pk)).get()
        result = decide(fresh, training_class.total_hours())
        _set_result(enrolment, result.status, result.hours)
        enrolment.result_reason = result.reason
        enrolment.save()
    audit.record(
        "attendance.correct",
        by=by,
        obj=attendance,
        before=before,
        after=status,
        reason=reason,
        result=enrolment.status,
    )
    return attendance
