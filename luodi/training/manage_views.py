"""Running classes: planning, quotas, nominations, timetabling and completion."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, Reach, reach, requires
from luodi.cadres.models import Cadre
from luodi.lib import confirm
from luodi.lib.params import parse_id, parse_text
from luodi.training import previews
from luodi.training.forms import (
    BulkEnrolForm,
    ClassPlanForm,
    CorrectionForm,
    OverrideForm,
    QuotaForm,
    SessionForm,
)
from luodi.training.models import ClassStatus, Enrolment, EnrolmentStatus, Session, TrainingClass
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
        data = form.cleaned_data
        warnings = planning.plan_warnings(
            start_date=data["start_date"], end_date=data["end_date"], capacity=data["capacity"]
        )
        # Warnings are shown before anything is written; "plan anyway" posts the form again.
        if warnings and "accept_warnings" not in request.POST:
            context = {"form": form, "quota_form": quota_form, "warnings": warnings}
            return render(request, "training/class_plan.html", context)
        try:
            training_class, notes = planning.class_plan(
                **form.cleaned_data, quotas=quota_form.quotas(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(title)s is planned.") % {"title": training_class})
            for note in notes:
                messages.warning(request, note)
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
    """Move the class to another status, after a confirmation page that says what follows."""
    training_class = class_for(request.user, pk, may_plan_class)
    status = request.POST.get("status", "")
    if status not in planning.TRANSITIONS[training_class.status]:
        messages.error(request, _("Choose one of the statuses offered."))
        return redirect("training:class-manage", pk=pk)
    target = ClassStatus(status)
    if not confirm.confirmed(request):
        lines = previews.status_change(training_class, target)
        return confirm.preview(
            request,
            title=_("Move %(class)s to “%(status)s”?")
            % {"class": training_class.title, "status": target.label},
            action=request.path,
            back=reverse("training:class-manage", args=[pk]),
            button=_("Move to “%(status)s”") % {"status": target.label},
            changes=lines.changes,
            notes=lines.notes,
            fields={"status": status},
            context={"class": training_class},
        )
    try:
        planning.class_set_status(training_class=training_class, status=status, by=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("The class is now “%(status)s”.") % {"status": target.label})
    return redirect("training:class-manage", pk=pk)


@require_POST
@requires(Perm.PLAN_CLASSES, scope=Enrolment.objects.visible_to)
def enrolment_action(request, pk: int, enrolment_pk: int):
    """Confirm, waitlist or admit at once; a withdrawal first shows what it changes."""
    target = _enrolment(request, pk, enrolment_pk)
    action = request.POST.get("action", "")
    if action == "withdraw" and not confirm.confirmed(request):
        if target.status not in enrolment.STAFF_MOVES["withdraw"][0]:
            _fail(request, ValidationError(_("This enrolment cannot be withdrawn.")))
            return redirect("training:class-manage", pk=pk)
        lines = previews.withdrawal(target)
        return confirm.preview(
            request,
            title=_("Withdraw %(name)s from the class?") % {"name": target.cadre.name},
            action=request.path,
            back=reverse("training:class-manage", args=[pk]),
            button=_("Withdraw"),
            changes=lines.changes,
            notes=lines.notes,
            fields={"action": action},
            context={"class": target.training_class},
        )
    try:
        moved = enrolment.enrolment_move(enrolment=target, action=action, by=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": moved.cadre.name, "status": moved.get_status_display()},
        )
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
    """A liaison nominates cadres of their city (or, with no place left, puts them on the
    waiting list); staff use it to enrol anyone."""
    training_class = _class(pk)
    user = request.user
    own_city = user.city if reach(user) == Reach.CITY else None
    if request.method == "POST":
        _nominate_one(request, training_class)
        return redirect(request.get_full_path())
    q = parse_text(request.GET.get("q"))
    candidates = (
        list(Cadre.objects.visible_to(user).search(q).select_related("community__city")[:20])
        if q
        else []
    )
    mine = (
        Enrolment.objects.visible_to(user)
        .filter(training_class=training_class)
        .select_related("cadre__community__city")
    )
    listed = {e.cadre_id: e for e in mine if e.status != EnrolmentStatus.WITHDRAWN}
    free = {
        city_id: enrolment.has_free_place(training_class, city_id)
        for city_id in {c.community.city_id for c in candidates}
    }
    rows = [
        {
            "cadre": c,
            "listed": listed.get(c.pk),
            "fits": training_class.class_type.fits_post(c.post),
            "free": free[c.community.city_id],
        }
        for c in candidates
    ]
    quota = training_class.quotas.filter(city=own_city).first() if own_city else None
    context = {
        "class": training_class,
        "q": q,
        "rows": rows,
        "mine": mine,
        "quota": quota,
        "own_city": own_city,
        "target_posts": training_class.class_type.target_post_labels(),
    }
    return _render(request, "training/nominate.html", context)


def _nominate_one(request, training_class: TrainingClass) -> None:
    waitlist = "waitlist" in request.POST
    cadre_pk = parse_id(request.POST.get("waitlist" if waitlist else "cadre"))
    cadre = get_object_or_404(Cadre.objects.visible_to(request.user), pk=cadre_pk)
    try:
        added = enrolment.enrolment_nominate(
            training_class=training_class, cadre=cadre, by=request.user, waitlist=waitlist
        )
    except ValidationError as exc:
        _fail(request, exc)
        return
    done = {
        EnrolmentStatus.ENROLLED: _("%(name)s enrolled."),
        EnrolmentStatus.WAITLISTED: _("%(name)s is on the waiting list."),
    }.get(added.status, _("%(name)s nominated."))
    messages.success(request, done % {"name": cadre.name})
    if not training_class.class_type.fits_post(cadre.post):
        messages.warning(
            request,
            _("%(name)s is a %(post)s; this class is meant for: %(posts)s.")
            % {
                "name": cadre.name,
                "post": cadre.get_post_display(),
                "posts": "、".join(training_class.class_type.target_post_labels()),
            },
        )


def _timetable_page(request, training_class: TrainingClass, session: Session | None = None):
    """Add a session (``session`` None) or change one; htmx posts ``check`` to see conflicts."""
    form = SessionForm(request.POST or None, instance=session, training_class=training_class)
    problems = []
    if request.method == "POST" and form.is_valid():
        problems = scheduling.session_conflicts(form.instance)
        if "check" not in request.POST and not problems:
            try:
                scheduling.session_save(session=form.instance, by=request.user)
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("Session changed.") if session else _("Session added."))
                return redirect("training:timetable-edit", pk=training_class.pk)
    context = {
        "class": training_class,
        "form": form,
        "editing": session,
        "problems": problems,
        "started": scheduling.class_has_started(training_class),
        "sessions": training_class.sessions.for_timetable(),
    }
    template = "training/_session_check.html" if request.htmx else "training/timetable_edit.html"
    return _render(request, template, context)


@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def timetable_edit(request, pk: int):
    return _timetable_page(request, class_for(request.user, pk, may_plan_class))


def _session(request, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    session.training_class = class_for(request.user, session.training_class_id, may_plan_class)
    return session


@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def session_edit(request, pk: int):
    session = _session(request, pk)
    return _timetable_page(request, session.training_class, session)


@require_POST
@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def session_delete(request, pk: int):
    """Remove a session after a confirmation; refused when attendance or leave is on record."""
    session = _session(request, pk)
    back = reverse("training:timetable-edit", args=[session.training_class_id])
    refusal = scheduling.deletion_refusal(session)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    if not confirm.confirmed(request):
        lines = previews.session_deletion(session)
        if scheduling.class_has_started(session.training_class):
            lines.notes.append(_("The class has started: the change is recorded for its trainees."))
        return confirm.preview(
            request,
            title=_("Remove this session?"),
            action=request.path,
            back=back,
            button=_("Remove the session"),
            changes=lines.changes,
            notes=lines.notes,
            context={"class": session.training_class},
        )
    try:
        scheduling.session_delete(session=session, by=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Session removed."))
    return redirect(back)


@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def class_completion(request, pk: int):
    training_class = class_for(request.user, pk, may_plan_class)
    if request.method == "POST" and not confirm.confirmed(request):
        lines = previews.recompute(training_class)
        finishing = training_class.status == ClassStatus.IN_PROGRESS
        return confirm.preview(
            request,
            title=_("Finish the class and record results?")
            if finishing
            else _("Recompute the results?"),
            action=request.path,
            back=request.path,
            button=_("Record the results"),
            changes=lines.changes,
            notes=lines.notes,
            nothing=_("No result would change."),
            danger=False,
            context={"class": training_class},
        )
    if request.method == "POST":
        try:
            results = completion.class_complete(training_class=training_class, by=request.user)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Results recorded for %(n)s trainee.",
                    "Results recorded for %(n)s trainees.",
                    len(results),
                )
                % {"n": len(results)},
            )
        return redirect("training:class-completion", pk=pk)
    context = {
        "class": training_class,
        "results": completion.preview(training_class),
        # The same drop-down in every row: rendered once (a widget's templates cost
        # milliseconds, times the roster).
        "override_status": OverrideForm()["status"].as_widget(),
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
