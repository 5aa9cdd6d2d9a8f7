"""What the score page shows and reads: an expert's sheet of one unit, leaf by leaf.

Another expert's scores of the unit are shown to an expert only once their own sheet for it
is submitted (``policies.may_see_others``), so no one is led by another's figures; and then
without names (专家1, 专家2: the order of the sheets)."""

from collections import defaultdict
from dataclasses import dataclass, field

from luodi.assessments import policies
from luodi.assessments.models import Evidence, Indicator, Project, Score, Sheet, SheetStatus, Unit
from luodi.assessments.services import Entry, leaves_of


@dataclass
class Line:
    leaf: Indicator
    path: str  # the leaf's ancestors, "组织建设 / 党组织设置"
    value: str = ""
    comment: str = ""
    evidence: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    others: list = field(default_factory=list)  # (label, value, comment) once submitted


def score_entries(project: Project, post, files) -> dict[int, Entry]:
    return {
        leaf.pk: Entry(
            value=post.get(f"value_{leaf.pk}", ""),
            comment=post.get(f"comment_{leaf.pk}", ""),
            file=files.get(f"file_{leaf.pk}"),
        )
        for leaf in leaves_of(project)
    }


def _paths(nodes: list[Indicator]) -> dict[int, str]:
    by_id = {n.pk: n for n in nodes}
    paths = {}
    for node in nodes:
        names, parent = [], by_id.get(node.parent_id) if node.parent_id else None
        while parent is not None:
            names.append(parent.name)
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        paths[node.pk] = " / ".join(reversed(names))
    return paths


def score_context(project: Project, unit: Unit, user, *, errors: dict, posted) -> dict:
    nodes = list(project.indicators.all())
    paths = _paths(nodes)
    sheet = Sheet.objects.filter(unit=unit, expert=user).first()
    mine = {s.indicator_id: s for s in Score.objects.filter(sheet=sheet)} if sheet else {}
    evidence = defaultdict(list)
    for item in Evidence.objects.filter(score__sheet=sheet) if sheet else ():
        evidence[item.score.indicator_id].append(item)
    others: dict[int, list] = defaultdict(list)
    if policies.may_see_others(user, unit.pk):
        other_sheets = (
            Sheet.objects.filter(unit=unit, status=SheetStatus.SUBMITTED)
            .exclude(expert=user)
            .order_by("submitted_at", "id")
        )
        labels = {s.pk: f"专家{n}" for n, s in enumerate(other_sheets, start=1)}
        for other in Score.objects.filter(sheet__in=list(labels)).order_by("sheet__submitted_at"):
            others[other.indicator_id].append((labels[other.sheet_id], other.value, other.comment))
    lines = []
    for leaf in leaves_of(project):
        score = mine.get(leaf.pk)
        stored = "" if score is None or score.value is None else f"{score.value.normalize():f}"
        lines.append(
            Line(
                leaf=leaf,
                path=paths[leaf.pk],
                value=posted.get(f"value_{leaf.pk}", stored) if errors else stored,
                comment=posted.get(f"comment_{leaf.pk}", score.comment if score else "")
                if errors
                else (score.comment if score else ""),
                evidence=evidence.get(leaf.pk, []),
                errors=errors.get(str(leaf.pk), []),
                others=others.get(leaf.pk, []),
            )
        )
    return {
        "project": project,
        "unit": unit,
        "sheet": sheet,
        "submitted": bool(sheet and sheet.is_submitted),
        "open": project.status == "scoring",
        "lines": lines,
        "general_errors": errors.get("", []) + errors.get("__all__", []),
        "scored": sum(1 for line in lines if line.value),
    }
