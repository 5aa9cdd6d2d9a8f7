"""Attendance writes: a trainee's QR check-in and the head teacher's roll call.

One attendance row per trainee and session is guaranteed by the database's unique constraint
(``attendance_unique_per_session``), never by looking first: a write inserts and, when the
constraint reports a row already there, changes that row instead. Repeated or simultaneous
scans therefore never make a second row.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
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
    Enrolment,
    EnrolmentStatus,
    Session,
)


class CheckInRefused(ValidationError):
    """A check-in that cannot be accepted; ``messages[0]`` says why, in the user's language."""

    http_status = 400


class NotEnrolled(CheckInRefused):
    http_status = 403


class OutsideWindow(CheckInRefused):
    pass


class InvalidCode(CheckInRefused):
    pass


def invalid_code() -> InvalidCode:
    # One message for a forged, malformed, expired or another session's code: it must not tell
    # which part failed.
    return InvalidCode(
        _(
            "This check-in code is not valid or has expired. "
            "Scan the code on the classroom screen again."
        )
    )


def _local(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def late_after() -> timedelta:
    return timedelta(minutes=CollegeSettings.load().checkin_late_minutes)


def session_check_in(
    *, session: Session, cadre: Cadre | None, token: str, now: datetime
) -> Attendance:
    """Record that ``cadre`` is at ``session``, from a scanned code.

    Present when checked in by the start plus ``late_after()``, late afterwards. A row already
    marked leave or absent becomes present/late (they came after all); a row already present or
    late is returned unchanged, keeping the first check-in time.

    A first check-in is one short write transaction: the INSERT and its audit row (SQLite has
    one writer at a time, and this is the busiest write of the system). When the unique
    constraint says a row exists, it is read under a row lock and updated in a transaction of
    its own, with its audit row.
    """
    enrolment = _enrolment_to_check_in(session, cadre)
    _refuse_outside_window(session, now)
    if not tokens.token_is_valid(session.pk, token, now):
        raise invalid_code()
    return _record_check_in(enrolment, session, now)


def scan_grace() -> timedelta:
    return timedelta(minutes=settings.LUODI_CHECKIN_SCAN_GRACE_MINUTES)


def session_check_in_scanned(
    *, session: Session, cadre: Cadre | None, scanned_at: datetime, now: datetime
) -> Attendance:
    """Check in a trainee who scanned a valid code at ``scanned_at`` before they were logged
    in (the check-in page kept the scan in their browser's session, ``checkin.views``), once
    they have logged in, even for the first time with a texted code. The scan time counts,
    as if they had been logged in then, for up to ``scan_grace()`` after the scan; the scan
    lives in that one browser's session only, so it cannot be passed around like a link."""
    if not (now - scan_grace() <= scanned_at <= now):
        raise invalid_code()
    enrolment = _enrolment_to_check_in(session, cadre)
    _refuse_outside_window(session, scanned_at)
    return _record_check_in(enrolment, session, scanned_at)


def _refuse_outside_window(session: Session, now: datetime) -> None:
    window = tokens.window(session)
    if now < window.opens:
        raise OutsideWindow(
            _("Check-in for this session opens at %(time)s.") % {"time": _local(window.opens)}
        )
    if now > window.closes:
        raise OutsideWindow(
            _("Check-in for this session closed at %(time)s.") % {"time": _local(window.closes)}
        )


def _record_check_in(enrolment: Enrolment, session: Session, now: datetime) -> Attendance:
    window = tokens.window(session)
    status = (
        AttendanceStatus.PRESENT if now <= window.start + late_after() else AttendanceStatus.LATE
    )
    # The row and its audit event commit together: one write transaction a check-in (inside a
    # caller's transaction, a savepoint keeps it usable after a conflict).
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                enrolment=enrolment, session=session, status=status, checked_in_at=now
            )
            audit.record("attendance.check_in", obj=attendance, status=attendance.status)
        return attendance
    except IntegrityError:
        pass  # a row exists: a repeated scan, a leave, or a mark by the head teacher
    with transaction.atomic():
        attendance = _check_in_again(enrolment, session, status, now)
        audit.record("attendance.check_in", obj=attendance, status=attendance.status)
    return attendance


def _enrolment_to_check_in(session: Session, cadre: Cadre | None) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(
            training_class_id=session.training_class_id,
            cadre=cadre,
            status=EnrolmentStatus.ENROLLED,
        )
        .select_related("training_class")
        .only("pk", "training_class__status")
        .order_by("pk")
        .first()
        if cadre is not None
        else None
    )
    if enrolment is None:
        raise NotEnrolled(
            _("You are not enrolled in this class, so you cannot check in to its sessions.")
        )
    if enrolment.training_class.is_frozen:
        raise OutsideWindow(_("This class is finished: check-in is closed."))
    return enrolment


def _check_in_again(
    enrolment: Enrolment, session: Session, status: str, now: datetime
) -> Attendance:
    attendance = Attendance.objects.select_for_update().get(enrolment=enrolment, session=session)
    if attendance.status not in ATTENDED_STATUSES:
        attendance.status = status
        attendance.checked_in_at = now
        attendance.save(update_fields=["status", "checked_in_at", "updated_at"])
    return attendance


def refuse_if_frozen(training_class) -> None:
    """A finished or archived class's attendance and leave change only by a correction."""
    if training_class.is_frozen:
        raise ValidationError(
            _(
                "This class is finished: its attendance and leave can no longer be changed here. "
                "Academic staff correct them, with the reason, on the class's completion page."
            ),
            code="frozen",
        )


def _on_roll(session: Session, enrolment: Enrolment) -> None:
    if (
        enrolment.training_class_id != session.training_class_id
        or enrolment.status not in ROSTER_STATUSES
    ):
        raise ValidationError(_("This trainee is not on this class's roll."))


@transaction.atomic
def attendance_mark(*, session: Session, enrolment: Enrolment, status: str, by: User) -> Attendance:
    """The head teacher sets one trainee's attendance at a session by hand (any status)."""
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Choose present, late, on leave or absent."))
    refuse_if_frozen(session.training_class)
    _on_roll(session, enrolment)
    attendance, _created = Attendance.objects.update_or_create(
        enrolment=enrolment, session=session, defaults={"status": status}
    )
    audit.record("attendance.mark", by=by, obj=attendance, status=status)
    return attendance


@transaction.atomic
def attendance_mark_unmarked_absent(*, session: Session, now: datetime, by: User) -> int:
    """Mark absent every trainee on the roll with no attendance yet; returns how many.

    Allowed once check-in has closed, so nobody who could still scan is marked absent.
    Rows that exist already (checked in, on leave, marked by hand) are left alone.
    """
    refuse_if_frozen(session.training_class)
    closes = tokens.window(session).closes
    if now <= closes:
        raise ValidationError(
            _("Check-in is open until %(time)s; mark the others absent after it closes.")
            % {"time": _local(closes)}
        )
    missing = (
        Enrolment.objects.filter(training_class_id=session.training_class_id)
        .on_roster()
        .exclude(attendances__session=session)
    )
    rows = [
        Attendance(enrolment_id=pk, session=session, status=AttendanceStatus.ABSENT)
        for pk in missing.values_list("pk", flat=True)
    ]
    # A trainee marked by hand meanwhile keeps their mark: the insert skips existing rows.
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    audit.record("attendance.mark_absent", by=by, obj=session, count=len(rows))
    return len(rows)
