from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from luodi.accounts.access import Perm, requires
from luodi.curriculum.models import Course, CourseCategory, TeachingMethod
from luodi.lib.paging import paginate, query_without_page
from luodi.lib.params import parse_id, parse_text


@requires(Perm.VIEW_COURSES)
def course_list(request):
    courses = (
        Course.objects.select_related("category")
        .prefetch_related("teachers")
        .annotate(session_count=Count("sessions"))
        .order_by("category__position", "title")
    )
    q, category, method = (parse_text(request.GET.get(k)) for k in ("q", "category", "method"))
    if q:
        courses = courses.filter(title__contains=q)
    if (category_id := parse_id(category)) is not None:
        courses = courses.filter(category_id=category_id)
    if method in TeachingMethod.values:
        courses = courses.filter(method=method)
    categories = CourseCategory.objects.annotate(course_count=Count("courses")).order_by(
        "position", "id"
    )
    context = {
        "page": paginate(request, courses),
        "query": query_without_page(request),
        "categories": categories,
        "methods": TeachingMethod.choices,
        "filters": {"q": q, "category": category, "method": method},
    }
    return render(request, "curriculum/course_list.html", context)


@requires(Perm.VIEW_COURSES)
def course_detail(request, pk: int):
    course = get_object_or_404(
        Course.objects.select_related("category").prefetch_related("teachers", "cases"), pk=pk
    )
    recent = course.sessions.select_related("training_class__class_type", "teacher")[:20]
    return render(request, "curriculum/course_detail.html", {"course": course, "recent": recent})
