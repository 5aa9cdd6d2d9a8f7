"""Timetabling: adding, changing and removing sessions, and the conflicts Luodi refuses.

The database refuses a teacher or a venue in two overlapping sessions (migration 0004); these
checks name the clash in words before anything is written. A change to the timetable of a class
that has started (added, changed or removed session) goes through ``_timetable_changed``: the
one place that records it and notifies the trainees (``services.notices``).
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.curriculum.models import TeachingMethod
from luodi.faculty.models import Teacher
from luodi.lib import audit
from luodi.training.models import ClassStatus, LeaveRequest, LeaveStatus, Session, TrainingClass
from luodi.training.services.notices import notify_timetable_changed


def _overlapping(session: Session):
    return (
        Session.objects.filter(
            date=session.date,
            start_time__lt=session.end_time,
            end_time__gt=session.start_time,
        )
        .exclude(pk=session.pk)
        .select_related("training_class__class_type", "course")
    )


def _teacher_problems(teacher: Teacher, session: Session) -> list[str]:
    """The teacher's political review and availability on the session's date."""
    problems = []
    if why := teacher.review_problem(session.date):
        problems.append(why + " " + _("They cannot be scheduled."))
    others = teacher.sessions.filter(date=session.date).exclude(pk=session.pk).count()
    if why := teacher.availability_problem(session.date, other_sessions=others):
        problems.append(why)
    return problems


def session_conflicts(session: Session) -> list[str]:
    """Every reason this session cannot be scheduled, in the user's language."""
    problems = []
    tc = session.training_class
    if session.date and not (tc.start_date <= session.date <= tc.end_date):
        problems.append(
            _("The session falls outside the class's dates (%(start)s – %(end)s).")
            % {"start": tc.start_date, "end": tc.end_date}
        )
    if session.method == TeachingMethod.ON_SITE and not session.field_site_id:
        problems.append(_("On-site teaching needs a field-teaching site."))
    if session.method == TeachingMethod.CASE_ANALYSIS and not session.case_id:
        problems.append(_("Case analysis needs a teaching case."))
    if not session.venue and not session.field_site_id:
        problems.append(_("Give a venue or a field-teaching site."))
    teacher = session.teacher if session.teacher_id else None
    if teacher and session.date:
        # Cleared and available on the session's own date, not today.
        problems.extend(_teacher_problems(teacher, session))
    if not (session.date and session.start_time and session.end_time):
        return problems
    if session.start_time >= session.end_time:
        problems.append(_("A session must end after it starts."))
        return problems
    clashes = _overlapping(session)
    if teacher:
        for other in clashes.filter(teacher_id=session.teacher_id):
            problems.append(
                _(
                    "%(teacher)s already teaches “%(course)s” in %(class)s "
                    "from %(start)s to %(end)s."
                )
                % {
                    "teacher": teacher.name,
                    "course": other.course.title,
                    "class": other.training_class.title,
                    "start": other.start_time.strftime("%H:%M"),
                    "end": other.end_time.strftime("%H:%M"),
                }
            )
    if session.venue:
        for other in clashes.filter(venue=session.venue):
            problems.append(
                _("%(venue)s is already booked by %(class)s from %(start)s to %(end)s.")
                % {
                    "venue": session.venue,
                    "class": other.training_class.title,
                    "start": other.start_time.strftime("%H:%M"),
                    "end": other.end_time.strftime("%H:%M"),
                }
            )
    return problems


def class_has_started(training_class: TrainingClass) -> bool:
    """Whether trainees may already be following the timetable: the class is running or over,
    or its first day has come."""
    return (
        training_class.status
        in (ClassStatus.IN_PROGRESS, ClassStatus.FINISHED, ClassStatus.ARCHIVED)
        or training_class.start_date <= timezone.localdate()
    )


def _snapshot(session: Session) -> dict[str, Any]:
    """The tracked fields as plain values (ids, ISO dates), for the audit trail."""
    values = {}
    for name in Session.PLANNED_FIELDS:
        field = Session._meta.get_field(name)
        value = getattr(session, getattr(field, "attname", name))
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    # 3 and 3.0 are the same hours: a session read back from the database has its places.
    hours = Decimal(session.hours) if session.hours is not None else None
    values["hours"] = str(hours.normalize()) if hours is not None else None
    return values


def describe(session: Session) -> str:
    start, end = session.start_time.strftime("%H:%M"), session.end_time.strftime("%H:%M")
    return f"{session.date.isoformat()} {start}–{end} {session.course.title}"


def _timetable_changed(training_class: TrainingClass, *, by: User | None, summary: str) -> None:
    """The single hook for a change to the timetable of a class that has started: it records
    the change for the class and tells its trainees (after the transaction commits, from a
    background job; nobody while the class is over)."""
    audit.record("timetable.changed", by=by, obj=training_class, summary=summary)
    notify_timetable_changed(training_class, by=by, summary=summary)


@transaction.atomic
def session_save(*, session: Session, by: User | None) -> Session:
    """Save a new or changed session after every check; refuse with all reasons at once.
    A change to a class that has started is recorded with its before and after values."""
    problems = session_conflicts(session)
    if problems:
        raise ValidationError(problems)
    session.full_clean()
    stored = Session.objects.filter(pk=session.pk).select_related("course").first()
    before = _snapshot(stored) if stored else None
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        # Another planner booked the teacher or the venue at this moment.
        raise ValidationError(
            _("The teacher or the venue was just booked for this time by someone else.")
        ) from exc
    after = _snapshot(session)
    changed = [k for k in after if before and before[k] != after[k]]
    audit.record(
        "session.save",
        by=by,
        obj=session,
        created=before is None,
        before={k: before[k] for k in changed} if before else {},
        after={k: after[k] for k in changed} if before else after,
    )
    training_class = session.training_class
    if class_has_started(training_class) and (before is None or changed):
        if stored is None:
            summary = _("Session added: %(session)s.") % {"session": describe(session)}
        else:
            summary = _("Session changed: %(before)s → %(after)s.") % {
                "before": describe(stored),
                "after": describe(session),
            }
        _timetable_changed(training_class, by=by, summary=summary)
    return session


def deletion_refusal(session: Session) -> str:
    """Why the session cannot be removed ("" when it can): a session with attendance or leave
    on record stays, so no trainee's hours or leave silently change."""
    marks = session.attendances.count()
    if marks:
        return _(
            "This session has %(n)s attendance records, so it stays on the timetable. Change "
            "it instead, or correct the attendance on the completion page."
        ) % {"n": marks}
    asked = LeaveRequest.objects.filter(
        sessions=session, status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED)
    ).count()
    if asked:
        return _(
            "%(n)s leave requests name this session; decide them (or change the session) "
            "before removing it."
        ) % {"n": asked}
    # The session's evaluation (surveys, through the reverse relation): its answers stay.
    if Session.objects.filter(pk=session.pk, evaluation__participations__isnull=False).exists():
        return _("This session has been evaluated by its trainees, so it stays on the timetable.")
    return ""


@transaction.atomic
def session_delete(*, session: Session, by: User | None) -> None:
    """Remove a session that nobody has attended or asked leave for; refused otherwise."""
    session = (
        Session.objects.select_for_update()
        .select_related("course", "training_class")
        .get(pk=session.pk)
    )
    refusal = deletion_refusal(session)
    if refusal:
        raise ValidationError(refusal, code="has_records")
    training_class = session.training_class
    before = _snapshot(session)
    description = describe(session)
    session.delete()
    audit.record("session.delete", by=by, obj=training_class, session=before)
    if class_has_started(training_class):
        _timetable_changed(
            training_class,
            by=by,
            summary=_("Session removed: %(session)s.") % {"session": description},
        )
