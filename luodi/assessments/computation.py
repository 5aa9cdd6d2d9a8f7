"""The results of an assessment, as pure functions of the indicator tree and the scores.

No database here: ``results.py`` reads the rows and calls these; the tests call them with
hand-computed examples.

- A leaf's score is normalised to its maximum: ``value / max_score`` (0 to 1).
- A leaf's effective weight is the product of the weights (as fractions) from the top of the
  tree down to it; the effective weights of all leaves sum to 1.
- An expert's total for a unit is ``100 × Σ effective weight × normalised score`` over the
  leaves they scored (0 to 100).
- A unit's total takes, for each leaf, the mean of the scores of the experts who scored it
  (only submitted sheets count), so an expert who did not score a unit does not pull it down.
  A leaf that no expert scored counts 0 and marks the unit **incomplete**: its total is shown
  but it gets no rank and no grade.
- Spread: an expert is flagged on a unit when their total is further from the median of all
  the experts' totals for that unit than both ``mad_factor × MAD`` (the median absolute
  deviation) and ``points``. The MAD rule finds the expert who stands out from the others
  however closely they agree; the points floor stops a difference of a point or two from
  being flagged when the others agree exactly (MAD 0). Flagged scores still count: staff
  read the flag and decide (reopen the sheet, or keep it), nothing is dropped silently.
- Rank: by total, highest first, equal totals (to 2 decimals) share a rank and the next rank
  skips (1, 2, 2, 4); incomplete units are not ranked.
- Grade: the first band, from the highest down, whose lowest total the unit reaches.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Node:
    id: Any
    parent_id: Any
    name: str
    weight: Decimal  # percent of its parent
    max_score: Decimal | None = None  # leaves only


@dataclass(frozen=True)
class Tree:
    nodes: Sequence[Node]

    def children(self, parent_id) -> list[Node]:
        return [n for n in self.nodes if n.parent_id == parent_id]

    @property
    def leaves(self) -> list[Node]:
        parents = {n.parent_id for n in self.nodes}
        return [n for n in self.nodes if n.id not in parents]

    @property
    def top(self) -> list[Node]:
        return self.children(None)

    def effective_weights(self) -> dict[Any, Decimal]:
        """Each node's share of the whole (0 to 1): its weight times its ancestors'."""
        found: dict[Any, Decimal] = {}

        def walk(parent_id, above: Decimal) -> None:
            for node in self.children(parent_id):
                found[node.id] = above * node.weight / HUNDRED
                walk(node.id, found[node.id])

        walk(None, Decimal(1))
        return found

    def leaves_under(self, node_id) -> list[Node]:
        below = self.children(node_id)
        if not below:
            return [n for n in self.nodes if n.id == node_id]
        return [leaf for child in below for leaf in self.leaves_under(child.id)]


def normalised(value: Decimal, max_score: Decimal) -> Decimal:
    """A leaf's score as a fraction of its maximum."""
    return value / max_score


def weighted_total(tree: Tree, scores: Mapping[Any, Decimal]) -> Decimal:
    """``100 × Σ effective weight × normalised score`` over the leaves in ``scores`` (leaf id
    → value); a leaf not in it counts 0."""
    weights = tree.effective_weights()
    total = Decimal(0)
    for leaf in tree.leaves:
        if leaf.id in scores and leaf.max_score:
            total += weights[leaf.id] * normalised(scores[leaf.id], leaf.max_score)
    return total * HUNDRED


def leaf_means(tree: Tree, by_expert: Mapping[Any, Mapping[Any, Decimal]]) -> dict[Any, Decimal]:
    """Each leaf's mean over the experts who scored it; leaves no one scored are left out."""
    means: dict[Any, Decimal] = {}
    for leaf in tree.leaves:
        values = [scores[leaf.id] for scores in by_expert.values() if leaf.id in scores]
        if values:
            means[leaf.id] = sum(values, Decimal(0)) / len(values)
    return means


@dataclass
class UnitResult:
    unit: Any
    total: Decimal  # rounded to 2 decimals
    complete: bool
    missing: list[Node]  # leaves no expert scored
    expert_totals: dict[Any, Decimal]  # rounded
    flagged: set = field(default_factory=set)  # experts far from the others
    breakdown: dict[Any, Decimal] = field(default_factory=dict)  # node id → % of its max
    points: dict[Any, Decimal] = field(default_factory=dict)  # node id → points of the 100
    rank: int | None = None
    grade: str = ""


def breakdown(tree: Tree, means: Mapping[Any, Decimal]) -> tuple[dict, dict]:
    """For every node: the points it adds to the total (of 100) and the share of its own
    weight reached (0 to 100 %)."""
    weights = tree.effective_weights()
    points: dict[Any, Decimal] = {}
    share: dict[Any, Decimal] = {}
    for node in tree.nodes:
        got = Decimal(0)
        for leaf in tree.leaves_under(node.id):
            if leaf.id in means and leaf.max_score:
                got += weights[leaf.id] * normalised(means[leaf.id], leaf.max_score)
        points[node.id] = rounded(got * HUNDRED)
        share[node.id] = rounded(got / weights[node.id] * HUNDRED) if weights[node.id] else ZERO
    return points, share


def spread_flags(totals: Mapping[Any, Decimal], *, mad_factor: Decimal, points: Decimal) -> set:
    """The experts whose total is far from the others' (see the module's docstring). With
    fewer than three experts there is no "others" to stand out from: nothing is flagged."""
    if len(totals) < 3:
        return set()
    values = list(totals.values())
    middle = Decimal(median(values))
    mad = Decimal(median([abs(v - middle) for v in values]))
    limit = max(mad_factor * mad, points)
    return {expert for expert, v in totals.items() if abs(v - middle) > limit}


def ranks(totals: Mapping[Any, Decimal | None]) -> dict[Any, int | None]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; None is not ranked."""
    ranked = [t for t in totals.values() if t is not None]
    found: dict[Any, int | None] = {}
    for key, total in totals.items():
        found[key] = None if total is None else 1 + sum(1 for t in ranked if t > total)
    return found


def grade(total: Decimal, bands: Iterable[tuple[str, Decimal]]) -> str:
    for label, lowest in sorted(bands, key=lambda b: b[1], reverse=True):
        if total >= lowest:
            return label
    return ""


def unit_result(
    unit,
    tree: Tree,
    by_expert: Mapping[Any, Mapping[Any, Decimal]],
    *,
    mad_factor: Decimal = Decimal(3),
    points: Decimal = Decimal(10),
) -> UnitResult:
    """One unit's total, completeness, experts' totals and spread flags, and breakdown."""
    means = leaf_means(tree, by_expert)
    expert_totals = {e: rounded(weighted_total(tree, s)) for e, s in by_expert.items() if s}
    node_points, node_share = breakdown(tree, means)
    missing = [leaf for leaf in tree.leaves if leaf.id not in means]
    return UnitResult(
        unit=unit,
        total=rounded(weighted_total(tree, means)),
        complete=not missing,
        missing=missing,
        expert_totals=expert_totals,
        flagged=spread_flags(expert_totals, mad_factor=mad_factor, points=points),
        breakdown=node_share,
        points=node_points,
    )


def rank_and_grade(
    results: Sequence[UnitResult], bands: Iterable[tuple[str, Decimal]]
) -> list[UnitResult]:
    """The results ranked and graded (complete units only), best first, then the rest."""
    bands = list(bands)
    positions = ranks({r.unit: r.total if r.complete else None for r in results})
    for r in results:
        r.rank = positions[r.unit]
        r.grade = grade(r.total, bands) if r.complete else ""
    return sorted(results, key=lambda r: (r.rank is None, r.rank or 0, -r.total))
