"""Leave (请假): trainees ask, the head teacher decides; approved leave is attendance "leave".

Leave hours are the hours of the sessions whose attendance is "leave", the same figure the
completion rules use; the limit is the class's hours × its type's leave fraction (1/7 under
the Cadre Education and Training Regulations), compared exactly. Going over the limit is allowed —
the head teacher decides — but the trainee is warned before sending (``leave_forecast``) and
the review shows it before approving. A session is asked for in one request at a time.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.checkin.services import refuse_if_frozen
from luodi.lib import audit
from luodi.notifications.models import NotificationKind
from luodi.notifications.services import notify
from luodi.training.models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    LeaveStatus,
    Session,
    TrainingClass,
)
from luodi.training.services.notices import users_of_cadres

NOTE_MAX_LENGTH = cast(int, LeaveRequest._meta.get_field("decision_note").max_length)
REASON_MAX_LENGTH = 1000


def leave_limit(training_class: TrainingClass) -> Decimal:
    """The most leave, in hours, a trainee of this class may take."""
    return training_class.leave_limit()


def leave_hours(enrolment: Enrolment) -> Decimal:
    """Hours of the sessions this trainee is on leave from (approved or marked by hand)."""
    total = enrolment.attendances.filter(status=AttendanceStatus.LEAVE).aggregate(
        hours=Sum("session__hours")
    )["hours"]
    return total or Decimal(0)


def with_leave_hours(enrolments):
    """Annotate ``leave_hours`` (and ``hours_attended``) on enrolments, in the same query."""
    return enrolments.with_hours()


def requested_sessions(enrolment: Enrolment):
    """Ids of the sessions named in the trainee's pending or approved requests: one request per
    session (a refused one may be asked again)."""
    return Session.objects.filter(
        pk__in=LeaveRequest.objects.filter(
            enrolment=enrolment, status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED)
        ).values("sessions")
    ).values("pk")


def _session_text(session: Session) -> str:
    return f"{session.date:%m-%d} {session.get_slot_display()} {session.course.title}"


@dataclass(frozen=True)
class Forecast:
    """The trainee's leave if this request and their other pending ones were approved."""

    taken: Decimal
    pending: Decimal
    asked: Decimal
    limit: Decimal  # for display; ``over_limit`` compares exactly
    over_limit: bool

    @property
    def after(self) -> Decimal:
        return self.taken + self.pending + self.asked

    @property
    def remaining(self) -> Decimal:
        return max(self.limit - self.taken - self.pending, Decimal(0))


def leave_forecast(enrolment: Enrolment, sessions: Iterable[Session]) -> Forecast:
    """What the leave would come to: shown to the trainee before a request over the limit is
    sent, as ``pending_reviews`` shows it to the head teacher before approving."""
    training_class = enrolment.training_class
    total = training_class.total_hours()
    settled = set(
        enrolment.attendances.filter(
            status__in=(*ATTENDED_STATUSES, AttendanceStatus.LEAVE)
        ).values_list("session_id", flat=True)
    )
    pending_ids = (
        set(
            LeaveRequest.objects.filter(
                enrolment=enrolment, status=LeaveStatus.PENDING
            ).values_list("sessions", flat=True)
        )
        - settled
    )
    pending = sum((s.hours for s in Session.objects.filter(pk__in=pending_ids)), start=Decimal(0))
    asked = sum(
        (s.hours for s in sessions if s.pk not in settled and s.pk not in pending_ids),
        start=Decimal(0),
    )
    taken = leave_hours(enrolment)
    after = taken + pending + asked
    return Forecast(
        taken,
        pending,
        asked,
        training_class.leave_limit(total),
        training_class.class_type.leave_exceeds(after, total),
    )


@transaction.atomic
def leave_request_create(
    *, enrolment: Enrolment, sessions: Iterable[Session], reason: str, by: User
) -> LeaveRequest:
    sessions = list(sessions)
    reason = (reason or "").strip()
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Only a trainee enrolled in the class can ask for leave."))
    refuse_if_frozen(enrolment.training_class)
    if not sessions:
        raise ValidationError(_("Choose at least one session to ask leave for."))
    if not reason:
        raise ValidationError(_("Give the reason for your leave."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX_LENGTH}
        )
    if any(s.training_class_id != enrolment.training_class_id for s in sessions):
        raise ValidationError(_("Leave can only be asked for sessions of your own class."))
    attended = enrolment.attendances.filter(session__in=sessions, status__in=ATTENDED_STATUSES)
    if attended.exists():
        raise ValidationError(_("You have already checked in to one of these sessions."))
    asked = (
        Session.objects.filter(pk__in=[s.pk for s in sessions])
        .filter(pk__in=requested_sessions(enrolment))
        .select_related("course")
        .order_by("date", "start_time")
    )
    if asked:
        raise ValidationError(
            _("You have already asked leave for %(sessions)s; that request stands.")
            % {"sessions": "、".join(_session_text(s) for s in asked)},
            code="overlap",
        )
    leave_request = LeaveRequest.objects.create(enrolment=enrolment, reason=reason)
    leave_request.sessions.set(sessions)
    audit.record("leave.request", by=by, obj=leave_request, sessions=len(sessions))
    return leave_request


@transaction.atomic
def leave_request_decide(
    *, leave_request: LeaveRequest, approve: bool, by: User, note: str = ""
) -> LeaveRequest:
    """Approve or refuse a pending request. Approval marks its sessions "leave", except the
    sessions the trainee has attended after all (a check-in outranks a leave)."""
    refuse_if_frozen(leave_request.enrolment.training_class)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("Keep the note under %(n)s characters.") % {"n": NOTE_MAX_LENGTH})
    now = timezone.now()
    # The conditional update lets one decision through even when two are sent at once.
    decided = LeaveRequest.objects.filter(pk=leave_request.pk, status=LeaveStatus.PENDING).update(
        status=LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED,
        decided_by=by,
        decided_at=now,
        decision_note=note,
        updated_at=now,
    )
    if not decided:
        raise ValidationError(_("This request has already been decided."))
    if approve:
        _mark_leave(leave_request)
    leave_request.refresh_from_db()
    audit.record("leave.decide", by=by, obj=leave_request, approved=approve)
    _notify_decision(leave_request, approve=approve, by=by)
    return leave_request


def _notify_decision(leave_request: LeaveRequest, *, approve: bool, by: User) -> None:
    """Tell the trainee (their user account, if they have one) how their request was decided."""
    enrolment = leave_request.enrolment
    title = enrolment.training_class.title
    if approve:
        text = _("Your leave request for %(class)s was approved.") % {"class": title}
    else:
        text = _("Your leave request for %(class)s was refused.") % {"class": title}
    if leave_request.decision_note:
        text += " " + _("Note: %(note)s") % {"note": leave_request.decision_note}
    notify(
        users=users_of_cadres([enrolment.cadre_id]),
        kind=NotificationKind.LEAVE_DECIDED,
        text=text,
        url=reverse("checkin:home"),
        by=by,
    )


def _mark_leave(leave_request: LeaveRequest) -> None:
    enrolment_id = leave_request.enrolment_id
    session_ids = list(leave_request.sessions.values_list("pk", flat=True))
    Attendance.objects.bulk_create(
        [
            Attendance(enrolment_id=enrolment_id, session_id=pk, status=AttendanceStatus.LEAVE)
            for pk in session_ids
        ],
        ignore_conflicts=True,
    )
    Attendance.objects.filter(enrolment_id=enrolment_id, session_id__in=session_ids).exclude(
        status__in=(*ATTENDED_STATUSES, AttendanceStatus.LEAVE)
    ).update(status=AttendanceStatus.LEAVE, updated_at=timezone.now())


@dataclass(frozen=True)
class Review:
    """A pending request as the head teacher sees it before deciding."""

    request: LeaveRequest
    hours_asked: Decimal  # sessions not already on leave nor attended
    leave_now: Decimal
    leave_after: Decimal
    limit: Decimal  # for display; ``over_limit`` compares exactly
    over_limit: bool


def pending_reviews(training_class: TrainingClass) -> list[Review]:
    """Every pending request of the class with the trainee's leave now and after approval.
    A fixed number of queries, however many requests there are."""
    total = training_class.total_hours()
    limit = training_class.leave_limit(total)
    rules = training_class.class_type
    requests = list(
        LeaveRequest.objects.filter(
            enrolment__training_class=training_class, status=LeaveStatus.PENDING
        )
        .select_related("enrolment__cadre__community")
        .prefetch_related("sessions__course")
        .order_by("created_at", "id")
    )
    enrolment_ids = {r.enrolment_id for r in requests}
    leave_now = dict(
        with_leave_hours(Enrolment.objects.filter(pk__in=enrolment_ids)).values_list(
            "pk", "leave_hours"
        )
    )
    recorded = {
        (a.enrolment_id, a.session_id): a.status
        for a in Attendance.objects.filter(enrolment_id__in=enrolment_ids).only(
            "enrolment_id", "session_id", "status"
        )
    }
    reviews = []
    for r in requests:
        asked = sum(
            (
                s.hours
                for s in r.sessions.all()
                if recorded.get((r.enrolment_id, s.pk))
                not in (*ATTENDED_STATUSES, AttendanceStatus.LEAVE)
            ),
            start=Decimal(0),
        )
        now = leave_now.get(r.enrolment_id, Decimal(0))
        after = now + asked
        reviews.append(Review(r, asked, now, after, limit, rules.leave_exceeds(after, total)))
    return reviews


@dataclass(frozen=True)
class AtRisk:
    """A trainee whose leave is near or over their class's limit."""

    enrolment: Enrolment
    leave_hours: Decimal
    limit: Decimal  # for display
    over_limit: bool


# "Near the limit": three quarters of it or more, compared exactly (leave × 4 ≥ limit × 3).
NEAR_LIMIT = (3, 4)


def at_risk(classes) -> list[AtRisk]:
    """The trainees on the roster of ``classes`` (running classes, class type loaded) whose
    leave hours are at least three quarters of the limit, most leave first. Two queries,
    however many classes and trainees."""
    classes = {c.pk: c for c in classes}
    totals = dict(
        Session.objects.filter(training_class_id__in=classes)
        .values("training_class_id")
        .annotate(total=Sum("hours"))
        .values_list("training_class_id", "total")
    )
    enrolments = (
        Enrolment.objects.filter(training_class_id__in=classes)
        .on_roster()
        .with_hours()
        .filter(leave_hours__gt=0)
        .select_related("cadre")
        .order_by("-leave_hours", "cadre__name_pinyin")
    )
    share, whole = NEAR_LIMIT
    found = []
    for e in enrolments:
        tc = classes[e.training_class_id]
        e.training_class = tc
        total = totals.get(tc.pk) or Decimal(0)
        rules = tc.class_type
        # leave / total ≥ (n / d) × (3 / 4), in integers: leave × d × 4 ≥ total × n × 3
        near = e.leave_hours * rules.max_leave_denominator * whole >= (
            total * rules.max_leave_numerator * share
        )
        if near:
            found.append(
                AtRisk(
                    e,
                    e.leave_hours,
                    tc.leave_limit(total),
                    rules.leave_exceeds(e.leave_hours, total),
                )
            )
    return found
