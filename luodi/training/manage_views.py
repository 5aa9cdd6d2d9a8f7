"""Running classes: planning, quotas, nominations, timetabling and completion."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, Reach, reach, requires
from luodi.cadres.models import Cadre
from luodi.lib.params import parse_id, parse_text
from luodi.training.forms import (
    BulkEnrolForm,
    ClassPlanForm,
    CorrectionForm,
    OverrideForm,
    QuotaForm,
    SessionForm,
)
from luodi.training.models import ClassStatus, Enrolment, EnrolmentStatus, TrainingClass
from luodi.training.policies import class_for, may_plan_class, may_run_class
from luodi.training.services import completion, enrolment, planning, scheduling


def _class(pk: int) -> TrainingClass:
    return get_object_or_404(TrainingClass.objects.select_related("class_type"), pk=pk)


def _enrolment(request, pk: int, enrolment_pk: int) -> Enrolment:
    """An enrolment of the class, if the user may see it (404 otherwise)."""
    return get_object_or_404(
        Enrolment.objects.visible_to(request.user), pk=enrolment_pk, training_class_id=pk
    )


def _render(request, template: str, context: dict):
    """Render a page of a class; the toolbar needs to know whether the user runs the class."""
    context["may_run"] = may_run_class(request.user, context["class"])
    return render(request, template, context)


def _fail(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@requires(Perm.PLAN_CLASSES)
def class_plan(request):
    form = ClassPlanForm(request.POST or None)
    quota_form = QuotaForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and quota_form.is_valid():
        try:
            training_class, warnings = planning.class_plan(
                **form.cleaned_data, quotas=quota_form.quotas(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(title)s is planned.") % {"title": training_class})
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("training:class-manage", pk=training_class.pk)
    return render(request, "training/class_plan.html", {"form": form, "quota_form": quota_form})


@requires(Perm.PLAN_CLASSES, scope=(may_plan_class, Enrolment.objects.visible_to))
def class_manage(request, pk: int):
    training_class = class_for(request.user, pk, may_plan_class)
    initial = dict(training_class.quotas.values_list("city_id", "quota"))
    quota_form = QuotaForm(request.POST or None, initial_quotas=initial)
    if request.method == "POST" and quota_form.is_valid():
        try:
            planning.class_set_quotas(
                training_class=training_class, quotas=quota_form.quotas(), by=request.user
            )
        except ValidationError as exc:
            quota_form.add_error(None, exc)
        else:
            messages.success(request, _("Quotas saved."))
            return redirect("training:class-manage", pk=pk)
    context = {
        "class": training_class,
        "quota_form": quota_form,
        "quotas": training_class.quotas.select_related("city"),
        "next_statuses": [ClassStatus(s) for s in planning.TRANSITIONS[training_class.status]],
        "enrolments": Enrolment.objects.visible_to(request.user)
        .filter(training_class=training_class)
        .select_related("cadre__community__city")
        .order_by("status", "cadre__community__city__code", "cadre__name_pinyin"),
        "bulk_form": BulkEnrolForm(),
        "moves": enrolment.STAFF_MOVES,
        "nominated_count": training_class.enrolments.filter(
            status=EnrolmentStatus.NOMINATED
        ).count(),
    }
    return _render(request, "training/class_manage.html", context)


@require_POST
@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def class_status(request, pk: int):
    training_class = class_for(request.user, pk, may_plan_class)
    try:
        planning.class_set_status(
            training_class=training_class, status=request.POST["status"], by=request.user
        )
    except (ValidationError, KeyError, ValueError) as exc:
        _fail(
            request, exc if isinstance(exc, ValidationError) else ValidationError(_("Bad request."))
        )
    return redirect("training:class-manage", pk=pk)


@require_POST
@requires(Perm.PLAN_CLASSES, scope=Enrolment.objects.visible_to)
def enrolment_action(request, pk: int, enrolment_pk: int):
    target = _enrolment(request, pk, enrolment_pk)
    try:
        enrolment.enrolment_move(
            enrolment=target, action=request.POST.get("action", ""), by=request.user
        )
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("training:class-manage", pk=pk)


@require_POST
@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def nominations_confirm(request, pk: int):
    """Confirm all the class's waiting nominations (the button says how many)."""
    training_class = class_for(request.user, pk, may_plan_class)
    try:
        n = enrolment.nominations_confirm(training_class=training_class, by=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request,
            ngettext("%(n)s nomination confirmed.", "%(n)s nominations confirmed.", n) % {"n": n},
        )
    return redirect("training:class-manage", pk=pk)


@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def enrolment_bulk(request, pk: int):
    training_class = class_for(request.user, pk, may_plan_class)
    form = BulkEnrolForm(request.POST or None)
    report, written = None, False
    if request.method == "POST" and form.is_valid():
        try:
            report, written = enrolment.enrolment_bulk(
                training_class=training_class,
                text=form.cleaned_data["id_numbers"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("id_numbers", exc)
        if written:
            count = len(report)
            messages.success(
                request,
                ngettext("%(n)s trainee enrolled.", "%(n)s trainees enrolled.", count)
                % {"n": count},
            )
            return redirect("training:class-manage", pk=pk)
    context = {"class": training_class, "form": form, "report": report}
    return _render(request, "training/enrolment_bulk.html", context)


@requires(Perm.NOMINATE, scope=(Cadre.objects.visible_to, Enrolment.objects.visible_to))
def nominate(request, pk: int):
    """A liaison nominates cadres of their city; staff use it to enrol anyone."""
    training_class = _class(pk)
    user = request.user
    own_city = user.city if reach(user) == Reach.CITY else None
    if request.method == "POST":
        cadre_pk = parse_id(request.POST.get("cadre"))
        cadre = get_object_or_404(Cadre.objects.visible_to(user), pk=cadre_pk)
        try:
            added = enrolment.enrolment_nominate(
                training_class=training_class, cadre=cadre, by=user
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            done = (
                _("%(name)s enrolled.") if added.status == "enrolled" else _("%(name)s nominated.")
            )
            messages.success(request, done % {"name": cadre.name})
        return redirect(request.get_full_path())
    q = parse_text(request.GET.get("q"))
    candidates = (
        Cadre.objects.visible_to(user).search(q).select_related("community__city")[:20] if q else []
    )
    mine = (
        Enrolment.objects.visible_to(user)
        .filter(training_class=training_class)
        .select_related("cadre__community__city")
    )
    quota = training_class.quotas.filter(city=own_city).first() if own_city else None
    context = {
        "class": training_class,
        "q": q,
        "candidates": candidates,
        "mine": mine,
        "quota": quota,
        "own_city": own_city,
    }
    return _render(request, "training/nominate.html", context)


@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def timetable_edit(request, pk: int):
    training_class = class_for(request.user, pk, may_plan_class)
    form = SessionForm(request.POST or None, training_class=training_class)
    problems = []
    if request.method == "POST" and form.is_valid():
        problems = scheduling.session_conflicts(form.instance)
        if "check" not in request.POST and not problems:
            try:
                scheduling.session_save(session=form.instance, by=request.user)
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("Session added."))
                return redirect("training:timetable-edit", pk=pk)
    context = {
        "class": training_class,
        "form": form,
        "problems": problems,
        "sessions": training_class.sessions.for_timetable(),
    }
    template = "training/_session_check.html" if request.htmx else "training/timetable_edit.html"
    return _render(request, template, context)


@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def class_completion(request, pk: int):
    training_class = class_for(request.user, pk, may_plan_class)
    if request.method == "POST":
        try:
            completion.class_complete(training_class=training_class, by=request.user)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Results recorded."))
        return redirect("training:class-completion", pk=pk)
    context = {
        "class": training_class,
        "results": completion.preview(training_class),
        "override_form": OverrideForm(),
        "correction_form": _correction_form(request.user, training_class),
        "decided": training_class.is_frozen,
    }
    return _render(request, "training/class_completion.html", context)


def _correction_form(user, training_class: TrainingClass, data=None) -> CorrectionForm:
    enrolments = completion.to_decide(training_class).visible_to(user)
    return CorrectionForm(
        data, training_class=training_class, enrolments=enrolments.order_by("cadre__name_pinyin")
    )


@require_POST
@requires(Perm.PLAN_CLASSES, scope=Enrolment.objects.visible_to)
def attendance_correction(request, pk: int):
    training_class = _class(pk)
    form = _correction_form(request.user, training_class, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a trainee, a session and a mark, and give the reason."))
    else:
        try:
            completion.attendance_correct(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Attendance corrected; the result was recomputed."))
    return redirect("training:class-completion", pk=pk)


@require_POST
@requires(Perm.PLAN_CLASSES, scope=Enrolment.objects.visible_to)
def result_override(request, pk: int, enrolment_pk: int):
    target = _enrolment(request, pk, enrolment_pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a result and give the reason."))
    else:
        try:
            completion.enrolment_override(enrolment=target, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Result overridden."))
    return redirect("training:class-completion", pk=pk)
