"""Import pages: upload a file, see how it was read and what is wrong, correct the columns,
import. Staff who manage records; each sees their own imports (an administrator, everyone's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from luodi.accounts.access import Perm, requires
from luodi.imports import kinds, services
from luodi.imports.documents import template_xlsx
from luodi.imports.forms import UploadForm
from luodi.imports.models import ImportRun
from luodi.jobs import kinds as job_kinds
from luodi.jobs.models import Job
from luodi.jobs.services import subject_of
from luodi.lib.documents.http import attachment
from luodi.lib.documents.xlsx import XLSX


@requires(Perm.MANAGE_RECORDS, scope=ImportRun.objects.visible_to)
def index(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.import_upload(
                kind=data["kind"],
                file=data["file"],
                by=request.user,
                create_communities=data["create_communities"],
                training_class=data["training_class"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect(run)
    runs = ImportRun.objects.visible_to(request.user).select_related("uploaded_by")[:20]
    context = {"form": form, "runs": runs, "kinds": kinds.all_kinds()}
    return render(request, "imports/index.html", context)


@requires(Perm.MANAGE_RECORDS)
@require_GET
def template(request, kind: str):
    try:
        import_kind = kinds.get(kind)
    except KeyError:
        return HttpResponseBadRequest()
    filename = _("%(kind)s import template") % {"kind": import_kind.label}
    return attachment(
        template_xlsx(import_kind),
        filename=f"{filename}.xlsx",
        fallback=f"luodi-{kind}-template.xlsx",
        content_type=XLSX,
    )


def _context(request, run: ImportRun) -> dict:
    kind = kinds.get(run.kind)
    job = Job.objects.filter(subject=subject_of(run)).order_by("-created_at", "-id").first()
    samples = run.summary.get("samples", [])  # kept by the check: the page reads no file
    mapping = run.columns
    columns = [
        {
            "position": position,
            "header": header,
            "field": mapping.get(position, ""),
            "sample": samples[position] if position < len(samples) else [],
        }
        for position, header in enumerate(run.headers)
    ]
    return {
        "run": run,
        "kind": kind,
        "job": job,
        "label": job and job_kinds.get(job.kind).label,
        "columns": columns,
        "fields": [(c.field, c.label, c.required) for c in kind.columns],
        "outcomes": [
            (row, key, action, "、".join(kind.column_label(c) for c in changes))
            for row, key, action, changes in run.outcomes
        ],
    }


def _run_for(request, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.visible_to(request.user), pk=pk)


@requires(Perm.MANAGE_RECORDS, scope=ImportRun.objects.visible_to)
@never_cache
@require_GET
def run_page(request, pk: int):
    run = _run_for(request, pk)
    template = "imports/_state.html" if request.htmx else "imports/run.html"
    return render(request, template, _context(request, run))


@requires(Perm.MANAGE_RECORDS, scope=ImportRun.objects.visible_to)
@require_POST
def remap(request, pk: int):
    run = _run_for(request, pk)
    mapping = {}
    for position in range(len(run.headers)):
        field = request.POST.get(f"column-{position}", "")
        if field:
            mapping[position] = field
    try:
        services.import_remap(
            run=run, mapping=mapping, remember=request.POST.get("remember") == "on", by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(run)


@requires(Perm.MANAGE_RECORDS, scope=ImportRun.objects.visible_to)
@require_POST
def commit(request, pk: int):
    run = _run_for(request, pk)
    try:
        services.import_commit(run=run, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(run)
