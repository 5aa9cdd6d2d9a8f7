from django.shortcuts import get_object_or_404, render

from luodi.accounts.access import Perm, requires
from luodi.lib import audit, pickers
from luodi.lib.paging import paginate, query_without_page
from luodi.training import selectors, timetable
from luodi.training.lists import CLASSES
from luodi.training.models import (
    ClassStatus,
    ClassType,
    Enrolment,
    TrainingClass,
)
from luodi.training.policies import may_read_class_records, may_run_class


@requires(Perm.VIEW_CLASSES)
def class_pick(request):
    """The classes a form's picker offers for ``?q=`` (year, term, type, venue), newest first;
    ``?status=planned,enrolling`` narrows them to the statuses the form accepts."""
    statuses = [s for s in request.GET.get("status", "").split(",") if s in ClassStatus.values]
    classes = TrainingClass.objects.select_related("class_type").order_by("-start_date", "-id")
    if statuses:
        classes = classes.filter(status__in=statuses)
    return pickers.answer(request, classes)


@requires(Perm.VIEW_CLASSES)
def class_list(request):
    filters = CLASSES.filters_from(request.GET)
    classes = CLASSES.rows(request.user, filters, None)
    context = {
        "page": paginate(request, classes, extras=CLASSES.extras),
        "query": query_without_page(request),
        "years": TrainingClass.objects.years(),
        "class_types": ClassType.objects.all(),
        "statuses": ClassStatus.choices,
        "filters": filters,
    }
    template = "training/_class_table.html" if request.htmx else "training/class_list.html"
    return render(request, template, context)


@requires(Perm.VIEW_CLASSES, scope=Enrolment.objects.visible_to)
def class_detail(request, pk: int):
    """Every class's timetable and attendance counts; its roster only as far as the user's
    reach (a teacher who is not its head teacher sees no names)."""
    training_class = get_object_or_404(
        TrainingClass.objects.select_related("class_type", "head_teacher"), pk=pk
    )
    sessions = list(training_class.sessions.for_timetable().with_attendance_counts())
    attendance = selectors.attendance_summary(sessions)
    roster = list(selectors.class_roster(training_class, request.user))
    if roster:
        audit.record(
            "personal.view", by=request.user, obj=training_class, what="roster", rows=len(roster)
        )
    context = {
        "class": training_class,
        "days": timetable.build(sessions),
        "total_hours": sum((s.hours for s in sessions), start=0),
        "roster": roster,
        "attendance_totals": attendance.totals,
        "attendance_rate": attendance.rate,
        "may_run": may_run_class(request.user, training_class),
        "may_read_records": may_read_class_records(request.user, training_class),
    }
    return render(request, "training/class_detail.html", context)
