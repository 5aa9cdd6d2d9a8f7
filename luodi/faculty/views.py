from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, render

from luodi.accounts.access import Perm, requires
from luodi.faculty.models import ReviewStatus, Teacher, TeacherKind
from luodi.lib.paging import paginate, query_without_page
from luodi.lib.params import parse_text


@requires(Perm.VIEW_FACULTY)
def teacher_list(request):
    teachers = (
        Teacher.objects.prefetch_related("expertise")
        .annotate(session_count=Count("sessions"))
        .order_by("name_pinyin", "id")
    )
    q, kind, review = (parse_text(request.GET.get(k)) for k in ("q", "kind", "review"))
    if q:
        # A subquery, not a join, so that the session counts are not multiplied by tags.
        tagged = Teacher.objects.filter(expertise__name__contains=q).values("pk")
        teachers = teachers.filter(
            Q(name__contains=q) | Q(source_unit__contains=q) | Q(pk__in=tagged)
        )
    if kind in TeacherKind.values:
        teachers = teachers.filter(kind=kind)
    if review in ReviewStatus.values:
        teachers = teachers.filter(review_status=review)
    context = {
        "page": paginate(request, teachers),
        "query": query_without_page(request),
        "kinds": TeacherKind.choices,
        "reviews": ReviewStatus.choices,
        "filters": {"q": q, "kind": kind, "review": review},
    }
    return render(request, "faculty/teacher_list.html", context)


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
