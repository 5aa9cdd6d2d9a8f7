"""Downloads of a class's timetable (课表) as PDF and xlsx."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from luodi.accounts.access import Perm, requires
from luodi.lib.documents.http import attachment
from luodi.lib.documents.pdf import PDF
from luodi.lib.documents.xlsx import XLSX
from luodi.training.documents.timetable import timetable_pdf as build_timetable_pdf
from luodi.training.documents.timetable import timetable_xlsx as build_timetable_xlsx
from luodi.training.models import TrainingClass


def _get_class(pk: int) -> TrainingClass:
    return get_object_or_404(
        TrainingClass.objects.select_related("class_type", "head_teacher"), pk=pk
    )


@requires(Perm.VIEW_CLASSES)
@require_GET
def timetable_pdf(request, pk: int):
    training_class = _get_class(pk)
    return attachment(
        build_timetable_pdf(training_class),
        filename=f"{training_class.title}课程表.pdf",
        fallback=f"timetable-class-{pk}.pdf",
        content_type=PDF,
    )


@requires(Perm.VIEW_CLASSES)
@require_GET
def timetable_xlsx(request, pk: int):
    training_class = _get_class(pk)
    return attachment(
        build_timetable_xlsx(training_class),
        filename=f"{training_class.title}课程表.xlsx",
        fallback=f"timetable-class-{pk}.xlsx",
        content_type=XLSX,
    )
