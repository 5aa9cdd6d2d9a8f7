"""The case library's writes: a case written by a teacher, and edits of any case (a case
promoted from an application story is made by ``training.services.stories.story_promote``)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.curriculum.models import CaseSource, Course, NeedTopic, TeachingCase
from luodi.faculty.models import Teacher
from luodi.lib import audit
from luodi.regions.models import Community

# The fields staff enter and edit, besides the courses and need topics.
CASE_FIELDS = ("title", "community", "place", "summary", "full_text", "lessons", "author")


def _save(
    case: TeachingCase,
    *,
    courses: Iterable[Course] | None,
    need_topics: Iterable[NeedTopic] | None,
) -> None:
    if case.source == CaseSource.TEACHER and case.author_id is None:
        raise ValidationError({"author": _("Name the teacher who wrote the case.")})
    case.full_clean()
    case.save()
    if courses is not None:
        case.courses.set(courses)
    if need_topics is not None:
        case.need_topics.set(need_topics)


@transaction.atomic
def case_create(
    *,
    title: str,
    summary: str,
    author: Teacher | None,
    community: Community | None = None,
    place: str = "",
    full_text: str = "",
    lessons: str = "",
    courses: Iterable[Course] = (),
    need_topics: Iterable[NeedTopic] = (),
    by: User | None,
) -> TeachingCase:
    """A case written by the teacher ``author``."""
    case = TeachingCase(
        title=title.strip(),
        summary=summary.strip(),
        author=author,
        community=community,
        place=place.strip(),
        full_text=full_text.strip(),
        lessons=lessons.strip(),
        source=CaseSource.TEACHER,
    )
    _save(case, courses=courses, need_topics=need_topics)
    audit.record("case.create", by=by, obj=case, source=case.source)
    return case


@transaction.atomic
def case_update(
    *,
    case: TeachingCase,
    courses: Iterable[Course] | None = None,
    need_topics: Iterable[NeedTopic] | None = None,
    by: User | None,
    **fields,
) -> TeachingCase:
    """Change the case's text, place, author, courses or need topics (its source stays)."""
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    case = TeachingCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
    changed = [f for f, v in fields.items() if getattr(case, f) != v]
    for field, value in fields.items():
        setattr(case, field, value.strip() if isinstance(value, str) else value)
    _save(case, courses=courses, need_topics=need_topics)
    audit.record("case.update", by=by, obj=case, fields=",".join(changed))
    return case
