"""The college's daily time slots: when each starts and ends and the hours it holds."""

from datetime import time
from decimal import Decimal

from luodi.training.models import TimeSlot

SLOT_TIMES: dict[str, tuple[time, time, Decimal]] = {
    TimeSlot.MORNING: (time(8, 30), time(11, 30), Decimal(3)),
    TimeSlot.AFTERNOON: (time(14, 0), time(17, 0), Decimal(3)),
    TimeSlot.EVENING: (time(19, 0), time(21, 0), Decimal(2)),
}


def slot_label(name: str) -> str:
    return str(TimeSlot(name).label) if name in TimeSlot.values else ""


def overlaps(start_a: time, end_a: time, start_b: time, end_b: time) -> bool:
    return start_a < end_b and start_b < end_a
