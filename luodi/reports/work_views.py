"""Each role's "my work" page (the home page sends each user to theirs; see ``views.home``)."""

from django.shortcuts import render
from django.utils import timezone

from luodi.accounts.access import Perm, requires
from luodi.reports import stats, work
from luodi.training.models import Enrolment, TrainingClass


@requires(Perm.PLAN_CLASSES)
def todo(request):
    """Academic staff's to-do list: counts per class, each linking to where the work is done.
    No one's name, only classes and counts."""
    items = work.todo(timezone.localdate())
    context = {"items": items, "total": sum(item.count for item in items)}
    return render(request, "reports/work_todo.html", context)


@requires(Perm.RUN_CLASSES, scope=(TrainingClass.objects.run_by, Enrolment.objects.visible_to))
def classes(request):
    """A head teacher's classes and what they need today; staff see every class's."""
    today = timezone.localdate()
    context = {"work": work.head_teacher_work(request.user, today), "today": today}
    return render(request, "reports/work_classes.html", context)


@requires(Perm.TEACH_SESSIONS)
def sessions(request):
    """The sessions the user teaches (no one's name): the roll call is a tap away."""
    today = timezone.localdate()
    context = {"work": work.teacher_work(request.user, today), "today": today}
    return render(request, "reports/work_sessions.html", context)


@requires(Perm.NOMINATE, scope=Enrolment.objects.visible_to)
def city(request):
    """A liaison's city: open classes and its quotas, its nominations, its trainees in class,
    its figures (``stats.figures_city``)."""
    city = stats.figures_city(request.user)
    context = {
        "city": city,
        "work": work.city_work(request.user, city),
        "summary": stats.summary(city=city),
    }
    return render(request, "reports/work_city.html", context)
