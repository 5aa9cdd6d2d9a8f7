"""Downloads of a class's timetable (课表) as PDF and xlsx."""

from django.views.decorators.http import require_GET

from luodi.accounts.access import Perm, requires
from luodi.lib.documents.http import attachment
from luodi.lib.documents.pdf import PDF
from luodi.lib.documents.xlsx import XLSX
from luodi.training.documents.timetable import timetable_pdf as build_timetable_pdf
from luodi.training.documents.timetable import timetable_xlsx as build_timetable_xlsx
from luodi.training.policies import class_for, may_read_timetable


@requires(Perm.VIEW_CLASSES, Perm.TRAINEE_SELF, scope=may_read_timetable)
@require_GET
def timetable_pdf(request, pk: int):
    """Access: whoever reads classes, and a trainee the timetable of their own class."""
    training_class = class_for(request.user, pk, may_read_timetable)
    return attachment(
        build_timetable_pdf(training_class),
        filename=f"{training_class.title}课程表.pdf",
        fallback=f"timetable-class-{pk}.pdf",
        content_type=PDF,
    )


@requires(Perm.VIEW_CLASSES, Perm.TRAINEE_SELF, scope=may_read_timetable)
@require_GET
def timetable_xlsx(request, pk: int):
    """Access: as ``timetable_pdf``."""
    training_class = class_for(request.user, pk, may_read_timetable)
    return attachment(
        build_timetable_xlsx(training_class),
        filename=f"{training_class.title}课程表.xlsx",
        fallback=f"timetable-class-{pk}.xlsx",
        content_type=XLSX,
    )
