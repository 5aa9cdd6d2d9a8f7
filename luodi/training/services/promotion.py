"""Promoting an outstanding alumnus to a part-time teacher (``teacher_candidates``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.cadres.models import Cadre
from luodi.faculty.models import Teacher, TeacherKind, TitleBand
from luodi.faculty.services import teacher_save
from luodi.lib import audit


@transaction.atomic
def teacher_promote(*, cadre: Cadre, by: User | None, expertise=()) -> Teacher:
    """Make ``cadre`` a part-time teacher (their own community as the source unit, their post
    as the title). They still need a passed political review before they are scheduled."""
    cadre = Cadre.objects.select_for_update().select_related("community__street").get(pk=cadre.pk)
    if Teacher.objects.filter(cadre=cadre).exists():
        raise ValidationError(_("%(name)s is already a teacher.") % {"name": cadre.name})
    community = cadre.community
    teacher = Teacher(
        name=cadre.name,
        kind=TeacherKind.PART_TIME,
        source_unit=f"{community.street.name}{community.name}"[:100],
        title=cadre.get_post_display(),
        title_band=TitleBand.OTHER,
        phone=cadre.phone,
        cadre=cadre,
        bio="",
    )
    teacher = teacher_save(teacher=teacher, by=by, expertise=list(expertise) or None)
    audit.record("teacher.promoted", by=by, obj=teacher, cadre=cadre.pk)
    return teacher
