"""Attendance: reading it, the head teacher's marks and a trainee's check-in.

Reads are scoped by ``Attendance.objects.visible_to`` (the enrolments a user sees, and a
teacher's own sessions). Marking goes through ``services.attendance_mark`` for whoever may run
the session (``training.policies.may_run_session``, as the roll call); checking in through
``services.session_check_in`` with the code the classroom screen shows, for the trainee
themself (by session: a trainee has no API token).
"""

import datetime as dt
from functools import partial

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.errors import HttpError

from luodi.accounts.access import Perm, requires_api
from luodi.accounts.api_auth import Router, api_user
from luodi.accounts.models import ApiScope
from luodi.cadres.models import Cadre
from luodi.checkin import services
from luodi.lib.api import REFUSALS, REFUSALS_ONE, Page, PageIn, page_of
from luodi.lib.paging import grouped_window
from luodi.lib.params import MAX_ID
from luodi.training.models import Attendance, AttendanceStatus, Enrolment, Session
from luodi.training.policies import may_run_session

router = Router(tags=["attendance"])


class AttendanceOut(Schema):
    id: int
    session_id: int
    class_id: int
    date: dt.date
    enrolment_id: int
    cadre_id: int
    cadre: str
    status: str
    checked_in_at: dt.datetime | None

    @staticmethod
    def resolve_class_id(obj) -> int:
        return obj.session.training_class_id

    @staticmethod
    def resolve_date(obj) -> dt.date:
        return obj.session.date

    @staticmethod
    def resolve_cadre_id(obj) -> int:
        return obj.enrolment.cadre_id

    @staticmethod
    def resolve_cadre(obj) -> str:
        return obj.enrolment.cadre.name


class AttendanceFilters(PageIn):
    class_id: int | None = Field(None, ge=1, le=MAX_ID, alias="class", description="A class's id")
    session: int | None = Field(None, ge=1, le=MAX_ID, description="A session's id")
    enrolment: int | None = Field(None, ge=1, le=MAX_ID, description="An enrolment's id")
    status: AttendanceStatus | None = None


def _attendance(request: HttpRequest):
    return Attendance.objects.visible_to(request.user).select_related("session", "enrolment__cadre")


ATTENDANCE_READERS = (
    Perm.RUN_CLASSES,
    Perm.READ_CLASS_RECORDS,
    Perm.TEACH_SESSIONS,
    Perm.TRAINEE_SELF,
)


@router.get("/attendance", response={200: Page[AttendanceOut], **REFUSALS}, summary="Attendance")
@requires_api(
    *ATTENDANCE_READERS,
    scope=Attendance.objects.visible_to,
    api_scope=ApiScope.ATTENDANCE_READ,
)
def attendance_list(request: HttpRequest, filters: Query[AttendanceFilters]):
    """Attendance marks within your reach: every class's (staff, supervisors), the classes you
    head and the sessions you teach, or your own (a trainee). Sessions in time order."""
    rows = _attendance(request)
    if filters.class_id is not None:
        rows = rows.filter(session__training_class_id=filters.class_id)
    if filters.session is not None:
        rows = rows.filter(session_id=filters.session)
    if filters.enrolment is not None:
        rows = rows.filter(enrolment_id=filters.enrolment)
    if filters.status:
        rows = rows.filter(status=filters.status)
    sessions = Session.objects.all()
    if filters.class_id is not None:
        sessions = sessions.filter(training_class_id=filters.class_id)
    if filters.session is not None:
        sessions = sessions.filter(pk=filters.session)
    window = partial(
        grouped_window,
        rows,
        "session_id",
        sessions.order_by("date", "start_time", "id"),
        ("session__date", "session__start_time", "session_id", "enrolment_id"),
    )
    return page_of(request, rows, filters, window=window)


class MarkIn(Schema):
    session_id: int = Field(ge=1, le=MAX_ID)
    enrolment_id: int = Field(ge=1, le=MAX_ID)
    status: AttendanceStatus


@router.post("/attendance", response={200: AttendanceOut, **REFUSALS_ONE}, summary="Mark")
@requires_api(
    Perm.RUN_CLASSES,
    Perm.TEACH_SESSIONS,
    scope=may_run_session,
    api_scope=ApiScope.ATTENDANCE_WRITE,
)
def attendance_mark(request: HttpRequest, mark: MarkIn):
    """Set one trainee's attendance at a session, as on the roll call: whoever runs the class
    and the session's teacher. A trainee not on the class's roll, or a finished class, answers
    422 with the reason."""
    session = get_object_or_404(
        Session.objects.select_related("training_class"), pk=mark.session_id
    )
    if not may_run_session(request.user, session):
        raise HttpError(403, "Permission denied")
    enrolment = get_object_or_404(
        Enrolment.objects.filter(training_class_id=session.training_class_id),
        pk=mark.enrolment_id,
    )
    attendance = services.attendance_mark(
        session=session, enrolment=enrolment, status=mark.status, by=api_user(request)
    )
    return _attendance(request).get(pk=attendance.pk)


class CheckInIn(Schema):
    session_id: int = Field(ge=1, le=MAX_ID)
    code: str = Field(max_length=200, description="The code in the classroom screen's QR link")


@router.post("/check-in", response={200: AttendanceOut, **REFUSALS_ONE}, summary="Check in")
@requires_api(
    Perm.TRAINEE_SELF, scope=Enrolment.objects.of_user, api_scope=ApiScope.ATTENDANCE_WRITE
)
def check_in(request: HttpRequest, check: CheckInIn):
    """The trainee checks themself in to a session of their class with the screen's current
    code: present, or late after the grace period. A code that is wrong or expired, or outside
    the check-in window, answers 422; a trainee not enrolled in the class 403."""
    session = (
        Session.objects.only("pk", "training_class_id", "date", "start_time")
        .filter(pk=check.session_id)
        .first()
    )
    user = api_user(request)
    cadre = Cadre(pk=user.cadre_id) if user.cadre_id else None
    try:
        if session is None:
            raise services.invalid_code()  # an unknown session says no more than a bad code
        attendance = services.session_check_in(
            session=session, cadre=cadre, token=check.code, now=timezone.now()
        )
    except services.NotEnrolled as exc:
        raise HttpError(403, " ".join(exc.messages)) from None
    return _attendance(request).get(pk=attendance.pk)
