"""The case library (案例库): the list with its filters and Chinese full-text search, one case,
and the staff's pages to write and edit a case."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, requires
from luodi.curriculum import services
from luodi.curriculum.forms import CaseForm, CourseFilterForm
from luodi.curriculum.models import CaseSource, NeedTopic, TeachingCase
from luodi.lib.forms import add_errors
from luodi.lib.paging import paginate, query_without_page
from luodi.lib.params import parse_id, parse_text
from luodi.regions.models import Region

FILTERS = ("q", "topic", "course", "city", "source")


def cases_filtered(filters: dict[str, str]):
    """The cases a search and the filters keep: ranked by the search if there is one, else by
    title."""
    cases = TeachingCase.objects.for_list()
    if q := filters.get("q", ""):
        cases = cases.search(q)
    if (topic := parse_id(filters.get("topic"))) is not None:
        cases = cases.filter(need_topics=topic)
    if (course := parse_id(filters.get("course"))) is not None:
        cases = cases.filter(courses=course)
    if (city := parse_id(filters.get("city"))) is not None:
        cases = cases.in_city(city)
    if (source := filters.get("source", "")) in CaseSource.values:
        cases = cases.filter(source=source)
    return cases


@requires(Perm.VIEW_COURSES)
def case_list(request):
    filters = {k: parse_text(request.GET.get(k)) for k in FILTERS}
    context = {
        "page": paginate(request, cases_filtered(filters)),
        "query": query_without_page(request),
        "filters": filters,
        "topics": NeedTopic.objects.filter(cases__isnull=False).distinct(),
        "course_filter": CourseFilterForm({"course": filters.get("course")}),
        "cities": Region.objects.cities(),
        "sources": CaseSource.choices,
    }
    return render(request, "curriculum/case_list.html", context)


@requires(Perm.VIEW_COURSES)
def case_detail(request, pk: int):
    case = get_object_or_404(TeachingCase.objects.for_list(), pk=pk)
    sessions = case.sessions.select_related("training_class__class_type", "teacher", "course")
    # The stories it was promoted from, as far as the user reaches (the stories are training's).
    stories = case.stories.visible_to(request.user).for_list()
    return render(
        request,
        "curriculum/case_detail.html",
        {"case": case, "sessions": sessions.order_by("-date")[:50], "stories": stories},
    )


@requires(Perm.MANAGE_RECORDS)
def case_new(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The case has been saved."))
            return redirect(case)
    return render(request, "curriculum/case_form.html", {"form": form})


@requires(Perm.MANAGE_RECORDS)
def case_edit(request, pk: int):
    case = get_object_or_404(TeachingCase, pk=pk)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.case_update(
                case=case,
                by=request.user,
                courses=data.pop("courses"),
                need_topics=data.pop("need_topics"),
                **data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The case has been saved."))
            return redirect(case)
    return render(request, "curriculum/case_form.html", {"form": form, "case": case})
