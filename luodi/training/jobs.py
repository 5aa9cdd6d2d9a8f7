"""Training's background document jobs: a class's reflections as a booklet (PDF); a class of
a hundred trainees makes a long one."""

from django.utils.translation import gettext_lazy

from luodi.jobs.kinds import Document, JobKind, register
from luodi.lib.documents.pdf import PDF
from luodi.training.documents.reflections_booklet import booklet_pdf
from luodi.training.policies import class_to_print, job_rule, may_read_class_records

REFLECTIONS_BOOKLET = "training.reflections-booklet"


def build_reflections_booklet(job, progress) -> Document:
    training_class = class_to_print(job)
    return Document(
        content=booklet_pdf(training_class, progress=progress),
        filename=f"{training_class.title}培训心得汇编.pdf",
        content_type=PDF,
    )


register(
    JobKind(
        name=REFLECTIONS_BOOKLET,
        label=gettext_lazy("Reflections booklet (PDF)"),
        build=build_reflections_booklet,
        may_use=job_rule(may_read_class_records),
    )
)
