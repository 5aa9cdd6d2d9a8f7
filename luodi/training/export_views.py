"""Downloads of a class's documents: the timetable and the class archive (一期一档)."""

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from luodi.accounts.access import Perm, requires
from luodi.training import exports
from luodi.training.models import TrainingClass
from luodi.training.policies import may_read_archive


def private(response: HttpResponse) -> HttpResponse:
    """Keep a document with personal data out of shared caches and the browser's cache."""
    response["Cache-Control"] = "private, no-store"
    return response


def content_disposition(filename: str, fallback: str) -> str:
    """Name a download in Chinese for browsers that read RFC 6266's ``filename*``, and in plain
    ASCII (``fallback``) for those that do not."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment(content: bytes, *, filename: str, fallback: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return private(response)


def _get_class(pk: int) -> TrainingClass:
    return get_object_or_404(
        TrainingClass.objects.select_related("class_type", "head_teacher"), pk=pk
    )


def _get_class_for_archive(request, pk: int) -> TrainingClass:
    """Staff who plan classes see every archive; a head teacher sees their own classes'."""
    training_class = _get_class(pk)
    user = request.user
    if not may_read_archive(user, training_class):
        raise PermissionDenied
    return training_class


@requires(Perm.VIEW_CLASSES)
@require_GET
def timetable_pdf(request, pk: int):
    training_class = _get_class(pk)
    return attachment(
        exports.timetable_pdf(training_class),
        filename=f"{training_class.title}课程表.pdf",
        fallback=f"timetable-class-{pk}.pdf",
        content_type=exports.PDF,
    )


@requires(Perm.VIEW_CLASSES)
@require_GET
def timetable_xlsx(request, pk: int):
    training_class = _get_class(pk)
    return attachment(
        exports.timetable_xlsx(training_class),
        filename=f"{training_class.title}课程表.xlsx",
        fallback=f"timetable-class-{pk}.xlsx",
        content_type=exports.XLSX,
    )


@requires(Perm.PLAN_CLASSES, Perm.RUN_CLASSES, scope=may_read_archive)
@require_GET
def archive_xlsx(request, pk: int):
    """Access: PLAN_CLASSES, or the head teacher of this class. ID and phone numbers masked."""
    training_class = _get_class_for_archive(request, pk)
    return attachment(
        exports.archive_xlsx(training_class),
        filename=f"{training_class.title}一期一档.xlsx",
        fallback=f"archive-class-{pk}.xlsx",
        content_type=exports.XLSX,
    )


@requires(Perm.PLAN_CLASSES, Perm.RUN_CLASSES, scope=may_read_archive)
@require_GET
def archive_pdf(request, pk: int):
    """Access: PLAN_CLASSES, or the head teacher of this class. ID and phone numbers masked."""
    training_class = _get_class_for_archive(request, pk)
    return attachment(
        exports.archive_pdf(training_class),
        filename=f"{training_class.title}一期一档.pdf",
        fallback=f"archive-class-{pk}.pdf",
        content_type=exports.PDF,
    )
