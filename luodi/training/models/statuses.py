"""The states of classes, enrolments, attendance and leave, and the groups of them the rules
use (who holds a seat, who is on a roster, what credits hours)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ENROLLING = "enrolling", _("Enrolling")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    ARCHIVED = "archived", _("Archived")


HELD_STATUSES = (ClassStatus.FINISHED, ClassStatus.ARCHIVED)
# Not started yet: its timetable may still be planned or re-arranged as a whole.
NOT_STARTED_STATUSES = (ClassStatus.PLANNED, ClassStatus.ENROLLING)


class TimeSlot(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


# Statuses that credit a session's hours.
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class EnrolmentStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("Waiting list")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses that hold a seat in the class (and in the cadre's city quota).
SEAT_STATUSES = (
    EnrolmentStatus.NOMINATED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


# Statuses of the trainees on a class's roster: expected at its sessions, on its roll call,
# in its archive. Waiting-list places and withdrawn trainees are not; a nomination is not until
# staff confirm it.
ROSTER_STATUSES = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
