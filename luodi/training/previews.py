"""What a destructive or bulk action on a class would change, in words, for the confirmation
step (``luodi.lib.confirm``). Reads only: the services do the writing."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luodi.training.models import (
    SEAT_STATUSES,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    Session,
    TrainingClass,
)
from luodi.training.services import completion

NAMES_SHOWN = 10


@dataclass
class Lines:
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _names(names: list[str]) -> str:
    shown = "、".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (_(" and %(n)s more") % {"n": more} if more > 0 else "")


def recompute(training_class: TrainingClass) -> Lines:
    """Finishing the class or recomputing its results: the moves with counts and names."""
    found = completion.result_changes(training_class)
    lines = Lines()
    for change in found.changes:
        lines.changes.append(
            ngettext(
                "%(n)s trainee: %(before)s → %(after)s (%(names)s)",
                "%(n)s trainees: %(before)s → %(after)s (%(names)s)",
                change.count,
            )
            % {
                "n": change.count,
                "before": change.before.label,
                "after": change.after.label,
                "names": _names(change.names),
            }
        )
    if found.hours_only:
        lines.changes.append(
            ngettext(
                "%(n)s result keeps its status but its hours change.",
                "%(n)s results keep their status but their hours change.",
                found.hours_only,
            )
            % {"n": found.hours_only}
        )
    if training_class.status == ClassStatus.IN_PROGRESS:
        lines.changes.append(
            _("The class goes from “%(from)s” to “%(to)s”; its records are then frozen.")
            % {"from": ClassStatus.IN_PROGRESS.label, "to": ClassStatus.FINISHED.label}
        )
    if found.blocked:
        lines.notes.append(
            _(
                "Refused as long as these trainees hold a valid certificate (revoke it first): "
                "%(names)s."
            )
            % {"names": _names(found.blocked)}
        )
    lines.notes.append(_("Results overridden by staff are kept."))
    return lines


def status_change(training_class: TrainingClass, status: ClassStatus) -> Lines:
    current = ClassStatus(training_class.status)
    lines = Lines(
        changes=[_("Status: “%(from)s” → “%(to)s”.") % {"from": current.label, "to": status.label}]
    )
    enrolments = training_class.enrolments
    nominated = enrolments.filter(status=EnrolmentStatus.NOMINATED).count()
    if status == ClassStatus.ENROLLING:
        lines.notes.append(_("City liaisons can nominate cadres of their city."))
        lines.notes.append(
            _("The term number is final from now on: %(title)s.") % {"title": training_class.title}
        )
        if not training_class.quotas.exists():
            lines.notes.append(_("No city quotas are set: any city may fill the class."))
    elif status == ClassStatus.PLANNED:
        lines.notes.append(
            _("Liaisons can no longer nominate; the nominations made so far stay on the list.")
        )
    elif status == ClassStatus.IN_PROGRESS:
        lines.notes.append(_("Trainees can check in and ask for leave."))
        if nominated:
            lines.notes.append(
                ngettext(
                    "%(n)s nomination is not confirmed yet; unconfirmed nominations are "
                    "withdrawn when the class is completed.",
                    "%(n)s nominations are not confirmed yet; unconfirmed nominations are "
                    "withdrawn when the class is completed.",
                    nominated,
                )
                % {"n": nominated}
            )
    elif status == ClassStatus.FINISHED:
        lines.notes.append(
            _(
                "Attendance, leave and results are frozen: they change only by a recorded "
                "correction. Results are not recorded by this step: record them on the "
                "completion page."
            )
        )
    elif status == ClassStatus.ARCHIVED:
        lines.notes.append(_("An archived class cannot change status any more."))
    return lines


def withdrawal(enrolment: Enrolment) -> Lines:
    before = EnrolmentStatus(enrolment.status)
    lines = Lines(
        changes=[
            _("%(name)s: “%(from)s” → “%(to)s”.")
            % {
                "name": enrolment.cadre.name,
                "from": before.label,
                "to": EnrolmentStatus.WITHDRAWN.label,
            }
        ]
    )
    if before in SEAT_STATUSES:
        lines.changes.append(
            _("The place goes back to the class and to %(city)s's quota.")
            % {"city": enrolment.city.name}
        )
    lines.notes.append(_("The cadre can be nominated again later; nothing else is deleted."))
    return lines


def session_deletion(session: Session) -> Lines:
    return Lines(
        changes=[
            _("The session %(date)s %(start)s–%(end)s “%(course)s” is removed from the timetable.")
            % {
                "date": session.date.isoformat(),
                "start": session.start_time.strftime("%H:%M"),
                "end": session.end_time.strftime("%H:%M"),
                "course": session.course.title,
            },
            _("The class's hours fall by %(hours)s.") % {"hours": session.hours},
        ]
    )
