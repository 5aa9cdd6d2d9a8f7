"""The solver on problems built by hand: hard rules hold, soft rules shape the result, and an
impossible request names the rules in conflict."""

import datetime as dt
from decimal import Decimal

from luodi.timetabling import solver

MONDAY = dt.date(2027, 3, 8)
THREE = Decimal(3)


def slots(days=5, evenings=False):
    names = ["morning", "afternoon"] + (["evening"] if evenings else [])
    return [
        solver.Slot(MONDAY + dt.timedelta(days=d), n, Decimal(2) if n == "evening" else THREE)
        for d in range(days)
        for n in names
    ]


def item(key, method="lecture", teachers=(1,), class_id=1, **kw):
    return solver.Item(
        key=key,
        class_id=class_id,
        title=kw.pop("title", key),
        method=method,
        hours=kw.pop("hours", THREE),
        group=kw.pop("group", key),
        teachers=tuple(teachers),
        **kw,
    )


def placed(result):
    return {p.item: p for p in result.placements}


def test_every_item_placed_once_no_teacher_twice_at_a_time():
    items = [item(f"c{n}", teachers=(n % 3 + 1,)) for n in range(10)]
    result = solver.solve(solver.Problem(slots={1: slots()}, items=items), seconds=5)
    assert result.status in ("optimal", "solved")
    where = [(p.day, p.slot) for p in result.placements]
    assert len(where) == 10 == len(set(where))


def test_opening_first_closing_last_and_field_visit_mid_class():
    items = [
        item("open", title="开班第一课", role="opening"),
        item("close", method="discussion", role="closing", teachers=(2,)),
        item("visit", method="on_site", field_site=5, teachers=(3,)),
        *[item(f"c{n}", teachers=(4 + n,)) for n in range(4)],
    ]
    result = solver.solve(solver.Problem(slots={1: slots()}, items=items), seconds=5)
    at = placed(result)
    assert (at["open"].day, at["open"].slot) == (MONDAY, "morning")
    assert (at["close"].day, at["close"].slot) == (MONDAY + dt.timedelta(days=4), "afternoon")
    assert at["visit"].day not in (MONDAY, MONDAY + dt.timedelta(days=4))


def test_two_classes_share_a_teacher_never_at_the_same_time():
    items = [item(f"a{n}", class_id=1, teachers=(9,)) for n in range(2)] + [
        item(f"b{n}", class_id=2, teachers=(9,)) for n in range(2)
    ]
    result = solver.solve(solver.Problem(slots={1: slots(2), 2: slots(2)}, items=items), seconds=5)
    assert result.status in ("optimal", "solved")
    assert len({(p.day, p.slot) for p in result.placements}) == 4
    # one more session of the teacher than the two days' four slots: no timetable
    items.append(item("b9", class_id=2, teachers=(9,)))
    assert (
        solver.solve(
            solver.Problem(slots={1: slots(2), 2: slots(2)}, items=items), seconds=5
        ).status
        == "infeasible"
    )


def test_better_rated_teacher_chosen_and_parts_share_the_teacher():
    items = [item("x1", teachers=(1, 2), group="x"), item("x2", teachers=(1, 2), group="x")]
    problem = solver.Problem(slots={1: slots(1)}, items=items, ratings={1: 70.0, 2: 96.0})
    at = placed(solver.solve(problem, seconds=5))
    assert at["x1"].teacher == at["x2"].teacher == 2


def test_ban_and_pin_respected():
    items = [item("a"), item("b", teachers=(2,))]
    problem = solver.Problem(
        slots={1: slots(1)},
        items=items,
        bans=[solver.Ban(why="away", teacher=1, day=MONDAY, slot="morning")],
        pins=[solver.Pin(why="pin", item="b", day=MONDAY, slot="afternoon")],
    )
    result = solver.solve(problem, seconds=5)
    assert result.status == "infeasible"  # a must be afternoon, b is pinned there
    assert sorted(result.reasons) == ["away", "pin"]


def test_infeasible_names_only_the_rules_needed():
    items = [item("a", teachers=(1,)), item("b", teachers=(2,))]
    problem = solver.Problem(
        slots={1: slots(2)},
        items=items,
        bans=[
            solver.Ban(why="teacher 1 away Monday", teacher=1, day=MONDAY),
            solver.Ban(why="teacher 1 away Tuesday", teacher=1, day=MONDAY + dt.timedelta(1)),
            solver.Ban(why="teacher 2 away Monday", teacher=2, day=MONDAY),
        ],
    )
    result = solver.solve(problem, seconds=5)
    assert result.status == "infeasible"
    assert sorted(result.reasons) == ["teacher 1 away Monday", "teacher 1 away Tuesday"]


def test_cap_per_day_and_evening_only_for_short_sessions():
    items = [item(f"c{n}", teachers=(1,)) for n in range(3)]
    caps = [
        solver.Cap(why="at most 1", teacher=1, day=MONDAY + dt.timedelta(d), limit=1)
        for d in range(2)
    ]
    problem = solver.Problem(slots={1: slots(2, evenings=True)}, items=items, caps=caps)
    result = solver.solve(problem, seconds=5)
    assert result.status == "infeasible"
    assert result.reasons
    short = [item(f"s{n}", hours=Decimal(2), teachers=(n + 1,)) for n in range(3)]
    result = solver.solve(
        solver.Problem(slots={1: slots(1, evenings=True)}, items=short), seconds=5
    )
    assert {p.slot for p in result.placements} == {"morning", "afternoon", "evening"}


def test_precheck_counts_slots():
    items = [item(f"c{n}", teachers=(n,)) for n in range(5)]
    result = solver.solve(solver.Problem(slots={1: slots(2)}, items=items), seconds=5)
    assert result.status == "infeasible"
    assert result.reasons == ["The sessions add up to 15 hours, but the class's slots hold 12."]


def test_short_sessions_share_a_half_day_a_field_visit_takes_it_whole():
    short = [item(f"s{n}", hours=Decimal("1.5"), teachers=(n,)) for n in range(4)]
    result = solver.solve(solver.Problem(slots={1: slots(1)}, items=short), seconds=5)
    assert result.status in ("optimal", "solved")
    assert sorted(p.slot for p in result.placements) == ["afternoon"] * 2 + ["morning"] * 2
    visit = item("v", method="on_site", field_site=1, hours=Decimal("1.5"), teachers=(9,))
    result = solver.solve(solver.Problem(slots={1: slots(1)}, items=[*short[:3], visit]), seconds=5)
    assert result.status == "infeasible"  # 3 × 1.5 h need 1.5 slots; the visit a whole one


def test_resolve_keeps_sessions_where_they_are():
    day2 = MONDAY + dt.timedelta(1)
    items = [
        item("a", current=(day2, "afternoon")),
        item("b", teachers=(2,), current=(MONDAY, "afternoon")),
    ]
    at = placed(solver.solve(solver.Problem(slots={1: slots(2)}, items=items), seconds=5))
    assert (at["a"].day, at["a"].slot) == (day2, "afternoon")
    assert (at["b"].day, at["b"].slot) == (MONDAY, "afternoon")


def test_a_far_field_site_takes_the_morning_and_keeps_the_afternoon_free():
    visit = item("v", method="on_site", field_site=1, whole_day=True, teachers=(9,))
    others = [item(f"c{n}", teachers=(n,)) for n in range(3)]
    result = solver.solve(solver.Problem(slots={1: slots(2)}, items=[visit, *others]), seconds=5)
    assert result.status == "infeasible"  # 4 half-days: the visit takes 2, 3 sessions left
    result = solver.solve(solver.Problem(slots={1: slots(3)}, items=[visit, *others]), seconds=5)
    at = placed(result)
    assert at["v"].slot == "morning"
    assert all(at[o.key].day != at["v"].day for o in others)
