"""The faculty pool, as the teacher list shows it (``Perm.VIEW_FACULTY``)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema

from luodi.accounts.access import Perm, requires_api
from luodi.accounts.api_auth import Router
from luodi.accounts.models import ApiScope
from luodi.faculty.lists import search
from luodi.faculty.models import ReviewStatus, Teacher, TeacherKind
from luodi.lib.api import PK, REFUSALS, REFUSALS_ONE, Page, PageIn, page_of
from luodi.lib.params import parse_text

router = Router(tags=["teachers"])


class TeacherOut(Schema):
    id: int
    name: str
    kind: str
    source_unit: str
    title: str
    review_status: str = Field(description="The latest political review's result")
    reviewed_on: str | None = Field(description="The latest political review's date")
    expertise: list[str]

    @staticmethod
    def resolve_reviewed_on(obj) -> str | None:
        return obj.reviewed_on.isoformat() if obj.reviewed_on else None

    @staticmethod
    def resolve_expertise(obj) -> list[str]:
        return [tag.name for tag in obj.expertise.all()]


class TeacherFilters(PageIn):
    q: str = Field(
        "", max_length=100, description="Name, unit, title, biography, expertise or course"
    )
    kind: TeacherKind | None = None
    review: ReviewStatus | None = None


def _teachers(user):
    return (
        Teacher.objects.visible_to(user).prefetch_related("expertise").order_by("name_pinyin", "id")
    )


@router.get("", response={200: Page[TeacherOut], **REFUSALS}, summary="Teachers")
@requires_api(Perm.VIEW_FACULTY, api_scope=ApiScope.TEACHERS_READ)
def teacher_list(request: HttpRequest, filters: Query[TeacherFilters]):
    """The faculty pool by name; search and filter as on the teacher list."""
    teachers = search(_teachers(request.user), parse_text(filters.q))
    if filters.kind:
        teachers = teachers.filter(kind=filters.kind)
    if filters.review:
        teachers = teachers.filter(review_status=filters.review)
    return page_of(request, teachers, filters)


@router.get("/{pk}", response={200: TeacherOut, **REFUSALS_ONE}, summary="A teacher")
@requires_api(Perm.VIEW_FACULTY, api_scope=ApiScope.TEACHERS_READ)
def teacher_detail(request: HttpRequest, pk: PK):
    return get_object_or_404(_teachers(request.user), pk=pk)
