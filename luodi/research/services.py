"""Writes of research output: projects, publications and advisory work, each by staff (``by``)
and on record. Many-to-many links (members, authors, teachers, courses) are given as lists and
replace what was there."""

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from luodi.accounts.models import User
from luodi.curriculum.models import Course
from luodi.faculty.models import Teacher
from luodi.lib import audit
from luodi.research.models import AdvisoryWork, Project, Publication

PROJECT_FIELDS = (
    "title",
    "funder",
    "level",
    "principal",
    "start_date",
    "end_date",
    "status",
    "budget",
    "outputs",
)
PUBLICATION_FIELDS = ("title", "external_authors", "venue", "kind", "published_on", "link")
ADVISORY_FIELDS = ("title", "kind", "client", "date", "note")


def _assign(obj: models.Model, allowed: tuple[str, ...], fields: dict[str, Any]) -> list[str]:
    """Set ``fields`` on ``obj`` (text stripped); the names of those that changed."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    changed = []
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(obj, name, None) != value:  # None: an unset relation of a new row
            changed.append(name)
        setattr(obj, name, value)
    return changed


def _links(obj: models.Model, **links: Iterable[models.Model] | None) -> None:
    for name, values in links.items():
        if values is not None:
            getattr(obj, name).set(values)


@transaction.atomic
def project_save(
    *,
    project: Project | None = None,
    members: Iterable[Teacher] | None = None,
    courses: Iterable[Course] | None = None,
    by: User | None,
    **fields: Any,
) -> Project:
    """Create a project (``project`` None) or change one."""
    is_new = project is None
    if project is None:
        project = Project()
    else:
        project = Project.objects.select_for_update().get(pk=project.pk)
    changed = _assign(project, PROJECT_FIELDS, fields)
    project.full_clean()
    project.save()
    _links(project, members=members, courses=courses)
    audit.record(
        "research.project_create" if is_new else "research.project_update",
        by=by,
        obj=project,
        fields=",".join(changed),
    )
    return project


@transaction.atomic
def publication_save(
    *,
    publication: Publication | None = None,
    authors: Iterable[Teacher] | None = None,
    courses: Iterable[Course] | None = None,
    by: User | None,
    **fields: Any,
) -> Publication:
    """Create a publication (``publication`` None) or change one. A publication whose title
    (compared without spaces, punctuation or case) is already on record for its year is
    refused: the database's constraint, checked first so that the refusal says why."""
    is_new = publication is None
    if publication is None:
        publication = Publication()
    else:
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
    changed = _assign(publication, PUBLICATION_FIELDS, fields)
    publication.fill_keys()
    publication.full_clean()
    publication.save()
    _links(publication, authors=authors, courses=courses)
    audit.record(
        "research.publication_create" if is_new else "research.publication_update",
        by=by,
        obj=publication,
        fields=",".join(changed),
    )
    return publication


@transaction.atomic
def advisory_save(
    *,
    work: AdvisoryWork | None = None,
    teachers: Iterable[Teacher] | None = None,
    courses: Iterable[Course] | None = None,
    by: User | None,
    **fields: Any,
) -> AdvisoryWork:
    """Create a piece of advisory work (``work`` None) or change one."""
    is_new = work is None
    if work is None:
        work = AdvisoryWork()
    else:
        work = AdvisoryWork.objects.select_for_update().get(pk=work.pk)
    changed = _assign(work, ADVISORY_FIELDS, fields)
    work.full_clean()
    work.save()
    _links(work, teachers=teachers, courses=courses)
    audit.record(
        "research.advisory_create" if is_new else "research.advisory_update",
        by=by,
        obj=work,
        fields=",".join(changed),
    )
    return work
