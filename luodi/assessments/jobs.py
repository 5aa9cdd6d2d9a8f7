"""A project's results workbook and PDF report as background jobs (the report lays out a
page per few units and draws charts: seconds, not a request's time)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.assessments import documents
from luodi.assessments.models import Project
from luodi.assessments.policies import may_manage
from luodi.assessments.results import project_results
from luodi.jobs.kinds import Document, JobError, JobKind, register
from luodi.lib.documents.pdf import PDF
from luodi.lib.documents.xlsx import XLSX

RESULTS_XLSX = "assessments.results-xlsx"
RESULTS_PDF = "assessments.results-pdf"


def _project(job) -> Project:
    project = Project.objects.filter(pk=job.subject_parts[1]).first()
    if project is None:
        raise JobError(_("The assessment project has been deleted."))
    if not may_manage(job.requested_by, project):
        raise JobError(_("You may no longer read this project's results."))
    return project


def build_xlsx(job, progress) -> Document:
    project = _project(job)
    progress(0, 1)
    return Document(
        content=documents.results_xlsx(project_results(project), progress=progress),
        filename=f"{project.name}结果.xlsx",
        content_type=XLSX,
    )


def build_pdf(job, progress) -> Document:
    project = _project(job)
    progress(0, 1)
    return Document(
        content=documents.results_pdf(project_results(project)),
        filename=f"{documents.report_title(project)}.pdf",
        content_type=PDF,
    )


def may_use(user, job) -> bool:
    return may_manage(user)


register(
    JobKind(
        name=RESULTS_XLSX,
        label=gettext_lazy("Assessment results (xlsx)"),
        build=build_xlsx,
        may_use=may_use,
    )
)
register(
    JobKind(
        name=RESULTS_PDF,
        label=gettext_lazy("Assessment report (PDF)"),
        build=build_pdf,
        may_use=may_use,
    )
)
