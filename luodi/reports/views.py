from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from luodi.accounts.access import Perm, has_perm, login_only, public, requires
from luodi.curriculum.models import Course
from luodi.faculty.models import Teacher
from luodi.lib.params import parse_int
from luodi.reports import charts, stats
from luodi.training.models import TrainingClass


def _year_param(request) -> int | None:
    return parse_int(request.GET.get("year"), low=2000, high=2100)


@login_only
def home(request):
    """Sends each user on to their own work: staff to their to-do list, a head teacher to their
    classes, a teacher to their sessions, a liaison to their city, a trainee to their phone
    pages; anyone else who may read figures (a supervisor) to the dashboard."""
    user = request.user
    for perm, page in (
        (Perm.PLAN_CLASSES, "reports:work-todo"),
        (Perm.RUN_CLASSES, "reports:work-classes"),
        (Perm.TEACH_SESSIONS, "reports:work-sessions"),
        (Perm.NOMINATE, "reports:work-city"),
    ):
        if has_perm(user, perm):
            return redirect(page)
    if has_perm(user, Perm.TRAINEE_SELF) and user.cadre_id:
        return redirect("checkin:home")
    if has_perm(user, Perm.VIEW_DASHBOARD):
        return redirect("dashboard")
    if has_perm(user, Perm.VIEW_OWN_ARCHIVE):
        return redirect("archive:my-archive")
    return render(request, "reports/no_home.html", status=403)


@requires(Perm.VIEW_DASHBOARD)
def dashboard(request):
    """The figures, a liaison's narrowed to their city (``stats.figures_city``). Figures only,
    no one's record."""
    user = request.user
    city = stats.figures_city(user)
    year = _year_param(request)
    context = {
        "year": year,
        "years": TrainingClass.objects.years(),
        "city": city,
        "summary": stats.summary(year=year, city=city),
        "by_year": stats.by_year(city=city),
        "by_city": stats.by_city(year=year, city=city),
        "course_count": Course.objects.filter(is_active=True).count(),
        "teacher_count": Teacher.objects.count(),
    }
    context["charts"] = charts.dashboard_charts(**context)
    return render(request, "reports/dashboard.html", context)


@public
@never_cache
def healthz(request):
    """Liveness and database check for load balancers and `make run`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    if request.GET.get("format") == "json":
        return JsonResponse({"status": "ok"})
    return HttpResponse("ok", content_type="text/plain")
