"""Assessment project pages: staff set projects up and read the results; experts score the
units of the projects they are assigned to (on a phone too)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luodi.accounts.access import Perm, requires
from luodi.assessments import indicators, jobs, policies, services
from luodi.assessments.documents import results_charts
from luodi.assessments.forms import (
    CopyForm,
    ExpertForm,
    IndicatorsForm,
    ProjectForm,
    ReopenForm,
    StageForm,
    UnitForm,
)
from luodi.assessments.models import Evidence, Project, Sheet, Unit
from luodi.assessments.results import project_results
from luodi.assessments.scoring import score_context, score_entries
from luodi.jobs.services import job_start
from luodi.lib import audit
from luodi.lib.documents.http import file_attachment, open_upload

VISIBLE = Project.objects.visible_to
MANAGE, SCORE = Perm.MANAGE_ASSESSMENTS, Perm.SCORE_ASSESSMENTS
DOCUMENTS = {"xlsx": jobs.RESULTS_XLSX, "pdf": jobs.RESULTS_PDF}


def _project(request, pk: int) -> Project:
    """A project the user may see (404 otherwise: an expert learns nothing of the others)."""
    return get_object_or_404(VISIBLE(request.user), pk=pk)


def _managed(request, pk: int) -> Project:
    project = _project(request, pk)
    if not policies.may_manage(request.user, project):
        raise PermissionDenied
    return project


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@requires(MANAGE, SCORE, scope=VISIBLE)
def project_list(request):
    projects = VISIBLE(request.user)
    return render(
        request,
        "assessments/project_list.html",
        {"projects": projects, "may_manage": policies.may_manage(request.user)},
    )


@requires(MANAGE, scope=policies.may_manage)
def project_new(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                name=data["name"],
                client=data["client"],
                year=data["year"],
                description=data["description"],
                grade_bands=data["bands"],
                spread_mad_factor=data["spread_mad_factor"],
                spread_points=data["spread_points"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(project)
    return render(request, "assessments/project_form.html", {"form": form})


@requires(MANAGE, SCORE, scope=policies.may_see_project)
def project_detail(request, pk: int):
    project = _project(request, pk)
    user = request.user
    manage = policies.may_manage(user, project)
    units = list(project.units.all())
    sheets = Sheet.objects.filter(unit__project=project).select_related("expert")
    if not manage:
        sheets = sheets.filter(expert=user)
    by_key = {(s.unit_id, s.expert_id): s for s in sheets}
    experts = list(project.experts.order_by("username"))
    context = {
        "project": project,
        "may_manage": manage,
        "is_expert": any(e.pk == user.pk for e in experts),
        "stages": [(s, StageForm(instance=s, prefix=f"stage{s.pk}")) for s in project.stages.all()],
        "experts": experts,
        "rows": [
            (u, [(e, by_key.get((u.pk, e.pk))) for e in experts], by_key.get((u.pk, user.pk)))
            for u in units
        ],
        "indicator_count": project.indicators.count(),
    }
    if manage:
        context |= {
            "unit_form": UnitForm(),
            "expert_form": ExpertForm(project=project),
            "reopen_form": ReopenForm(),
        }
    return render(request, "assessments/project_detail.html", context)


@requires(MANAGE, scope=policies.may_manage)
def project_edit(request, pk: int):
    project = _managed(request, pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in services.PROJECT_FIELDS if k in data}
        fields["grade_bands"] = data["bands"]
        project.refresh_from_db()
        try:
            services.project_update(project=project, by=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The project is saved."))
            return redirect(project)
    return render(request, "assessments/project_form.html", {"form": form, "project": project})


@requires(MANAGE, scope=policies.may_manage)
@require_POST
def stage_edit(request, pk: int, stage_pk: int):
    project = _managed(request, pk)
    stage = get_object_or_404(project.stages, pk=stage_pk)
    form = StageForm(request.POST, instance=stage, prefix=f"stage{stage.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{stage}：{error}")
        return redirect(project)
    data = form.cleaned_data
    try:
        services.stage_update(stage=stage, by=request.user, **data)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(project)


@requires(MANAGE, scope=policies.may_manage)
@require_POST
def unit_add(request, pk: int):
    project = _managed(request, pk)
    form = UnitForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(project)
    try:
        services.unit_add(project=project, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(project)


@requires(MANAGE, scope=policies.may_manage)
@require_POST
def unit_remove(request, pk: int, unit_pk: int):
    project = _managed(request, pk)
    unit = get_object_or_404(project.units, pk=unit_pk)
    try:
        services.unit_remove(unit=unit, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(project)


@requires(MANAGE, scope=policies.may_manage)
@require_POST
def expert_add(request, pk: int):
    project = _managed(request, pk)
    form = ExpertForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, _("Choose an expert."))
        return redirect(project)
    try:
        services.expert_add(project=project, user=form.cleaned_data["user"], by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(project)


@requires(MANAGE, scope=policies.may_manage)
@require_POST
def expert_remove(request, pk: int, user_pk: int):
    project = _managed(request, pk)
    expert = get_object_or_404(project.experts, pk=user_pk)
    try:
        services.expert_remove(project=project, user=expert, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(project)


@requires(MANAGE, scope=policies.may_manage)
def indicator_system(request, pk: int):
    project = _managed(request, pk)
    nodes = list(project.indicators.all())
    form = IndicatorsForm(request.POST or None, initial={"outline": indicators.outline(nodes)})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.indicators_replace(
                project=project, text=form.cleaned_data["outline"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The indicator system is saved: %(n)s indicators.") % {"n": count}
            )
            return redirect("assessments:indicators", pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "copy_form": CopyForm(project=project),
        "locked": project.has_scores,
        "nodes": nodes,
    }
    return render(request, "assessments/indicators.html", context)


@requires(MANAGE, scope=policies.may_manage)
@require_POST
def indicators_copy(request, pk: int):
    project = _managed(request, pk)
    form = CopyForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, _("Choose a project to copy from."))
    else:
        try:
            services.indicators_copy(
                project=project, source=form.cleaned_data["source"], by=request.user
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The indicator system is copied."))
    return redirect("assessments:indicators", pk=project.pk)


@requires(SCORE, scope=policies.is_expert)
def score(request, pk: int, unit_pk: int):
    """An expert's score sheet of one unit: a draft until submitted, then read-only."""
    project = _project(request, pk)
    if not policies.is_expert(request.user, project):
        raise Http404
    unit = get_object_or_404(Unit.objects.filter(project=project), pk=unit_pk)
    errors: dict = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("draft", "submit"):
            return HttpResponseBadRequest("Choose to save or to submit.")
        try:
            services.sheet_save(
                unit=unit,
                by=request.user,
                entries=score_entries(project, request.POST, request.FILES),
                submit=action == "submit",
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            messages.success(
                request,
                _("Your scores are submitted.") if action == "submit" else _("Draft saved."),
            )
            return redirect("assessments:score", pk=project.pk, unit_pk=unit.pk)
    context = score_context(project, unit, request.user, errors=errors, posted=request.POST)
    return render(request, "assessments/score.html", context, status=400 if errors else 200)


@requires(MANAGE, scope=policies.may_manage)
@require_POST
def sheet_reopen(request, pk: int):
    sheet = get_object_or_404(
        Sheet.objects.filter(unit__project__in=VISIBLE(request.user)).select_related(
            "unit__project", "expert"
        ),
        pk=pk,
    )
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the scores are reopened."))
        services.sheet_reopen(sheet=sheet, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The scores are reopened for the expert to change."))
    return redirect(sheet.unit.project)


@requires(MANAGE, SCORE, scope=policies.may_read_evidence)
@require_GET
def evidence(request, pk: int):
    item = get_object_or_404(Evidence.objects.select_related("score__sheet__unit__project"), pk=pk)
    if not policies.may_read_evidence(request.user, item):
        raise Http404
    handle, content_type, extension = open_upload(item.file)
    audit.record("assessment.evidence_view", by=request.user, obj=item)
    return file_attachment(
        handle,
        filename=item.name,
        fallback=f"evidence-{item.pk}{extension}",
        content_type=content_type,
    )


@requires(MANAGE, scope=policies.may_manage)
def results(request, pk: int):
    project = _managed(request, pk)
    found = project_results(project)
    context = {"project": project, "results": found, "charts": results_charts(found)}
    return render(request, "assessments/results.html", context)


@requires(MANAGE, scope=policies.may_manage)
@require_POST
def results_document(request, pk: int):
    """Queue the results workbook or the PDF report; progress and download show on the
    results page."""
    project = _managed(request, pk)
    kind = DOCUMENTS.get(request.POST.get("document", ""))
    if kind is None:
        return HttpResponseBadRequest("Choose a document.")
    job_start(kind=kind, subject=project, by=request.user)
    return redirect("assessments:results", pk=project.pk)
