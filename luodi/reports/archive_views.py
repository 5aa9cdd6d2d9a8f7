"""The class archive (一期一档) of a class: xlsx at once, the PDF prepared in the background."""

from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from luodi.accounts.access import Perm, requires
from luodi.jobs.services import job_start
from luodi.lib import audit
from luodi.lib.documents.http import attachment
from luodi.lib.documents.xlsx import XLSX
from luodi.reports.class_archive import archive_xlsx as build_archive_xlsx
from luodi.reports.jobs import ARCHIVE_PDF
from luodi.training.policies import class_for, may_read_archive


@requires(Perm.PLAN_CLASSES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_read_archive)
@require_GET
def archive_xlsx(request, pk: int):
    """Access: PLAN_CLASSES, the head teacher of this class, or a supervisor. ID and phone
    numbers masked."""
    training_class = class_for(request.user, pk, may_read_archive)
    audit.record("personal.export", by=request.user, obj=training_class, what="class-archive-xlsx")
    return attachment(
        build_archive_xlsx(training_class),
        filename=f"{training_class.title}一期一档.xlsx",
        fallback=f"archive-class-{pk}.xlsx",
        content_type=XLSX,
    )


@requires(Perm.PLAN_CLASSES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_read_archive)
@require_http_methods(["GET", "POST"])
def archive_pdf(request, pk: int):
    """Access: PLAN_CLASSES, the head teacher of this class, or a supervisor. A POST queues
    the PDF as a background job, whose progress the class page shows; a GET (an old bookmark)
    only leads to the class page."""
    training_class = class_for(request.user, pk, may_read_archive)
    if request.method == "POST":
        job_start(
            kind=ARCHIVE_PDF, subject=training_class, by=request.user, parameters={"class_id": pk}
        )
    return redirect(training_class)
