"""Training's models, by concern: statuses, classes (and quotas), sessions, enrolments (and
attendance), and the trainees' activities (leave, reflections, courseware)."""

from luodi.training.models.activities import (
    ApplicationStory,
    Courseware,
    LeaveRequest,
    Reflection,
    StorySource,
)
from luodi.training.models.classes import ClassQuota, ClassType, TrainingClass
from luodi.training.models.enrolments import Attendance, Enrolment, hours_of
from luodi.training.models.external import (
    ExternalKind,
    ExternalSource,
    ExternalStatus,
    ExternalTraining,
)
from luodi.training.models.sessions import Session
from luodi.training.models.statuses import (
    ATTENDED_STATUSES,
    HELD_STATUSES,
    NOT_STARTED_STATUSES,
    ROSTER_STATUSES,
    SEAT_STATUSES,
    AttendanceStatus,
    ClassStatus,
    EnrolmentStatus,
    LeaveStatus,
    TimeSlot,
)

__all__ = [
    "ATTENDED_STATUSES",
    "HELD_STATUSES",
    "NOT_STARTED_STATUSES",
    "ROSTER_STATUSES",
    "SEAT_STATUSES",
    "ApplicationStory",
    "Attendance",
    "AttendanceStatus",
    "ClassQuota",
    "ClassStatus",
    "ClassType",
    "Courseware",
    "Enrolment",
    "EnrolmentStatus",
    "ExternalKind",
    "ExternalSource",
    "ExternalStatus",
    "ExternalTraining",
    "LeaveRequest",
    "LeaveStatus",
    "Reflection",
    "Session",
    "StorySource",
    "TimeSlot",
    "TrainingClass",
    "hours_of",
]
