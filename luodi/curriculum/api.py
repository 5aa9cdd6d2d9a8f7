"""The course catalogue, as the course list shows it (``Perm.VIEW_COURSES``: every role)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema

from luodi.accounts.access import Perm, requires_api
from luodi.accounts.api_auth import Router
from luodi.accounts.models import ApiScope
from luodi.curriculum.models import Course, TeachingMethod
from luodi.lib.api import PK, REFUSALS, REFUSALS_ONE, Page, PageIn, page_of
from luodi.lib.params import MAX_ID, parse_text

router = Router(tags=["courses"])


class CourseOut(Schema):
    id: int
    title: str
    category_id: int
    category: str
    method: str
    default_hours: float
    is_active: bool
    teacher_ids: list[int]

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_teacher_ids(obj) -> list[int]:
        return [t.pk for t in obj.teachers.all()]


class CourseFilters(PageIn):
    q: str = Field("", max_length=100, description="Part of the title")
    category: int | None = Field(None, ge=1, le=MAX_ID, description="A category's id")
    method: TeachingMethod | None = None


def _courses():
    return (
        Course.objects.select_related("category")
        .prefetch_related("teachers")
        .order_by("category__position", "title")
    )


@router.get("", response={200: Page[CourseOut], **REFUSALS}, summary="Courses")
@requires_api(Perm.VIEW_COURSES, api_scope=ApiScope.COURSES_READ)
def course_list(request: HttpRequest, filters: Query[CourseFilters]):
    """The catalogue by category and title; search and filter as on the course list."""
    courses = _courses()
    if q := parse_text(filters.q):
        courses = courses.filter(title__contains=q)
    if filters.category is not None:
        courses = courses.filter(category_id=filters.category)
    if filters.method:
        courses = courses.filter(method=filters.method)
    return page_of(request, courses, filters)


@router.get("/{pk}", response={200: CourseOut, **REFUSALS_ONE}, summary="A course")
@requires_api(Perm.VIEW_COURSES, api_scope=ApiScope.COURSES_READ)
def course_detail(request: HttpRequest, pk: PK):
    return get_object_or_404(_courses(), pk=pk)
