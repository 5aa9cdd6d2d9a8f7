"""Checking and importing a file run as background jobs: a 100,000-row roster takes a while.

The job's subject is the import run; each job returns its report as an xlsx (every problem and
every row's action), and keeps the summary on the run for the page."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.accounts.access import Perm, has_perm
from luodi.imports import kinds, services
from luodi.imports.documents import report_xlsx
from luodi.imports.models import ImportRun
from luodi.jobs.kinds import Document, JobError, JobKind, register
from luodi.lib.documents.xlsx import XLSX
from luodi.lib.uploads import Refused


def _run(job) -> ImportRun:
    run = ImportRun.objects.select_related("training_class").filter(pk=job.subject_parts[1]).first()
    if run is None:
        raise JobError(_("This import has been deleted."))
    if job.parameters.get("revision") != run.revision:
        raise JobError(_("The columns were changed meanwhile; a newer check replaces this one."))
    return run


def _document(run: ImportRun, plan, title: str) -> Document:
    kind = kinds.get(run.kind)
    return Document(
        content=report_xlsx(kind, plan, title=f"{title}: {run.filename}"),
        filename=f"{title}-{run.pk}.xlsx",
        content_type=XLSX,
    )


def build_check(job, progress) -> Document:
    run = _run(job)
    with translation.override(run.language):
        return _check(run, progress)


def _check(run: ImportRun, progress) -> Document:
    try:
        plan = services.run_check(run, progress)
    except Refused as exc:
        services.import_failed(run, " ".join(exc.messages))
        raise JobError(" ".join(exc.messages)) from exc
    except Exception:
        services.import_failed(run, _("The file could not be checked. Tell the administrator."))
        raise
    return _document(run, plan, _("Import check"))


def build_commit(job, progress) -> Document:
    run = _run(job)
    with translation.override(run.language):
        plan = services.run_commit(run, progress, job.requested_by)
        return _document(run, plan, _("Import report"))


def may_use(user, job) -> bool:
    return has_perm(user, Perm.MANAGE_RECORDS)


register(
    JobKind(
        name=services.CHECK_JOB,
        label=gettext_lazy("Report of the check"),
        build=build_check,
        may_use=may_use,
    )
)
register(
    JobKind(
        name=services.COMMIT_JOB,
        label=gettext_lazy("Report of the import"),
        build=build_commit,
        may_use=may_use,
    )
)
