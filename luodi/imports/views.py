"""Import pages: upload a file, see how it was read and what is wrong, correct the columns,
import. Staff who manage records; each sees their own imports (an administrator, everyone's)."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from luodi.accounts.access import Perm, requires
from luodi.imports import kinds, services
from luodi.imports.base import is_blank, mask_number
from luodi.imports.documents import template_xlsx
from luodi.imports.forms import UploadForm
from luodi.imports.models import ImportRun, ImportStatus
from luodi.jobs import kinds as job_kinds
from luodi.jobs.models import Job
from luodi.jobs.services import subject_of
from luodi.lib import audit
from luodi.lib.documents.http import attachment
from luodi.lib.documents.xlsx import XLSX
from luodi.lib.office_values import clean_text

SAMPLE_ROWS = 3
_LONG_NUMBER = re.compile(r"\+?\d[\d\s\-]{7,}[\dXx]")


def glimpse(value) -> str:
    """A cell as the column list shows it: short, and never a whole ID or phone number,
    whatever the column (spaces and dashes inside a number included)."""
    text = audit.scrub_text(clean_text(value))[:40]
    return _LONG_NUMBER.sub(_mask_if_long, text)


def _mask_if_long(match: re.Match) -> str:
    """Nine digits or more (a phone or ID number), not a date such as 2012-06-01."""
    digits = sum(c.isdigit() for c in match.group())
    return mask_number(match.group()) if digits >= 9 else match.group()


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
    columns = []
    sample: list[list] = []
    if run.status in (ImportStatus.CHECKED, ImportStatus.FAILED) and run.header_row and run.file:
        try:
            rows = services.run_table(run).rows
            sample = [r for r in rows[run.header_row :] if not is_blank(r)][:SAMPLE_ROWS]
        except ValidationError:
            sample = []
    mapping = run.columns
    for position, header in enumerate(run.headers):
        values = [row[position] for row in sample if position < len(row)]
        columns.append(
            {
                "position": position,
                "header": header,
                "field": mapping.get(position, ""),
                "sample": [glimpse(v) for v in values],
            }
        )
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
