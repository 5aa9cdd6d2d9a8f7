"""Every write of assessment projects: keyword-only, by the acting user, audited."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, has_perm
from luodi.accounts.models import User
from luodi.assessments import indicators
from luodi.assessments.models import (
    Evidence,
    Indicator,
    Project,
    ProjectStatus,
    Score,
    Sheet,
    SheetStatus,
    Stage,
    StageKind,
    Unit,
)
from luodi.lib import audit, uploads
from luodi.regions.models import Community, Region, RegionLevel

EVIDENCE_KINDS = (uploads.PDF, uploads.PNG, uploads.JPEG, uploads.DOCX, uploads.OLE2)
EVIDENCE_MAX_MB = 10
PROJECT_FIELDS = (
    "name",
    "client",
    "year",
    "status",
    "description",
    "grade_bands",
    "spread_mad_factor",
    "spread_points",
)


@transaction.atomic
def project_create(
    *, name: str, client: str, year: int, by: User, description: str = "", **settings: Any
) -> Project:
    """A project in preparation, with its three stages (dates to be set). ``settings``: its
    grade bands and spread thresholds, where not the defaults."""
    unknown = set(settings) - {"grade_bands", "spread_mad_factor", "spread_points"}
    if unknown:
        raise TypeError(f"Not a project setting: {sorted(unknown)}")
    project = Project(name=name, client=client, year=year, description=description, **settings)
    _check_bands(project.grade_bands)
    project.full_clean()
    project.save()
    for kind in StageKind:
        Stage.objects.create(project=project, kind=kind)
    audit.record("assessment.create", by=by, obj=project, client=client, year=year)
    return project


@transaction.atomic
def project_update(*, project: Project, by: User, **fields: Any) -> Project:
    """Change a project's own fields; opening it for scoring needs a valid indicator system
    and at least one unit and one expert."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Not a project field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(project, name, value)
    _check_bands(project.grade_bands)
    if project.status != ProjectStatus.PREPARING:
        problems = []
        if not project.indicators.exists():
            problems.append(_("The project has no indicator system yet."))
        if not project.units.exists():
            problems.append(_("The project assesses no unit yet."))
        if not project.experts.exists():
            problems.append(_("The project has no expert yet."))
        if problems:
            raise ValidationError(problems)
    project.full_clean()
    project.save()
    audit.record("assessment.update", by=by, obj=project, fields=sorted(fields))
    return project


def _check_bands(bands) -> None:
    if not bands:
        return
    try:
        lows = [Decimal(str(low)) for _label, low in bands]
    except (TypeError, ValueError, InvalidOperation):
        raise ValidationError(_("Write each grade band as “label ≥ lowest total”.")) from None
    if lows != sorted(lows, reverse=True) or len(set(lows)) != len(lows):
        raise ValidationError(
            _("List grade bands from the highest down, each lower than the last.")
        )
    if any(not 0 <= low <= 100 for low in lows):
        raise ValidationError(_("A grade band's lowest total is from 0 to 100."))


@transaction.atomic
def stage_update(
    *, stage: Stage, by: User, starts_on, ends_on, status: str, note: str = ""
) -> Stage:
    stage.starts_on, stage.ends_on, stage.status, stage.note = starts_on, ends_on, status, note
    stage.full_clean()
    stage.save()
    audit.record("assessment.stage", by=by, obj=stage.project, stage=stage.kind, status=status)
    return stage


@transaction.atomic
def unit_add(
    *,
    project: Project,
    by: User,
    district: Region | None = None,
    community: Community | None = None,
    name: str = "",
) -> Unit:
    """A unit to assess: a district, a community, or one named freely."""
    if district is not None and district.level != RegionLevel.DISTRICT:
        raise ValidationError(_("Choose a district, not another kind of region."))
    if district is not None and community is not None:
        raise ValidationError(_("A unit is a district or a community, not both."))
    if not name:
        if community is not None:
            name = f"{community.district.name}{community.name}"
        elif district is not None:
            name = f"{district.parent.name}{district.name}" if district.parent else district.name
    name = name.strip()
    if not name:
        raise ValidationError(_("Choose a district or a community, or name the unit."))
    if project.units.filter(name=name).exists():
        raise ValidationError(_("“%(name)s” is already assessed in this project.") % {"name": name})
    unit = Unit(project=project, name=name[:100], district=district, community=community)
    unit.full_clean()
    unit.save()
    audit.record("assessment.unit_add", by=by, obj=project, unit=unit.name)
    return unit


@transaction.atomic
def unit_remove(*, unit: Unit, by: User) -> None:
    if Score.objects.filter(sheet__unit=unit, value__isnull=False).exists():
        raise ValidationError(
            _("“%(name)s” has been scored; it cannot be removed.") % {"name": unit}
        )
    audit.record("assessment.unit_remove", by=by, obj=unit.project, unit=unit.name)
    unit.delete()


@transaction.atomic
def expert_add(*, project: Project, user: User, by: User) -> None:
    if not (user.is_active and has_perm(user, Perm.SCORE_ASSESSMENTS)):
        raise ValidationError(
            _("%(name)s may not score assessments (their role does not allow it).")
            % {"name": user.display_name}
        )
    project.experts.add(user)
    audit.record("assessment.expert_add", by=by, obj=project, expert=user.username)


@transaction.atomic
def expert_remove(*, project: Project, user: User, by: User) -> None:
    if Sheet.objects.filter(
        unit__project=project, expert=user, status=SheetStatus.SUBMITTED
    ).exists():
        raise ValidationError(
            _("%(name)s has submitted scores in this project; they stay an expert of it.")
            % {"name": user.display_name}
        )
    Sheet.objects.filter(unit__project=project, expert=user).delete()
    project.experts.remove(user)
    audit.record("assessment.expert_remove", by=by, obj=project, expert=user.username)


def _refuse_if_locked(project: Project) -> None:
    if project.has_scores:
        raise ValidationError(
            _(
                "Experts have already scored this project: its indicator system can no longer "
                "be changed (the scores were given against it). Start a new project, copying "
                "this system, to assess with another one."
            )
        )


def _store(project: Project, items: list[indicators.Item]) -> int:
    project.indicators.all().delete()
    position = 0

    def walk(items: list[indicators.Item], parent: Indicator | None) -> None:
        nonlocal position
        for item in items:
            position += 1
            node = Indicator.objects.create(
                project=project,
                parent=parent,
                position=position,
                name=item.name,
                description=item.description,
                weight=item.weight,
                max_score=None if item.children else item.max_score,
            )
            walk(item.children, node)

    walk(items, None)
    return position


@transaction.atomic
def indicators_replace(*, project: Project, text: str, by: User) -> int:
    """Replace a project's indicator system by the outline ``text`` (``indicators``), checked
    as a whole; refused once any score exists. Returns how many indicators it has."""
    Project.objects.select_for_update().filter(pk=project.pk).first()
    _refuse_if_locked(project)
    items, errors = indicators.parse(text)
    errors = errors or indicators.check(items)
    if errors:
        raise ValidationError(errors)
    count = _store(project, items)
    audit.record("assessment.indicators", by=by, obj=project, indicators=count)
    return count


@transaction.atomic
def indicators_copy(*, project: Project, source: Project, by: User) -> int:
    """Copy ``source``'s indicator system into ``project`` (replacing its own)."""
    nodes = list(source.indicators.all())
    if not nodes:
        raise ValidationError(_("“%(name)s” has no indicator system to copy.") % {"name": source})
    count = indicators_replace(project=project, text=indicators.outline(nodes), by=by)
    audit.record("assessment.indicators_copy", by=by, obj=project, source=source.pk)
    return count


# ---- Scoring -----------------------------------------------------------------------------------


@dataclass
class Entry:
    """What an expert entered for one leaf: the score as typed, a comment, a new file."""

    value: str = ""
    comment: str = ""
    file: Any = None


def _value(text: str, leaf: Indicator) -> tuple[Decimal | None, str]:
    """The score typed for ``leaf``, or the reason it is refused."""
    text = (text or "").strip()
    if not text:
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("“%(text)s” is not a number.") % {"text": text}
    if not value.is_finite():
        return None, _("“%(text)s” is not a number.") % {"text": text}
    if value < 0:
        return None, _("A score cannot be below 0.")
    # A leaf always has a maximum (indicators.check).
    if leaf.max_score is not None and value > leaf.max_score:
        return None, _("%(value)s is above the maximum score of %(max)s.") % {
            "value": text,
            "max": indicators._plain(leaf.max_score),
        }
    if value != value.quantize(Decimal("0.01")):
        return None, _("Give a score with at most two decimals.")
    return value, ""


def leaves_of(project: Project) -> list[Indicator]:
    parents = set(project.indicators.exclude(parent=None).values_list("parent_id", flat=True))
    return [i for i in project.indicators.all() if i.pk not in parents]


@transaction.atomic
def sheet_save(
    *, unit: Unit, by: User, entries: Mapping[int, Entry], submit: bool = False
) -> Sheet:
    """Save ``by``'s scores of ``unit`` as a draft, or submit them (every leaf scored). A
    score out of range refuses the whole save, naming each field (``ValidationError`` keyed
    by leaf id); a submitted sheet is final."""
    project = unit.project
    if not project.experts.filter(pk=by.pk).exists():
        raise ValidationError(_("You are not an expert of this project."))
    if project.status != ProjectStatus.SCORING:
        raise ValidationError(_("This project is not open for scoring."))
    sheet, _created = Sheet.objects.select_for_update().get_or_create(unit=unit, expert=by)
    if sheet.is_submitted:
        raise ValidationError(
            _("You have submitted your scores of this unit; they can no longer be changed.")
        )
    leaves = leaves_of(project)
    existing = {s.indicator_id: s for s in sheet.scores.all()}
    errors: dict[str, list[str]] = {}
    values: dict[int, Decimal | None] = {}
    for leaf in leaves:
        entry = entries.get(leaf.pk, Entry())
        value, problem = _value(entry.value, leaf)
        if problem:
            errors[str(leaf.pk)] = [f"{leaf.name}：{problem}"]
        elif submit and value is None:
            errors[str(leaf.pk)] = [_("%(name)s: give a score to submit.") % {"name": leaf.name}]
        if entry.file is not None:
            try:
                uploads.check_upload(
                    entry.file, kinds=EVIDENCE_KINDS, by=by, max_mb=EVIDENCE_MAX_MB
                )
            except uploads.Refused as refusal:
                errors.setdefault(str(leaf.pk), []).extend(refusal.messages)
        values[leaf.pk] = value
    if errors:
        raise ValidationError(errors)
    for leaf in leaves:
        entry = entries.get(leaf.pk, Entry())
        score = existing.get(leaf.pk) or Score(sheet=sheet, indicator=leaf)
        score.value = values[leaf.pk]
        score.comment = (entry.comment or "").strip()[:1000]
        score.save()
        if entry.file is not None:
            Evidence.objects.create(score=score, file=entry.file, name=str(entry.file.name)[:120])
    if submit:
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, timezone.now()
    sheet.save()
    audit.record(
        "assessment.submit" if submit else "assessment.draft",
        by=by,
        obj=sheet,
        unit=unit.name,
        scored=sum(v is not None for v in values.values()),
    )
    return sheet


@transaction.atomic
def sheet_reopen(*, sheet: Sheet, by: User, reason: str) -> Sheet:
    """Let an expert change a submitted sheet again (staff, with a reason on record)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the scores are reopened."))
    if not sheet.is_submitted:
        raise ValidationError(_("These scores have not been submitted."))
    sheet.status, sheet.submitted_at = SheetStatus.DRAFT, None
    sheet.save()
    audit.record("assessment.reopen", by=by, obj=sheet, expert=sheet.expert.username, reason=reason)
    return sheet
