"""Timetabling: adding sessions, and the conflicts Luodi refuses.

The database refuses a teacher or a venue in two overlapping sessions (migration 0004); these
checks name the clash in words before anything is written.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.curriculum.models import TeachingMethod
from luodi.faculty.models import ReviewStatus
from luodi.lib import audit
from luodi.training.models import Session
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
    if teacher and teacher.review_status != ReviewStatus.PASSED:
        problems.append(
            _("%(teacher)s has not passed political review and cannot be scheduled.")
            % {"teacher": teacher.name}
        )
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


@transaction.atomic
def session_save(*, session: Session, by: User) -> Session:
    """Save a new or changed session after every check; refuse with all reasons at once."""
    problems = session_conflicts(session)
    if problems:
        raise ValidationError(problems)
    session.full_clean()
    adding = session._state.adding
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        # Another planner booked the teacher or the venue at this moment.
        raise ValidationError(
            _("The teacher or the venue was just booked for this time by someone else.")
        ) from exc
    audit.record("session.save", by=by, obj=session)
    if adding:
        # Changes to an existing session are told by the code that edits or deletes it.
        notify_timetable_changed(
            session.training_class, by=by, summary=session_added_summary(session)
        )
    return session


def session_added_summary(session: Session) -> str:
    """One line naming a new session, for the trainees' notice: "Session added: 2026-12-01
    08:30–11:30 Community governance, Room 3."."""
    site = session.field_site
    return _("Session added: %(date)s %(start)s–%(end)s %(course)s, %(place)s.") % {
        "date": session.date.isoformat(),
        "start": session.start_time.strftime("%H:%M"),
        "end": session.end_time.strftime("%H:%M"),
        "course": session.course.title,
        "place": site.name if site is not None else session.venue,
    }
