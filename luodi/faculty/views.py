from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, render

from luodi.accounts.access import Perm, requires
from luodi.faculty.lists import TEACHERS
from luodi.faculty.models import ReviewStatus, Teacher, TeacherKind
from luodi.jobs import exports
from luodi.lib.paging import paginate, query_without_page


@requires(Perm.VIEW_FACULTY)
def teacher_list(request):
    filters = TEACHERS.filters_from(request.GET)
    context = {
        "page": paginate(request, TEACHERS.rows(request.user, filters, None)),
        "query": query_without_page(request),
        "kinds": TeacherKind.choices,
        "reviews": ReviewStatus.choices,
        "filters": filters,
    }
    return render(request, "faculty/teacher_list.html", context)


@requires(Perm.VIEW_FACULTY)
def teacher_list_xlsx(request):
    """The faculty pool with the filters it was showing (the same query string)."""
    return exports.export(request, TEACHERS)


@requires(Perm.VIEW_FACULTY)
def teacher_detail(request, pk: int):
    teacher = get_object_or_404(
        Teacher.objects.select_related("cadre__community").prefetch_related("expertise", "courses"),
        pk=pk,
    )
    by_year = (
        teacher.sessions.values("training_class__year")
        .annotate(
            sessions=Count("id"), hours=Sum("hours"), classes=Count("training_class", distinct=True)
        )
        .order_by("-training_class__year")
    )
    recent = teacher.sessions.select_related("training_class__class_type", "course").order_by(
        "-date", "-start_time"
    )[:20]
    context = {"teacher": teacher, "by_year": by_year, "recent": recent}
    return render(request, "faculty/teacher_detail.html", context)
