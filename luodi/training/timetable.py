"""Lay a class's sessions out the way colleges print timetables: one row per day, one column
per time slot (morning, afternoon, evening)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from luodi.training.models import Session, TimeSlot


@dataclass
class TimetableDay:
    date: date
    cells: dict[str, list[Session]] = field(default_factory=dict)

    def slots(self) -> list[list[Session]]:
        return [self.cells.get(slot, []) for slot in TimeSlot.values]


def build(sessions) -> list[TimetableDay]:
    by_day: dict[date, dict[str, list[Session]]] = defaultdict(lambda: defaultdict(list))
    for session in sessions:
        by_day[session.date][session.slot].append(session)
    return [TimetableDay(date=d, cells=dict(by_day[d])) for d in sorted(by_day)]
