"""Reports' background jobs: the class archive PDF (a long class's archive takes a while),
and the statistics reports and hours-compliance list (they read every enrolment)."""

from django.utils.translation import gettext_lazy

from luodi.accounts.access import Perm, has_perm
from luodi.jobs.kinds import Document, JobKind, register
from luodi.lib import replica
from luodi.lib.documents.pdf import PDF
from luodi.lib.documents.xlsx import XLSX
from luodi.regions.models import Region
from luodi.reports import annual_report, stats
from luodi.reports.class_archive import archive_pdf
from luodi.reports.stats import Scope
from luodi.training.policies import class_to_print, job_rule, may_read_archive

ARCHIVE_PDF = "reports.class-archive-pdf"


def build_archive_pdf(job, progress) -> Document:
    training_class = class_to_print(job)
    progress(0, 1)
    return Document(
        content=archive_pdf(training_class),
        filename=f"{training_class.title}一期一档.pdf",
        content_type=PDF,
    )


may_use = job_rule(may_read_archive)


register(
    JobKind(
        name=ARCHIVE_PDF,
        label=gettext_lazy("Class archive PDF"),
        build=build_archive_pdf,
        may_use=may_use,
    )
)


# ---- The statistics reports (issue 9 §3) ---------------------------------------------------------
# Their subject is the user who asked (a report has no record of its own); their parameters
# the years and the city, read again here: a liaison's report is of their own city whatever
# the parameters say.

STATS_PDF = "reports.stats-pdf"
STATS_XLSX = "reports.stats-xlsx"
COMPLIANCE_XLSX = "reports.compliance-xlsx"


def scope_of(user, parameters: dict) -> Scope:
    """The scope a report job counts, for ``user``: the parameters' years, and their city
    unless the user's figures are narrowed to their own (``stats.figures_city``)."""

    def year(key):
        value = parameters.get(key)
        return value if isinstance(value, int) and 2000 <= value <= 2100 else None

    city = stats.figures_city(user)
    if city is None and isinstance(parameters.get("city"), int):
        city = Region.objects.cities().filter(pk=parameters["city"]).first()
    return Scope(first=year("first"), last=year("last"), city=city)


@replica.reports()
def build_stats_pdf(job, progress) -> Document:
    scope = scope_of(job.requested_by, job.parameters)
    progress(0, 1)
    return Document(
        content=annual_report.report_pdf(scope, user=job.requested_by),
        filename=f"{annual_report.report_title(scope)}.pdf",
        content_type=PDF,
    )


@replica.reports()
def build_stats_xlsx(job, progress) -> Document:
    scope = scope_of(job.requested_by, job.parameters)
    progress(0, 1)
    return Document(
        content=annual_report.report_xlsx(scope, user=job.requested_by),
        filename=f"{annual_report.report_title(scope)}.xlsx",
        content_type=XLSX,
    )


@replica.reports()
def build_compliance_xlsx(job, progress) -> Document:
    user = job.requested_by
    scope = scope_of(user, job.parameters)
    progress(0, 1)
    city = scope.city.name if scope.city else ""
    return Document(
        content=annual_report.compliance_xlsx(
            year=scope.last_year, cadres=annual_report.compliance_cadres(user, scope)
        ),
        filename=f"{scope.last_year}年{city}学时达标情况.xlsx",
        content_type=XLSX,
    )


def may_read_figures(user, job) -> bool:
    """Whoever may still read the figures; the rows were those of the user who asked."""
    return has_perm(user, Perm.VIEW_DASHBOARD)


def may_read_cadres(user, job) -> bool:
    return has_perm(user, Perm.VIEW_CADRES)


register(
    JobKind(
        name=STATS_PDF,
        label=gettext_lazy("Statistics report (PDF)"),
        build=build_stats_pdf,
        may_use=may_read_figures,
    )
)
register(
    JobKind(
        name=STATS_XLSX,
        label=gettext_lazy("Statistics report (xlsx)"),
        build=build_stats_xlsx,
        may_use=may_read_figures,
    )
)
register(
    JobKind(
        name=COMPLIANCE_XLSX,
        label=gettext_lazy("Hours compliance list (xlsx)"),
        build=build_compliance_xlsx,
        may_use=may_read_cadres,
    )
)
