"""What trainees are told when their enrolment or their class's timetable changes.

The services call these after their write; ``notifications.notify`` queues the notice for
when the transaction commits, so a refused change tells nobody. Recipients are the cadres'
user accounts: a cadre without an account (or with a deactivated one) is not told.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.notifications.models import NotificationKind
from luodi.notifications.services import notify
from luodi.training.models import ClassStatus, Enrolment, EnrolmentStatus, TrainingClass

# A class's trainees hear of timetable changes once their places are being confirmed or the
# class runs; while it is planned nobody is on it yet, and a held class's timetable is a record.
TIMETABLE_NOTICE_STATUSES = (ClassStatus.ENROLLING, ClassStatus.IN_PROGRESS)


def users_of_cadres(cadre_ids: Iterable[int]) -> list[int]:
    """The ids of the active user accounts of these cadres."""
    return list(_accounts(cadre_ids).values_list("pk", flat=True))


def users_by_cadre(cadre_ids: Iterable[int]) -> dict[int, list[int]]:
    """``users_of_cadres`` per cadre, in one query: for notices to many classes at once.
    ``cadre_ids`` may be a QuerySet of ids (``values_list(..., flat=True)``), read as a
    subquery."""
    users: dict[int, list[int]] = {}
    for pk, cadre_id in _accounts(cadre_ids).values_list("pk", "cadre_id"):
        users.setdefault(cadre_id, []).append(pk)
    return users


def _accounts(cadre_ids: Iterable[int]):
    return User.objects.filter(cadre_id__in=cadre_ids, is_active=True).order_by("pk")


def notify_enrolment(enrolment: Enrolment, *, by: User | None) -> None:
    """Tell the cadre their place is confirmed (enrolled) or on the waiting list."""
    training_class = enrolment.training_class
    if enrolment.status == EnrolmentStatus.ENROLLED:
        kind = NotificationKind.NOMINATION_CONFIRMED
        text = _("Your place in %(class)s (%(start)s – %(end)s, %(venue)s) is confirmed.")
    elif enrolment.status == EnrolmentStatus.WAITLISTED:
        kind = NotificationKind.NOMINATION_WAITLISTED
        text = _("You are on the waiting list of %(class)s (%(start)s – %(end)s).")
    else:
        return
    text %= {
        "class": training_class.title,
        "start": training_class.start_date.isoformat(),
        "end": training_class.end_date.isoformat(),
        "venue": training_class.venue,
    }
    notify(
        users=users_of_cadres([enrolment.cadre_id]),
        kind=kind,
        text=text,
        url=reverse("checkin:home"),
        by=by,
    )


def notify_timetable_changed(
    training_class: TrainingClass, *, by: User | None, summary: str
) -> int:
    """Tell the class's trainees (its roster, ``Enrolment.on_roster``) that its timetable
    changed, with ``summary`` saying how ("Session added: 2026-12-01 08:30 …"). For any change
    to a session: adding one (``scheduling.session_save`` calls it), editing or deleting one.
    Does nothing while the class is planned or once it is held; returns how many were told."""
    if training_class.status not in TIMETABLE_NOTICE_STATUSES:
        return 0
    cadre_ids = (
        Enrolment.objects.on_roster()
        .filter(training_class=training_class)
        .values_list("cadre_id", flat=True)
    )
    text = _("The timetable of %(class)s has changed. %(summary)s") % {
        "class": training_class.title,
        "summary": summary,
    }
    told = notify(
        users=users_of_cadres(cadre_ids),
        kind=NotificationKind.TIMETABLE_CHANGED,
        text=text,
        url=reverse("checkin:home"),
        by=by,
    )
    return len(told)
