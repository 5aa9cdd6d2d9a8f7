from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, requires
from luodi.faculty import selectors, services
from luodi.faculty.forms import ReviewForm, TeacherForm, UnavailabilityForm
from luodi.faculty.lists import CLEARED, HONORARIA, TEACHERS, month_honoraria, month_of
from luodi.faculty.models import ExpertiseTag, ReviewStatus, Teacher, TeacherKind
from luodi.jobs import exports
from luodi.lib import audit, params, pickers
from luodi.lib.documents.http import private
from luodi.lib.paging import paginate, query_without_page


@requires(Perm.VIEW_FACULTY, scope=Teacher.objects.visible_to)
def teacher_list(request):
    filters = TEACHERS.filters_from(request.GET)
    context = {
        "page": paginate(
            request, TEACHERS.rows(request.user, filters, None), extras=TEACHERS.extras
        ),
        "query": query_without_page(request),
        "kinds": TeacherKind.choices,
        "reviews": ReviewStatus.choices,
        "tags": ExpertiseTag.objects.all(),
        "cleared_choices": [
            (value, _("Yes") if yes else _("No")) for value, yes in CLEARED.items()
        ],
        "filters": filters,
    }
    return render(request, "faculty/teacher_list.html", context)


@requires(Perm.VIEW_FACULTY, scope=Teacher.objects.visible_to)
def teacher_list_xlsx(request):
    """The faculty pool with the filters it was showing (the same query string)."""
    return exports.export(request, TEACHERS)


@requires(Perm.VIEW_FACULTY, scope=Teacher.objects.visible_to)
def teacher_pick(request):
    """The teachers a form's picker offers for ``?q=`` (name, its pinyin, or unit); with
    ``?on=<date>``, only those cleared by political review that day."""
    teachers = Teacher.objects.visible_to(request.user)  # in pinyin order (Meta.ordering)
    if day := params.parse_date(request.GET.get("on")):
        teachers = teachers.cleared_on(day)
    return pickers.answer(request, teachers, label=_picked)


def _picked(teacher: Teacher) -> str:
    return f"{teacher.name} · {teacher.source_unit}" if teacher.source_unit else teacher.name


def _visible(request, pk: int) -> Teacher:
    return get_object_or_404(Teacher.objects.visible_to(request.user), pk=pk)


@requires(Perm.VIEW_FACULTY, scope=Teacher.objects.visible_to)
def teacher_detail(request, pk: int):
    """A teacher's page: their record, reviews, availability, teaching, ratings per term (only
    totals) and research. A teacher sees only their own."""
    teacher = get_object_or_404(
        Teacher.objects.visible_to(request.user)
        .select_related("cadre__community")
        .prefetch_related("expertise", "courses", "reviews", "unavailabilities"),
        pk=pk,
    )
    today = timezone.localdate()
    recent = teacher.sessions.select_related("training_class__class_type", "course").order_by(
        "-date", "-start_time"
    )[:20]
    context = {
        "teacher": teacher,
        "by_year": selectors.hours_by_year(teacher),
        "recent": recent,
        "ratings": selectors.ratings_by_term(teacher),
        "review_problem": teacher.review_problem(today),
        "upcoming_away": [u for u in teacher.unavailabilities.all() if u.end >= today],
    }
    return render(request, "faculty/teacher_detail.html", context)


@requires(Perm.MANAGE_RECORDS)
def teacher_create(request):
    return _teacher_form(request, Teacher())


@requires(Perm.MANAGE_RECORDS)
def teacher_edit(request, pk: int):
    return _teacher_form(request, get_object_or_404(Teacher, pk=pk))


def _teacher_form(request, teacher: Teacher, *, status=200, review_form=None, away_form=None):
    """The teacher's form page; a POST to it saves the record. The review and unavailability
    forms post to their own URLs and come back here with their errors."""
    posted = request.method == "POST" and review_form is None and away_form is None
    form = TeacherForm(request.POST if posted else None, instance=teacher)
    if posted:
        if form.is_valid():
            teacher = form.save(commit=False)
            try:
                services.teacher_save(
                    teacher=teacher,
                    by=request.user,
                    expertise=form.cleaned_data["expertise"],
                    changed=form.changed_data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The teacher's record is saved."))
                return redirect(teacher.get_absolute_url())
        status = 400
    context = {
        "teacher": teacher if teacher.pk else None,
        "form": form,
        "review_form": review_form or ReviewForm(),
        "away_form": away_form or UnavailabilityForm(),
    }
    return render(request, "faculty/teacher_form.html", context, status=status)


@require_POST
@requires(Perm.MANAGE_RECORDS)
def teacher_review_add(request, pk: int):
    teacher = get_object_or_404(Teacher, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_record(teacher=teacher, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The political review is recorded."))
            return redirect(teacher.get_absolute_url())
    return _teacher_form(request, teacher, status=400, review_form=form)


@require_POST
@requires(Perm.MANAGE_RECORDS)
def teacher_unavailability_add(request, pk: int):
    teacher = get_object_or_404(Teacher, pk=pk)
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.unavailability_add(teacher=teacher, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The days are marked unavailable."))
            return redirect(teacher.get_absolute_url())
    return _teacher_form(request, teacher, status=400, away_form=form)


@require_POST
@requires(Perm.MANAGE_RECORDS)
def teacher_unavailability_remove(request, pk: int):
    """Take back days marked unavailable (the ``away`` field names which)."""
    teacher = get_object_or_404(Teacher, pk=pk)
    away = request.POST.get("away", "")
    if not away.isdigit():
        return _teacher_form(request, teacher, status=400, away_form=UnavailabilityForm())
    unavailability = get_object_or_404(teacher.unavailabilities, pk=int(away))
    services.unavailability_remove(unavailability=unavailability, by=request.user)
    messages.success(request, _("The days are available again."))
    return redirect("faculty:teacher-edit", pk=teacher.pk)


@never_cache
@require_POST
@requires(Perm.VIEW_FULL_ID, scope=Teacher.objects.visible_to)
def teacher_reveal(request, pk: int):
    """The full bank account (for paying the honorarium), one teacher at a time, on purpose
    (a POST) and on record, like a cadre's full numbers."""
    teacher = _visible(request, pk)
    audit.record("personal.reveal", by=request.user, obj=teacher, fields="bank_account,phone")
    template = "faculty/_bank_details.html" if request.htmx else "faculty/bank_details.html"
    return private(render(request, template, {"teacher": teacher}))


@requires(Perm.MANAGE_RECORDS)
def honoraria(request):
    """The month's honoraria: a row per teacher (a page at a time: a province's month is
    hundreds of teachers), hours × the rate of their band; one teacher's sessions when the
    ``teacher`` filter names them. The workbook has every session."""
    filters = HONORARIA.filters_from(request.GET)
    year, month = month_of(filters)
    totals = selectors.honorarium_totals(year, month)
    context = {
        "page": paginate(request, totals),
        "query": query_without_page(request),
        "pays": month_honoraria(request.user, filters) if filters.get("teacher") else [],
        "month": f"{year:04d}-{month:02d}",
        "filters": filters,
        "total": sum(t.amount for t in totals),
        "rates": selectors.rate_table_rows(),
    }
    return render(request, "faculty/honoraria.html", context)


@requires(Perm.MANAGE_RECORDS)
def honoraria_xlsx(request):
    return exports.export(request, HONORARIA)
