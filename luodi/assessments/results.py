"""A project's results from its rows: the indicator tree and the submitted scores, handed to
``computation`` (a fixed number of queries, however many units and experts)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from luodi.assessments import computation
from luodi.assessments.models import Indicator, Project, Score, SheetStatus, Unit


def tree_of(nodes: list[Indicator]) -> computation.Tree:
    return computation.Tree(
        [computation.Node(n.pk, n.parent_id, n.name, n.weight, n.max_score) for n in nodes]
    )


@dataclass
class Results:
    project: Project
    indicators: list[Indicator]
    tree: computation.Tree
    units: list[computation.UnitResult]  # ranked, best first, incomplete ones last
    experts: list  # users, by name
    raw: list[Score]  # every submitted score, with its sheet's unit and expert

    @property
    def top(self) -> list[Indicator]:
        return [i for i in self.indicators if i.parent_id is None]

    @property
    def leaves(self) -> list[Indicator]:
        ids = {leaf.id for leaf in self.tree.leaves}
        return [i for i in self.indicators if i.pk in ids]

    @property
    def flags(self) -> list[tuple]:
        """(unit result, expert, their total) of every expert flagged as far from the others."""
        names = {e.pk: e for e in self.experts}
        return [
            (r, names[e], r.expert_totals[e])
            for r in self.units
            for e in sorted(r.flagged)
            if e in names
        ]

    @property
    def ranking(self) -> list[tuple[computation.UnitResult, list[Decimal]]]:
        """Each unit's result with the points of each first-level indicator, in order."""
        top = self.top
        return [(r, [r.points[i.pk] for i in top]) for r in self.units]

    @property
    def breakdown(self) -> list[tuple[Indicator, list[Decimal]]]:
        """Each indicator with the share of its weight each unit reached (ranking order)."""
        return [(i, [r.breakdown[i.pk] for r in self.units]) for i in self.indicators]

    @property
    def complete(self) -> bool:
        return bool(self.units) and all(r.complete for r in self.units)


def project_results(project: Project) -> Results:
    nodes = list(project.indicators.all())
    tree = tree_of(nodes)
    units = list(Unit.objects.filter(project=project))
    raw = list(
        Score.objects.filter(
            sheet__unit__project=project,
            sheet__status=SheetStatus.SUBMITTED,
            value__isnull=False,
        )
        .select_related("sheet__unit", "sheet__expert", "indicator")
        .order_by("sheet__unit__name", "sheet__expert__username", "indicator__position")
    )
    by_unit: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for score in raw:
        if score.value is None:  # filtered out above; for the type checker
            continue
        by_unit[score.sheet.unit_id][score.sheet.expert_id][score.indicator_id] = score.value
    unit_results = [
        computation.unit_result(
            unit,
            tree,
            by_unit.get(unit.pk, {}),
            mad_factor=project.spread_mad_factor,
            points=project.spread_points,
        )
        for unit in units
    ]
    experts = sorted(project.experts.all(), key=lambda u: u.username)
    return Results(
        project=project,
        indicators=nodes,
        tree=tree,
        units=computation.rank_and_grade(unit_results, project.bands),
        experts=experts,
        raw=raw,
    )
