"""Timetables by constraint programming (OR-Tools CP-SAT), free of the database.

A ``Problem`` holds the classes to schedule together (their slots: each day's morning,
afternoon and, if used, evening), the sessions to place (``Item``: a course's part of at most
one slot, its candidate teachers, its field site or case) and the rules that forbid a
placement (``Ban``). ``problem.build`` makes one from the records; ``solve`` places every item.

Hard rules. Each item is placed once, in a slot of its class that holds its hours; a slot
holds sessions of up to its hours, one after another (two 1.5-hour courses in a morning), and
a field visit takes its half-day whole (a site more than an hour away: the morning, and
the afternoon for the journey back); a teacher, a room and a field site serve one class per
slot across the classes solved together; a teacher's sessions per day stay within their
maximum.
Every other hard rule is a ``Ban`` or a ``Cap`` with its words (a teacher unavailable or not
cleared by political review that day, already teaching another class, a statutory holiday,
on-site teaching only in a half-day, a venue booked, a pinned session). Each is switched on by
an assumption literal: when no timetable exists, the solver's core of assumptions names the
rules that cannot all hold, and those words are the explanation. The core is then shrunk one
rule at a time, so that every rule named is needed for the conflict.

Soft rules (``WEIGHTS``; a college weighs them on its settings page): the opening
session first and the closing one last, a lecture before the practice of its category,
no day of lectures only, field visits away from the first and last day, evenings light, a
part-time teacher's sessions on as few days as possible, the better-rated of the candidate
teachers, and (re-solving) sessions where they are now.
"""

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from luodi.college.timetable_rules import NATIONAL_WEIGHTS

if TYPE_CHECKING:  # imported when solving: OR-Tools takes a second and a half to load
    from ortools.sat.python.cp_model import CpSolver, IntVar, LinearExprT

# The soft rules' national weights (``college.timetable_rules``; a college sets its own).
WEIGHTS = dict(NATIONAL_WEIGHTS)
LECTURE = "lecture"
ON_SITE = "on_site"
HALF_DAYS = ("morning", "afternoon")
# One class: the search stops when no better timetable came for this long (proving the best
# one optimal can take far longer than finding it; the page shows the gap to the bound).
ONE_CLASS_STALL = 2.0
UNRATED_AS = 80.0


@dataclass(frozen=True)
class Slot:
    day: date
    name: str  # morning | afternoon | evening
    hours: Decimal  # what the slot holds


@dataclass(frozen=True)
class Item:
    """One session to place."""

    key: str
    class_id: int
    title: str
    method: str
    hours: Decimal
    group: str  # the parts of one course share a teacher
    teachers: tuple[int, ...] = ()  # candidates, the preferred first; () = none needed
    field_site: int | None = None
    category: int | None = None
    role: str = ""  # opening | closing | ""
    current: tuple[date, str] | None = None  # where it is now, when re-solving
    whole_day: bool = False  # a field visit far away: the morning, and the afternoon kept free


@dataclass(frozen=True)
class Ban:
    """Forbids placing what it matches; ``None`` matches anything. ``why`` is the rule in words:
    bans with the same words are one rule (one assumption)."""

    why: str
    class_id: int | None = None
    item: str | None = None
    teacher: int | None = None
    field_site: int | None = None
    day: date | None = None
    slot: str | None = None
    at_college: bool = False  # only sessions in the class's room (not at a field site)


@dataclass(frozen=True)
class Cap:
    """At most ``limit`` sessions of ``teacher`` on ``day`` in the classes solved."""

    why: str
    teacher: int
    day: date
    limit: int


@dataclass(frozen=True)
class Pin:
    why: str
    item: str
    day: date | None = None
    slot: str | None = None
    teacher: int | None = None


@dataclass
class Problem:
    slots: dict[int, list[Slot]]  # class id → its slots, in time order
    items: list[Item]
    venues: dict[int, str] = field(default_factory=dict)  # class id → its room
    bans: list[Ban] = field(default_factory=list)
    caps: list[Cap] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    part_time: frozenset[int] = frozenset()
    ratings: dict[int, float] = field(default_factory=dict)
    weights: dict[str, int] = field(default_factory=lambda: dict(WEIGHTS))


@dataclass(frozen=True)
class Placement:
    item: str
    day: date
    slot: str
    teacher: int | None


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """The objective's relative distance from the best bound (0: proven optimal)."""
    if objective is None or bound is None:
        return None
    if not objective:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


@dataclass
class Result:
    status: str  # solved | optimal | infeasible | unknown
    placements: list[Placement] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why there is no timetable
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    first_solution_seconds: float | None = None

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def _tenths(hours: Decimal) -> int:
    return int(hours * 10)


def _matches(ban: Ban, item: Item, slot: Slot, teacher: int | None) -> bool:
    return (
        (ban.class_id is None or ban.class_id == item.class_id)
        and (ban.item is None or ban.item == item.key)
        and (ban.teacher is None or ban.teacher == teacher)
        and (ban.field_site is None or ban.field_site == item.field_site)
        and (ban.day is None or ban.day == slot.day)
        and (ban.slot is None or ban.slot == slot.name)
        and (not ban.at_college or item.field_site is None)
    )


def precheck(problem: Problem) -> list[str]:
    """Reasons found without solving: a session longer than any slot of its class, more
    hours than the slots hold, more long sessions than the half-days that hold them."""
    reasons = []
    for item in problem.items:
        longest = max((s.hours for s in problem.slots.get(item.class_id, [])), default=0)
        if item.hours > longest:
            reasons.append(
                _(
                    "“%(course)s” needs %(hours)s hours in one session; no slot holds more "
                    "than %(max)s."
                )
                % {"course": item.title, "hours": item.hours, "max": longest}
            )
    for class_id, slots in problem.slots.items():
        mine = [i for i in problem.items if i.class_id == class_id]
        hours = sum((i.hours for i in mine), Decimal(0))
        room = sum((s.hours for s in slots), Decimal(0))
        if hours > room:
            reasons.append(
                _("The sessions add up to %(hours)s hours, but the class's slots hold %(room)s.")
                % {"hours": hours, "room": room}
            )
            continue
        # A session longer than half the longest slot shares its slot with no other such one.
        half = max((s.hours for s in slots), default=Decimal(0)) / 2
        long_items = sum(1 for i in mine if i.hours > half)
        long_slots = sum(1 for s in slots if s.hours > half)
        if long_items > long_slots:
            reasons.append(
                _(
                    "%(n)s sessions are longer than %(half)s hours and each needs a morning or "
                    "an afternoon of its own, but the class has only %(slots)s."
                )
                % {"n": long_items, "half": half, "slots": long_slots}
            )
    return reasons


class _Model:
    """The CP-SAT model of a problem, with its assumption literals by rule."""

    def __init__(self, problem: Problem):
        from ortools.sat.python import cp_model

        self.cp = cp_model
        self.problem = problem
        self.model = cp_model.CpModel()
        self.rules: dict[str, IntVar] = {}  # words → assumption literal
        # x[item key][slot index] → placed there; y[group][teacher] → taught by
        self.x: dict[str, dict[int, IntVar]] = {}
        self.y: dict[str, dict[int, IntVar]] = {}
        self.penalties: list[LinearExprT] = []
        self._build()

    def rule(self, why: str) -> "IntVar":
        if why not in self.rules:
            self.rules[why] = self.model.new_bool_var(f"rule{len(self.rules)}")
        return self.rules[why]

    def _teacher_vars(self):
        groups: dict[str, tuple[int, ...]] = {}
        for item in self.problem.items:
            groups.setdefault(item.group, item.teachers)
        weight = self.problem.weights["rating"]
        for group, teachers in groups.items():
            if not teachers:
                continue
            self.y[group] = {t: self.model.new_bool_var(f"y{group}_{t}") for t in teachers}
            self.model.add_exactly_one(self.y[group].values())
            if len(teachers) > 1:
                for t, var in self.y[group].items():
                    rating = self.problem.ratings.get(t, UNRATED_AS)
                    self.penalties.append(round(weight * (100 - rating) / 10) * var)

    def _build(self) -> None:
        p, m = self.problem, self.model
        self._teacher_vars()
        # Per (teacher | room | field site, day, slot): each class's literals there. A slot
        # holds several short sessions of one class (one after the other), so a teacher, a
        # room or a site may serve one class per slot, not one session.
        shared: dict[tuple, dict[int, list[IntVar]]] = defaultdict(lambda: defaultdict(list))
        by_day: dict[tuple, list[IntVar]] = defaultdict(list)  # (teacher, day) → literals
        in_slot: dict[tuple, list[tuple[int, IntVar]]] = defaultdict(list)  # (class, slot)
        for item in p.items:
            slots = p.slots[item.class_id]
            self.x[item.key] = {}
            for index, slot in enumerate(slots):
                if item.hours > slot.hours or (item.whole_day and slot.name != HALF_DAYS[0]):
                    continue
                var = m.new_bool_var(f"x{item.key}_{index}")
                self.x[item.key][index] = var
                # A field visit (travel there and back) takes the whole half-day.
                size = slot.hours if item.field_site is not None else item.hours
                in_slot[(item.class_id, index)].append((_tenths(size), var))
                if item.whole_day:  # the journey back takes the afternoon
                    for later, other in enumerate(slots):
                        if other.day == slot.day and other.name == HALF_DAYS[1]:
                            in_slot[(item.class_id, later)].append((_tenths(other.hours), var))
                room = p.venues.get(item.class_id)
                if item.field_site is not None:
                    shared[("site", item.field_site, slot.day, slot.name)][item.class_id].append(
                        var
                    )
                elif room:
                    shared[("room", room, slot.day, slot.name)][item.class_id].append(var)
                for teacher, taught in self._taught(item, var):
                    shared[("teacher", teacher, slot.day, slot.name)][item.class_id].append(taught)
                    by_day[(teacher, slot.day)].append(taught)
                    for ban in p.bans:
                        if ban.teacher is not None and _matches(ban, item, slot, teacher):
                            m.add(taught == 0).only_enforce_if(self.rule(ban.why))
                for ban in p.bans:
                    if ban.teacher is None and _matches(ban, item, slot, None):
                        m.add(var == 0).only_enforce_if(self.rule(ban.why))
            m.add_exactly_one(self.x[item.key].values())
        for (class_id, index), placed in in_slot.items():
            holds = _tenths(p.slots[class_id][index].hours)
            if sum(h for h, _var in placed) > holds:
                m.add(sum(h * var for h, var in placed) <= holds)
        for per_class in shared.values():
            if len(per_class) > 1:
                m.add_at_most_one(self._uses(literals) for literals in per_class.values())
        for cap in p.caps:
            literals = by_day.get((cap.teacher, cap.day), [])
            if len(literals) > cap.limit:
                m.add(sum(literals) <= cap.limit).only_enforce_if(self.rule(cap.why))
        for pin in p.pins:
            self._pin(pin)
        self._soft(by_day)

    def _uses(self, literals: list["IntVar"]) -> "IntVar":
        """One literal: true when any of ``literals`` is (a class's use of a slot)."""
        if len(literals) == 1:
            return literals[0]
        uses = self.model.new_bool_var("")
        self.model.add_max_equality(uses, literals)
        return uses

    def _taught(self, item: Item, var: "IntVar") -> Iterable[tuple[int, "IntVar"]]:
        """(teacher, literal "item placed here and taught by teacher") for each candidate."""
        teachers = self.y.get(item.group, {})
        if len(teachers) == 1:
            yield next(iter(teachers)), var
            return
        for teacher, chosen in teachers.items():
            both = self.model.new_bool_var("")
            self.model.add_implication(both, var)
            self.model.add_implication(both, chosen)
            self.model.add_bool_or([var.Not(), chosen.Not(), both])
            yield teacher, both

    def _pin(self, pin: Pin) -> None:
        item = next((i for i in self.problem.items if i.key == pin.item), None)
        if item is None:
            return
        literal = self.rule(pin.why)
        slots = self.problem.slots[item.class_id]
        allowed = [
            var
            for index, var in self.x[item.key].items()
            if (pin.day is None or slots[index].day == pin.day)
            and (pin.slot is None or slots[index].name == pin.slot)
        ]
        if not allowed:
            self.model.add_bool_or([literal.Not()])
        else:
            self.model.add_bool_or(allowed).only_enforce_if(literal)
        chosen = self.y.get(item.group, {}).get(pin.teacher) if pin.teacher else None
        if pin.teacher and chosen is None:
            self.model.add_bool_or([literal.Not()])
        elif chosen is not None:
            self.model.add(chosen == 1).only_enforce_if(literal)

    def _position(self, item: Item):
        return sum(index * var for index, var in self.x[item.key].items())

    def _soft(self, by_day) -> None:
        p, m, w = self.problem, self.model, self.problem.weights
        for item in p.items:
            slots = p.slots[item.class_id]
            last = len(slots) - 1
            first_day, last_day = slots[0].day, slots[-1].day
            for index, var in self.x[item.key].items():
                slot = slots[index]
                cost = 0
                if item.role == "opening":
                    cost += w["opening"] * index
                if item.role == "closing":
                    cost += w["closing"] * (last - index)
                if slot.name == "evening":
                    cost += w["evening"]
                if item.method == ON_SITE and slot.day in (first_day, last_day):
                    cost += w["field_mid"]
                if item.current and item.current != (slot.day, slot.name):
                    cost += w["keep"]
                if cost:
                    self.penalties.append(cost * var)
        by_class: dict[int, list[Item]] = defaultdict(list)
        for item in p.items:
            by_class[item.class_id].append(item)
        for class_id, items in by_class.items():
            self._theory_first(items)
            self._mixed_methods(class_id, items)
        for (teacher, _day), literals in by_day.items():
            if teacher in p.part_time:
                comes = m.new_bool_var("")
                m.add_max_equality(comes, literals)
                self.penalties.append(w["teacher_days"] * comes)

    def _theory_first(self, items: list[Item]) -> None:
        weight = self.problem.weights["theory_first"]
        lectures = [i for i in items if i.method == LECTURE and i.category is not None]
        practice = [i for i in items if i.method != LECTURE and i.category is not None]
        size = len(self.problem.slots[items[0].class_id])
        for lecture in lectures:
            for other in practice:
                if other.category != lecture.category or other.group == lecture.group:
                    continue
                early = self.model.new_bool_var("")
                # The practice by slot k and the lecture after it: ``early`` pays for it. One
                # constraint per k (not one with a big coefficient) keeps the bound strong.
                for k in range(size - 1):
                    by_k = [v for j, v in self.x[other.key].items() if j <= k]
                    after_k = [v for j, v in self.x[lecture.key].items() if j > k]
                    if by_k and after_k:
                        self.model.add(early >= sum(by_k) + sum(after_k) - 1)
                self.penalties.append(weight * early)

    def _mixed_methods(self, class_id: int, items: list[Item]) -> None:
        weight = self.problem.weights["mixed_methods"]
        slots = self.problem.slots[class_id]
        for day in sorted({s.day for s in slots}):
            lectures: list[IntVar] = []
            others: list[IntVar] = []
            for item in items:
                for index, var in self.x[item.key].items():
                    if slots[index].day == day:
                        (lectures if item.method == LECTURE else others).append(var)
            if len(lectures) < 2:
                continue
            # At most two sessions a slot in practice: the coefficient that switches the
            # penalty off when any other method is there need not be larger.
            most = min(len(lectures), 2 * sum(1 for s in slots if s.day == day))
            excess = self.model.new_int_var(0, most, "")
            self.model.add(excess >= sum(lectures) - 1 - most * sum(others))
            self.penalties.append(weight * excess)


Progress = Callable[[int, int], None]


def solve(
    problem: Problem,
    *,
    seconds: float = 10.0,
    workers: int = 2,
    progress: Progress | None = None,
    stall: float | None = None,
) -> Result:
    """Place every item of ``problem`` within ``seconds``: the best timetable found (status
    "optimal" when proven), or the rules that cannot all hold ("infeasible"). With ``stall``,
    stop once no better timetable has come for that many seconds."""
    started = time.monotonic()
    reasons = precheck(problem)
    if reasons:
        return Result(status="infeasible", reasons=reasons, seconds=time.monotonic() - started)
    built = _Model(problem)
    from ortools.sat.python import cp_model as cp

    model = built.model
    model.minimize(sum(built.penalties))
    model.add_assumptions(list(built.rules.values()))
    solver: CpSolver = cp.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 7
    found: list[float] = []  # when each better timetable was found

    class Watch(cp.CpSolverSolutionCallback):
        def on_solution_callback(self):
            found.append(time.monotonic() - started)

    # The solver calls back from its own threads; progress (a database write) is reported
    # from this one, twice a second, while the solver runs beside it.
    outcome: list = []
    runner = threading.Thread(target=lambda: outcome.append(solver.solve(model, Watch())))
    runner.start()
    while runner.is_alive():
        runner.join(0.5)
        now = time.monotonic() - started
        if stall is not None and found and now - found[-1] > stall:
            solver.stop_search()
        if progress and runner.is_alive():
            progress(min(99, math.ceil(100 * now / seconds)), 100)
    status = outcome[0]
    result = Result(status="unknown", seconds=0.0)
    if status in (cp.OPTIMAL, cp.FEASIBLE):
        result.status = "optimal" if status == cp.OPTIMAL else "solved"
        result.objective = solver.objective_value
        result.bound = solver.best_objective_bound
        result.placements = _placements(built, solver)
    elif status == cp.INFEASIBLE:
        result.status = "infeasible"
        core = list(solver.sufficient_assumptions_for_infeasibility())
        result.reasons = _explain(built, core)
    result.seconds = time.monotonic() - started
    result.first_solution_seconds = found[0] if found else None
    if progress:
        progress(100, 100)
    return result


def _placements(built: _Model, solver: "CpSolver") -> list[Placement]:
    placements = []
    for item in built.problem.items:
        slots = built.problem.slots[item.class_id]
        index = next(i for i, var in built.x[item.key].items() if solver.boolean_value(var))
        teacher = next(
            (t for t, var in built.y.get(item.group, {}).items() if solver.boolean_value(var)),
            None,
        )
        placements.append(Placement(item.key, slots[index].day, slots[index].name, teacher))
    return placements


def _explain(built: _Model, core: Sequence[int]) -> list[str]:
    """The rules of ``core`` that are needed: each is dropped in turn and kept only if the
    others then have a timetable (a short solve each, no objective)."""
    words = {var.index: why for why, var in built.rules.items()}
    names = [words[index] for index in core if index in words]
    if not names:
        # Every rule with words holds; the structure itself (too many sessions for the
        # slots that hold them) is the cause.
        return []
    needed = list(names)
    deadline = time.monotonic() + 1.0
    for why in list(names):
        if len(needed) == 1 or time.monotonic() > deadline:
            break
        trial = [n for n in needed if n != why]
        if _infeasible_with(built.problem, trial):
            needed = trial
    return needed


def _infeasible_with(problem: Problem, rules: Sequence[str]) -> bool:
    built = _Model(problem)
    for why, var in built.rules.items():
        built.model.add(var == (1 if why in rules else 0))
    solver = built.cp.CpSolver()
    solver.parameters.max_time_in_seconds = 0.3
    solver.parameters.num_workers = 2
    return solver.solve(built.model) == built.cp.INFEASIBLE
