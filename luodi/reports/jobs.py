"""The class archive PDF as a background job: a long class's archive takes a while."""

from django.utils.translation import gettext_lazy

from luodi.jobs.kinds import Document, JobKind, register
from luodi.lib.documents.pdf import PDF
from luodi.reports.class_archive import archive_pdf
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
