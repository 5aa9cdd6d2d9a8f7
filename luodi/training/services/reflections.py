"""Reflections (培训心得) beyond the trainee's text: the file they may attach, and the mark of
an outstanding one (优秀心得) that whoever runs the class gives, with a comment."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.lib import audit, uploads
from luodi.training.models import Reflection
from luodi.training.policies import may_run_class

# What a trainee may attach: a document or a photo of a handwritten page; never a
# spreadsheet, slides or video.
REFLECTION_KINDS = (uploads.PDF, uploads.DOCX, uploads.OLE2, uploads.PNG, uploads.JPEG)
ATTACHMENT_MAX_MB = 10
COMMENT_MAX_LENGTH = 300


def attachment_check(file: Any, *, by: User | None) -> uploads.Kind:
    """The kind of a reflection's attachment, or ``uploads.Refused`` saying why not (by its
    content, not its name; each refusal audited by ``check_upload``)."""
    return uploads.check_upload(file, kinds=REFLECTION_KINDS, by=by, max_mb=ATTACHMENT_MAX_MB)


def attachment_attach(*, reflection: Reflection, file: Any, by: User | None) -> None:
    """Store ``file`` as the reflection's attachment, replacing any earlier one (the caller
    saves the reflection in its transaction)."""
    attachment_check(file, by=by)
    old = reflection.attachment.name if reflection.attachment else ""
    name = (getattr(file, "name", "") or "")[-100:]
    reflection.attachment.save(name, file, save=False)
    reflection.attachment_name = name
    if old:
        # Removed once the new one is in the database: a failed save keeps the old file.
        storage = reflection.attachment.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def reflection_mark(
    *, reflection: Reflection, outstanding: bool, comment: str = "", by: User
) -> Reflection:
    """Mark a reflection outstanding (优秀心得) with an optional comment, or take the mark
    back. Whoever runs the class (its head teacher, staff) may; a supervisor only reads."""
    reflection = (
        Reflection.objects.select_for_update()
        .select_related("enrolment__training_class")
        .get(pk=reflection.pk)
    )
    if not may_run_class(by, reflection.enrolment.training_class):
        raise PermissionDenied
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("Keep the comment under %(n)s characters.") % {"n": COMMENT_MAX_LENGTH}
        )
    if not outstanding and comment:
        raise ValidationError(_("A comment goes with an outstanding mark only."))
    reflection.outstanding = outstanding
    reflection.outstanding_comment = comment
    reflection.marked_by = by
    reflection.marked_at = timezone.now()
    reflection.full_clean(exclude=["enrolment", "attachment"])
    reflection.save(
        update_fields=[
            "outstanding",
            "outstanding_comment",
            "marked_by",
            "marked_at",
            "updated_at",
        ]
    )
    audit.record(
        "reflection.mark",
        by=by,
        obj=reflection,
        outstanding=outstanding,
        enrolment=reflection.enrolment_id,
    )
    return reflection
