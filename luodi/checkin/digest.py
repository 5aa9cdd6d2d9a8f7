"""The head teacher's daily digest: for each head teacher with a class running today, one
notification (in the app, and texted) with today's sessions, the leave waiting for their
decision, the trainees near the leave limit, and the trainees of classes that ended who have
not written their reflection. ``manage.py send_digests`` sends it, once a day."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from luodi.accounts.models import User
from luodi.checkin.leave import at_risk
from luodi.notifications.models import NotificationKind
from luodi.notifications.services import daily_digest_claim, notify
from luodi.training.models import (
    HELD_STATUSES,
    ClassStatus,
    LeaveRequest,
    LeaveStatus,
    Session,
    TrainingClass,
)

# Classes that ended this many days ago or less are checked for missing reflections.
REFLECTION_WINDOW_DAYS = 30


def head_teachers_on(day: date) -> QuerySet[User]:
    """Active users whose teacher record heads a class running on ``day``."""
    running = TrainingClass.objects.running_on(day)
    return (
        User.objects.filter(is_active=True, teacher__classes_led__in=running)
        .distinct()
        .order_by("pk")
    )


def _today_lines(training_class: TrainingClass, day: date) -> list[str]:
    sessions = (
        Session.objects.filter(training_class=training_class, date=day)
        .select_related("course")
        .order_by("start_time")
    )
    listed = pgettext("separates the items of a list", "; ").join(
        f"{s.start_time:%H:%M}–{s.end_time:%H:%M} {s.course.title}" for s in sessions
    )
    if listed:
        lines = [
            _("%(class)s today: %(sessions)s.")
            % {"class": training_class.title, "sessions": listed}
        ]
    else:
        lines = [_("%(class)s has no sessions today.") % {"class": training_class.title}]
    near = at_risk([training_class])
    if near:
        names = pgettext("separates names in a list", ", ").join(
            _("%(name)s (%(hours)s h)")
            % {"name": r.enrolment.cadre.name, "hours": r.leave_hours.normalize()}
            for r in near
        )
        lines.append(
            _("Near the leave limit of %(limit)s h: %(names)s.")
            % {"limit": training_class.leave_limit().normalize(), "names": names}
        )
    return lines


def digest_text(user: User, day: date) -> str:
    """The digest of the head teacher ``user`` for ``day``, one line per item."""
    teacher_id = user.teacher_id
    lines = [_("Daily digest for %(day)s.") % {"day": day.isoformat()}]
    running = (
        TrainingClass.objects.running_on(day)
        .filter(head_teacher_id=teacher_id)
        .select_related("class_type")
        .order_by("start_date", "pk")
    )
    for training_class in running:
        lines += _today_lines(training_class, day)
    pending = (
        LeaveRequest.objects.filter(
            status=LeaveStatus.PENDING, enrolment__training_class__head_teacher_id=teacher_id
        )
        .exclude(enrolment__training_class__status__in=HELD_STATUSES)
        .count()
    )
    if pending:
        lines.append(_("Leave requests waiting for your decision: %(n)s.") % {"n": pending})
    ended = (
        TrainingClass.objects.filter(
            head_teacher_id=teacher_id,
            end_date__lt=day,
            end_date__gte=day - timedelta(days=REFLECTION_WINDOW_DAYS),
            class_type__reflection_required=True,
        )
        .exclude(status=ClassStatus.ARCHIVED)
        .select_related("class_type")
        .order_by("-end_date", "pk")
    )
    for training_class in ended:
        missing = training_class.enrolments.on_roster().filter(reflection__isnull=True).count()
        if missing:
            lines.append(
                ngettext(
                    "%(class)s (ended): %(n)s trainee has not written their reflection.",
                    "%(class)s (ended): %(n)s trainees have not written their reflection.",
                    missing,
                )
                % {"class": training_class.title, "n": missing}
            )
    return "\n".join(lines)


def digests_send(*, day: date | None = None) -> int:
    """Send each head teacher with a class running on ``day`` (today) their digest, unless it
    was sent already that day; return how many were sent now."""
    day = day or timezone.localdate()
    sent = 0
    for user in head_teachers_on(day):
        with transaction.atomic():
            if not daily_digest_claim(user=user, day=day):
                continue
            notify(
                users=[user],
                kind=NotificationKind.DIGEST,
                text=digest_text(user, day),
                url=reverse("home"),
            )
        sent += 1
    return sent
