"""A class's certificates as background jobs: all in one PDF, or a zip of one PDF each."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.certificates import pdf
from luodi.certificates.models import Certificate
from luodi.certificates.policies import may_download
from luodi.jobs.kinds import Document, JobError, JobKind, register
from luodi.lib.documents.pdf import PDF
from luodi.training.policies import class_to_print, job_rule

CLASS_PDF = "certificates.class-pdf"
CLASS_ZIP = "certificates.class-zip"


def _valid_certificates(training_class) -> list[Certificate]:
    """The class's certificates that are in force, in the order they were numbered."""
    certificates = list(Certificate.objects.of_class(training_class).valid().for_print())
    if not certificates:
        raise JobError(_("No certificate has been issued for this class yet."))
    return certificates


def build_class_pdf(job, progress) -> Document:
    training_class = class_to_print(job)
    certificates = _valid_certificates(training_class)
    progress(0, len(certificates))
    return Document(
        content=pdf.render_pdf(certificates),
        filename=f"{training_class.title}结业证书.pdf",
        content_type=PDF,
    )


def build_class_zip(job, progress) -> Document:
    training_class = class_to_print(job)
    certificates = _valid_certificates(training_class)
    progress(0, len(certificates))
    return Document(
        content=pdf.render_zip(certificates, progress=progress),
        filename=f"{training_class.title}结业证书.zip",
        content_type="application/zip",
    )


may_use = job_rule(may_download)


register(
    JobKind(
        name=CLASS_PDF,
        label=gettext_lazy("All certificates in one PDF"),
        build=build_class_pdf,
        may_use=may_use,
    )
)
register(
    JobKind(
        name=CLASS_ZIP,
        label=gettext_lazy("One PDF each (zip)"),
        build=build_class_zip,
        may_use=may_use,
    )
)
