from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from luodi.accounts.access import Perm, requires
from luodi.curriculum.lists import COURSES
from luodi.curriculum.models import Course, CourseCategory, FieldSite, TeachingCase, TeachingMethod
from luodi.jobs import exports
from luodi.lib import pickers
from luodi.lib.paging import paginate, query_without_page


@requires(Perm.VIEW_COURSES)
def course_list(request):
    filters = COURSES.filters_from(request.GET)
    categories = CourseCategory.objects.annotate(course_count=Count("courses")).order_by(
        "position", "id"
    )
    context = {
        "page": paginate(request, COURSES.rows(request.user, filters, None), extras=COURSES.extras),
        "query": query_without_page(request),
        "categories": categories,
        "methods": TeachingMethod.choices,
        "filters": filters,
    }
    return render(request, "curriculum/course_list.html", context)


@requires(Perm.VIEW_COURSES)
def course_pick(request):
    """The courses a form's picker offers for ``?q=`` (words of the title), offered ones
    first."""
    courses = Course.objects.order_by("-is_active", "title")
    return pickers.answer(request, courses)


@requires(Perm.VIEW_COURSES)
def case_pick(request):
    """The teaching cases a session form's picker offers for ``?q=`` (words of the title)."""
    return pickers.answer(request, TeachingCase.objects.order_by("title"))


@requires(Perm.VIEW_COURSES)
def site_pick(request):
    """The field-teaching sites a session form's picker offers for ``?q=`` (name or address)."""
    return pickers.answer(request, FieldSite.objects.order_by("name"))


@requires(Perm.VIEW_COURSES)
def course_list_xlsx(request):
    """The course catalogue with the filters it was showing (the same query string)."""
    return exports.export(request, COURSES)


STORIES_SHOWN = 20


@requires(Perm.VIEW_COURSES)
def course_detail(request, pk: int):
    course = get_object_or_404(
        # The research behind the course through the research app's reverse relations (a
        # higher layer's: named, never imported).
        Course.objects.select_related("category").prefetch_related(
            "teachers", "cases", "research_projects", "publications", "advisory_works"
        ),
        pk=pk,
    )
    recent = course.sessions.select_related("training_class__class_type", "teacher")[:20]
    # Stories of applying this course, as far as the user reaches (the stories are training's,
    # reached through the relation as the sessions are).
    stories = course.stories.visible_to(request.user).for_list()[:STORIES_SHOWN]
    return render(
        request,
        "curriculum/course_detail.html",
        {"course": course, "recent": recent, "stories": stories},
    )
