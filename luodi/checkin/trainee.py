"""What a trainee sees and does on their phone: their classes, today's sessions, courseware
and their reflection. Every query starts from the trainee's own cadre record."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.cadres.models import Cadre
from luodi.checkin import tokens
from luodi.college.models import CollegeSettings
from luodi.lib import audit
from luodi.training.models import (
    ATTENDED_STATUSES,
    ROSTER_STATUSES,
    Attendance,
    AttendanceStatus,
    Courseware,
    Enrolment,
    EnrolmentStatus,
    Reflection,
    Session,
)
from luodi.training.services import reflections

# A reflection can be written by anyone on the roster, while the class runs and after it ends.
REFLECTION_STATUSES = ROSTER_STATUSES
REFLECTION_MAX_LENGTH = 5000


def reflection_min_length() -> int:
    """The shortest reflection accepted (the college settings; 300 by default)."""
    return CollegeSettings.load().reflection_min_characters


def reflection_length(text: str) -> int:
    """Characters as a college counts 字: every character but spaces and line breaks (the
    counter on the page, static/luodi/char-counter.js, counts the same way)."""
    return sum(1 for ch in text if not ch.isspace())


def my_classes(cadre: Cadre) -> list[Enrolment]:
    """The trainee's enrolments, newest class first. Each carries ``has_reflection``,
    ``may_reflect``, ``may_ask_leave`` and ``courseware`` (the items it gives access to)."""
    enrolments = list(
        Enrolment.objects.filter(cadre=cadre)
        .select_related("training_class__class_type")
        .annotate(has_reflection=Exists(Reflection.objects.filter(enrolment=OuterRef("pk"))))
        .order_by("-training_class__start_date", "-id")
    )
    courseware = courseware_by_enrolment(cadre)
    for e in enrolments:
        e.may_reflect = e.status in REFLECTION_STATUSES
        e.may_ask_leave = e.status == EnrolmentStatus.ENROLLED
        e.courseware = courseware.get(e.pk, [])
    return enrolments


@dataclass(frozen=True)
class TodaySession:
    session: Session
    status: str | None  # the trainee's attendance status, None when nothing is recorded
    checked_in_at: datetime | None
    window: tokens.Window
    now: datetime

    @property
    def status_label(self) -> str:
        return AttendanceStatus(self.status).label if self.status else ""

    @property
    def state(self) -> str:
        """One of: done (checked in), leave, absent, upcoming, open, closed."""
        if self.status in ATTENDED_STATUSES:
            return "done"
        if self.status:
            return self.status
        if self.now < self.window.opens:
            return "upcoming"
        return "open" if self.now <= self.window.closes else "closed"


def todays_sessions(cadre: Cadre, today: date, now: datetime) -> list[TodaySession]:
    mine = Attendance.objects.filter(session=OuterRef("pk"), enrolment__cadre=cadre)
    sessions = (
        Session.objects.filter(
            date=today,
            training_class__enrolments__cadre=cadre,
            training_class__enrolments__status=EnrolmentStatus.ENROLLED,
        )
        .select_related("course", "training_class__class_type", "field_site")
        .annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_checked_in_at=Subquery(mine.values("checked_in_at")[:1]),
        )
        .order_by("start_time", "id")
    )
    return [
        TodaySession(s, s.my_status, s.my_checked_in_at, tokens.window(s), now) for s in sessions
    ]


def courseware_available_to(cadre: Cadre):
    """Courseware of every session the trainee attended (present or late); it stays available
    after the class ends. Another class's material for the same course is not theirs."""
    attended = Attendance.objects.filter(
        enrolment__cadre=cadre, status__in=ATTENDED_STATUSES
    ).values("session_id")
    return Courseware.objects.filter(session_id__in=attended).select_related("course", "session")


def courseware_by_enrolment(cadre: Cadre) -> dict[int, list[Courseware]]:
    """The available courseware grouped by the class (enrolment) whose session gave access."""
    enrolment_of_session = dict(
        Attendance.objects.filter(enrolment__cadre=cadre, status__in=ATTENDED_STATUSES)
        .values_list("session_id", "enrolment_id")
        .distinct()
    )
    grouped = defaultdict(list)
    for item in courseware_available_to(cadre):
        grouped[enrolment_of_session[item.session_id]].append(item)
    for items in grouped.values():
        items.sort(key=lambda c: (c.session.date, c.course.title, c.title))
    return grouped


@transaction.atomic
def reflection_save(
    *, enrolment: Enrolment, text: str, by: User, attachment: Any = None
) -> Reflection:
    """Submit or replace the trainee's reflection on a class (one per enrolment), with a file
    attached if given (checked by its content; it replaces an earlier one)."""
    text = (text or "").strip()
    if enrolment.status not in REFLECTION_STATUSES:
        raise ValidationError(_("Only a trainee enrolled in the class can write a reflection."))
    if not text:
        raise ValidationError(_("Write your reflection before submitting it."))
    length, shortest = reflection_length(text), reflection_min_length()
    if length < shortest:
        raise ValidationError(
            _(
                "Your reflection has %(n)s characters; write at least %(min)s (spaces and "
                "line breaks are not counted)."
            )
            % {"n": length, "min": shortest},
            code="too_short",
        )
    if len(text) > REFLECTION_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reflection under %(n)s characters.") % {"n": REFLECTION_MAX_LENGTH}
        )
    reflection, created = Reflection.objects.update_or_create(
        enrolment=enrolment, defaults={"text": text}
    )
    if attachment is not None:
        # A refused file rolls the whole submission back: the reflection stays as it was.
        reflections.attachment_attach(reflection=reflection, file=attachment, by=by)
        reflection.save(update_fields=["attachment", "attachment_name", "updated_at"])
    audit.record(
        "reflection.save",
        by=by,
        obj=reflection,
        created=created,
        attachment=reflection.attachment_name if attachment is not None else "",
    )
    return reflection
