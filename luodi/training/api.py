"""Classes, their sessions and enrolments; nominating and enrolling a cadre.

Reads are scoped as the pages are: classes and sessions as the class list and timetables
(``TrainingClass.objects.visible_to``: every class for those who read classes, a trainee's own),
enrolments as rosters (``Enrolment.objects.visible_to``). Nominating goes through
``services.enrolment.enrolment_nominate``, the nomination page's service: seats and city quotas
are respected, and a refusal answers 422 with the reason.
"""

import datetime as dt
from functools import partial

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema, Status

from luodi.accounts.access import Perm, requires_api
from luodi.accounts.api_auth import Router, api_user
from luodi.accounts.models import ApiScope
from luodi.cadres.models import Cadre
from luodi.lib.api import PK, REFUSALS, REFUSALS_ONE, Page, PageIn, page_of
from luodi.lib.params import MAX_ID, parse_text
from luodi.training import selectors
from luodi.training.models import (
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    Session,
    TrainingClass,
)
from luodi.training.services.enrolment import enrolment_nominate

router = Router(tags=["classes, sessions and enrolments"])


class ClassOut(Schema):
    id: int
    title: str
    class_type_id: int
    class_type: str
    year: int
    term: int
    start_date: dt.date
    end_date: dt.date
    venue: str
    capacity: int
    seats_taken: int
    enrolled: int = Field(description="Trainees on the roster")
    status: str
    head_teacher_id: int | None
    head_teacher: str | None

    @staticmethod
    def resolve_class_type(obj) -> str:
        return obj.class_type.name

    @staticmethod
    def resolve_enrolled(obj) -> int:
        return obj.enrolled_count

    @staticmethod
    def resolve_head_teacher(obj) -> str | None:
        return obj.head_teacher.name if obj.head_teacher else None


class ClassFilters(PageIn):
    year: int | None = Field(None, ge=2000, le=2100)
    class_type: int | None = Field(None, ge=1, le=MAX_ID, description="A class type's id")
    status: ClassStatus | None = None


def _classes(request: HttpRequest, filters: ClassFilters | None = None):
    """The class list's own reading (``selectors.class_list``), narrowed to the user."""
    listed = selectors.class_list(
        year=str(filters.year or "") if filters else "",
        class_type=str(filters.class_type or "") if filters else "",
        status=(filters.status or "") if filters else "",
    )
    return listed.visible_to(request.user)


CLASS_READERS = (Perm.VIEW_CLASSES, Perm.TRAINEE_SELF)


@router.get("/classes", response={200: Page[ClassOut], **REFUSALS}, summary="Classes")
@requires_api(
    *CLASS_READERS, scope=TrainingClass.objects.visible_to, api_scope=ApiScope.CLASSES_READ
)
def class_list(request: HttpRequest, filters: Query[ClassFilters]):
    """Classes, newest first, with their roster counts: every class for those who read
    classes, a trainee's own classes. Filter by year, class type and status."""
    return page_of(request, _classes(request, filters), filters, extras=selectors.class_list_extras)


@router.get("/classes/{pk}", response={200: ClassOut, **REFUSALS_ONE}, summary="A class")
@requires_api(
    *CLASS_READERS, scope=TrainingClass.objects.visible_to, api_scope=ApiScope.CLASSES_READ
)
def class_detail(request: HttpRequest, pk: PK):
    return get_object_or_404(_classes(request).with_counts(), pk=pk)


class SessionOut(Schema):
    id: int
    class_id: int = Field(alias="training_class_id")
    date: dt.date
    slot: str
    # Local wall-clock times ("08:30"): JSON Schema's "time" format would need an offset.
    start_time: str = Field(pattern=r"^\d{2}:\d{2}$", description="Local time, HH:MM")
    end_time: str = Field(pattern=r"^\d{2}:\d{2}$", description="Local time, HH:MM")
    course_id: int
    course: str
    teacher_id: int | None
    teacher: str | None
    method: str
    hours: float
    venue: str

    @staticmethod
    def resolve_start_time(obj) -> str:
        return obj.start_time.strftime("%H:%M")

    @staticmethod
    def resolve_end_time(obj) -> str:
        return obj.end_time.strftime("%H:%M")

    @staticmethod
    def resolve_course(obj) -> str:
        return obj.course.title

    @staticmethod
    def resolve_teacher(obj) -> str | None:
        return obj.teacher.name if obj.teacher else None


class SessionFilters(PageIn):
    class_id: int | None = Field(None, ge=1, le=MAX_ID, alias="class", description="A class's id")
    teacher: int | None = Field(None, ge=1, le=MAX_ID, description="A teacher's id")
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/sessions", response={200: Page[SessionOut], **REFUSALS}, summary="Sessions")
@requires_api(
    *CLASS_READERS, scope=TrainingClass.objects.visible_to, api_scope=ApiScope.CLASSES_READ
)
def session_list(request: HttpRequest, filters: Query[SessionFilters]):
    """The sessions (timetables) of the classes you may read, in time order."""
    sessions = Session.objects.for_timetable().of_classes_visible_to(request.user)
    if filters.class_id is not None:
        sessions = sessions.filter(training_class_id=filters.class_id)
    if filters.teacher is not None:
        sessions = sessions.filter(teacher_id=filters.teacher)
    if filters.date_from is not None:
        sessions = sessions.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        sessions = sessions.filter(date__lte=filters.date_to)
    return page_of(request, sessions.order_by("date", "start_time", "id"), filters)


class EnrolmentOut(Schema):
    id: int
    class_id: int = Field(alias="training_class_id")
    class_title: str
    cadre_id: int
    cadre: str
    status: str
    city_id: int = Field(description="The city at nomination (quotas and figures count it)")
    city: str
    community_id: int
    community: str
    hours_credited: float | None
    result_reason: str

    @staticmethod
    def resolve_class_title(obj) -> str:
        return obj.training_class.title

    @staticmethod
    def resolve_cadre(obj) -> str:
        return obj.cadre.name

    @staticmethod
    def resolve_city(obj) -> str:
        return obj.city.name

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.name


class EnrolmentFilters(PageIn):
    class_id: int | None = Field(None, ge=1, le=MAX_ID, alias="class", description="A class's id")
    year: int | None = Field(None, ge=2000, le=2100, description="The class's year")
    city: int | None = Field(None, ge=1, le=MAX_ID, description="The city at nomination")
    status: EnrolmentStatus | None = None
    q: str = Field("", max_length=100, description="Part of the cadre's name")


def _enrolments(request: HttpRequest):
    return Enrolment.objects.visible_to(request.user).select_related(
        "training_class__class_type", "cadre", "city", "community"
    )


ENROLMENT_READERS = (Perm.VIEW_CLASSES, Perm.TRAINEE_SELF)


@router.get("/enrolments", response={200: Page[EnrolmentOut], **REFUSALS}, summary="Enrolments")
@requires_api(
    *ENROLMENT_READERS, scope=Enrolment.objects.visible_to, api_scope=ApiScope.ENROLMENTS_READ
)
def enrolment_list(request: HttpRequest, filters: Query[EnrolmentFilters]):
    """The enrolments within your reach, as rosters show them: all, your city's (a liaison),
    the classes you head (a head teacher) or your own (a trainee)."""
    enrolments = _enrolments(request)
    if filters.class_id is not None:
        enrolments = enrolments.filter(training_class_id=filters.class_id)
    if filters.year is not None:
        enrolments = enrolments.filter(training_class__year=filters.year)
    if filters.city is not None:
        enrolments = enrolments.in_city(filters.city)
    if filters.status:
        enrolments = enrolments.filter(status=filters.status)
    if q := parse_text(filters.q):
        enrolments = enrolments.filter(cadre__name__contains=q)
    classes = TrainingClass.objects.all()
    if filters.class_id is not None:
        classes = classes.filter(pk=filters.class_id)
    if filters.year is not None:
        classes = classes.filter(year=filters.year)
    window = partial(selectors.enrolment_window, enrolments, classes)
    return page_of(request, enrolments, filters, window=window)


class NominationIn(Schema):
    class_id: int = Field(ge=1, le=MAX_ID, description="The class's id")
    cadre_id: int = Field(ge=1, le=MAX_ID, description="The cadre's id (within your reach)")
    waitlist: bool = Field(
        False, description="Put the cadre on the waiting list (only once no place is left)"
    )


@router.post(
    "/enrolments",
    response={201: EnrolmentOut, **REFUSALS_ONE},
    summary="Nominate or enrol a cadre",
)
@requires_api(Perm.NOMINATE, scope=Cadre.objects.visible_to, api_scope=ApiScope.ENROLMENTS_WRITE)
def enrolment_create(request: HttpRequest, nomination: NominationIn):
    """A liaison nominates a cadre of their city into a class open for nominations (staff
    confirm it later); staff enrol directly. Seats and city quotas are respected: a full class
    or quota, a closed class or a cadre already listed answers 422 with the reason. A cadre
    outside your reach, or a class that does not exist, answers 404."""
    training_class = get_object_or_404(
        TrainingClass.objects.select_related("class_type"), pk=nomination.class_id
    )
    cadre = get_object_or_404(
        Cadre.objects.visible_to(request.user).select_related("community"),
        pk=nomination.cadre_id,
    )
    enrolment = enrolment_nominate(
        training_class=training_class,
        cadre=cadre,
        by=api_user(request),
        waitlist=nomination.waitlist,
    )
    return Status(201, _enrolments(request).get(pk=enrolment.pk))
