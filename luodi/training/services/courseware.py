"""Courseware (课件) added to a session by its teacher, its head teacher or staff."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.lib import audit, uploads
from luodi.training.models import Courseware, Session

TITLE_MAX_LENGTH = 100


@transaction.atomic
def courseware_add(*, session: Session, title: str, file: UploadedFile, by: User) -> Courseware:
    """Store ``file`` as courseware of ``session``, checked by its content first
    (``luodi.lib.uploads``; a refusal is audited there). Only the trainees who attend this
    session get it, not those of the course's other classes."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the courseware a title."))
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(_("Keep the title under %(n)s characters.") % {"n": TITLE_MAX_LENGTH})
    uploads.check_upload(file, by=by)
    item = Courseware(
        session=session, course_id=session.course_id, title=title, file=file, uploaded_by=by
    )
    item.full_clean()
    item.save()
    audit.record("courseware.add", by=by, obj=item, session=session.pk)
    return item
