"""Downloads of a class's timetable (课表) as PDF and xlsx, and of the class list and a class's
roster as xlsx (the rows the user sees on the page, ``jobs.exports``)."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from luodi.accounts.access import Perm, requires
from luodi.jobs import exports
from luodi.lib.documents.http import attachment
from luodi.lib.documents.pdf import PDF
from luodi.lib.documents.xlsx import XLSX
from luodi.training.documents.timetable import timetable_pdf as build_timetable_pdf
from luodi.training.documents.timetable import timetable_xlsx as build_timetable_xlsx
from luodi.training.lists import CLASSES, ROSTER
from luodi.training.models import Enrolment, TrainingClass
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


@requires(Perm.VIEW_CLASSES)
def class_list_xlsx(request):
    """The class list with the filters it was showing (the same query string)."""
    return exports.export(request, CLASSES)


@requires(Perm.VIEW_CLASSES, scope=Enrolment.objects.visible_to)
def roster_xlsx(request, pk: int):
    """The class's roster as far as the user reaches, as on the class page: a liaison gets
    their city's trainees, a head teacher of another class nobody."""
    training_class = get_object_or_404(
        TrainingClass.objects.select_related("class_type", "head_teacher"), pk=pk
    )
    return exports.export(request, ROSTER, training_class)
