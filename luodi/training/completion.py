"""Completion (结业): each trainee's result from the class type's rules, with the reason.

Rules, in order: leave beyond ``max_leave_fraction`` of the class's hours → withdrawn (the
regulations' 1/7); attendance below ``min_attendance_percent`` of the hours → not completed;
no reflection when one is required → not completed; otherwise completed. Hours credited are
the hours of the sessions actually attended (present or late).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.training import seats
from luodi.training.models import (
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    Reflection,
    TrainingClass,
)

DECIDED = (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED, EnrolmentStatus.WITHDRAWN)


@dataclass(frozen=True)
class Result:
    status: str
    reason: str
    hours: Decimal


def decide(enrolment: Enrolment, total_hours: Decimal) -> Result:
    """The result for one enrolment annotated by ``_with_hours``."""
    rules = enrolment.training_class.class_type
    attended = enrolment.hours_attended
    leave = enrolment.leave_hours
    if total_hours and leave > enrolment.training_class.leave_limit(total_hours):
        return Result(
            EnrolmentStatus.WITHDRAWN,
            _("Leave of %(leave)s hours is more than %(limit)s of the class's %(total)s hours.")
            % {"leave": leave, "limit": f"{rules.max_leave_percent}%", "total": total_hours},
            Decimal(0),
        )
    percent = 100 * attended / total_hours if total_hours else Decimal(100)
    if percent < rules.min_attendance_percent:
        return Result(
            EnrolmentStatus.NOT_COMPLETED,
            _("Attended %(attended)s of %(total)s hours (%(percent)s%%), below %(min)s%%.")
            % {
                "attended": attended,
                "total": total_hours,
                "percent": round(percent),
                "min": rules.min_attendance_percent,
            },
            attended,
        )
    if rules.reflection_required and not enrolment.has_reflection:
        return Result(EnrolmentStatus.NOT_COMPLETED, _("No reflection was submitted."), attended)
    return Result(
        EnrolmentStatus.COMPLETED,
        _("Attended %(attended)s of %(total)s hours.")
        % {"attended": attended, "total": total_hours},
        attended,
    )


def _with_hours(enrolments):
    return (
        enrolments.select_related("training_class__class_type", "cadre")
        .with_hours()
        .annotate(has_reflection=Exists(Reflection.objects.filter(enrolment=OuterRef("pk"))))
    )


def preview(training_class: TrainingClass) -> list[tuple[Enrolment, Result]]:
    """What completing the class would decide, without writing anything."""
    total = training_class.total_hours()
    # Enrolled trainees, and those a previous completion decided (hours_credited is set);
    # not those withdrawn by staff or never confirmed.
    enrolments = _with_hours(
        training_class.enrolments.filter(
            Q(status=EnrolmentStatus.ENROLLED) | Q(status__in=DECIDED, hours_credited__isnull=False)
        ).order_by("cadre__name_pinyin")
    )
    return [(e, decide(e, total)) for e in enrolments]


@transaction.atomic
def class_complete(*, training_class: TrainingClass) -> list[tuple[Enrolment, Result]]:
    """Finish the class and record every enrolled trainee's result. Nominations never
    confirmed are withdrawn; results overridden by staff are kept."""
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if training_class.status not in (ClassStatus.IN_PROGRESS, ClassStatus.FINISHED):
        raise ValidationError(_("Only a class in progress or finished can be completed."))
    training_class.enrolments.filter(status=EnrolmentStatus.NOMINATED).update(
        status=EnrolmentStatus.WITHDRAWN, result_reason=_("Nomination was never confirmed.")
    )
    results = preview(training_class)
    changed = []
    for enrolment, result in results:
        if enrolment.overridden_by_id:
            continue
        enrolment.status = result.status
        enrolment.result_reason = result.reason
        enrolment.hours_credited = result.hours
        changed.append(enrolment)
    Enrolment.objects.bulk_update(changed, ["status", "result_reason", "hours_credited"])
    if training_class.status == ClassStatus.IN_PROGRESS:
        training_class.status = ClassStatus.FINISHED
        training_class.save(update_fields=["status", "updated_at"])
    seats.recount(TrainingClass.objects.filter(pk=training_class.pk))
    return results


@transaction.atomic
def enrolment_override(*, enrolment: Enrolment, status: str, reason: str, by: User) -> Enrolment:
    """Staff set a result by hand; the reason is required and recorded with who did it."""
    if status not in DECIDED:
        raise ValidationError(_("Choose completed, not completed or withdrawn."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for overriding the result."))
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.training_class.status not in (ClassStatus.FINISHED, ClassStatus.ARCHIVED):
        raise ValidationError(_("Results can be overridden once the class is finished."))
    enrolment.status = status
    enrolment.override_reason = reason.strip()
    enrolment.overridden_by = by
    enrolment.save(update_fields=["status", "override_reason", "overridden_by", "updated_at"])
    seats.recount(TrainingClass.objects.filter(pk=enrolment.training_class_id))
    return enrolment
