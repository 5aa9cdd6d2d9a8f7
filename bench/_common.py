"""Helpers shared by the benchmarks in bench/: the machine's load, and rounds that wait for a
quieter machine and are repeated (a bounded number of times) when it stayed busy.

These machines are shared, so every bench prints the load average beside its figures. Before
each measured round ``settle`` waits (at most ``max_wait`` seconds) while the 1-minute load
average per core is above ``LOAD_PER_CORE``; a round that had to start on a busy machine is
measured again after another wait, at most ``extra`` times in a whole run, and each bench says
so. The 1-minute load includes the bench's own previous round, so the wait is bounded rather
than waiting for an idle machine that a busy bench never sees."""

import os
import time
from collections.abc import Callable
from typing import Any

LOAD_PER_CORE = 1.5  # 1-minute load average per core above which a round is not trusted
MAX_WAIT = 45  # seconds to wait for the load to fall before a round
EXTRA_ROUNDS = 2  # at most this many rounds repeated in a run because the machine was busy


def cores() -> int:
    return os.cpu_count() or 1


def load() -> tuple[float, float, float]:
    return os.getloadavg()


def load_per_core() -> float:
    return load()[0] / cores()


def load_text() -> str:
    one, five, fifteen = load()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {cores()} cores"


def load_fields() -> dict[str, Any]:
    """For a bench's JSON line."""
    return {
        "load_average": [round(x, 2) for x in load()],
        "cores": cores(),
        "load_per_core": round(load_per_core(), 2),
        "load_threshold_per_core": LOAD_PER_CORE,
    }


def settle(
    say: Callable[[str], None] = print,
    threshold: float = LOAD_PER_CORE,
    max_wait: float = MAX_WAIT,
) -> bool:
    """Wait while the machine is busy (1-minute load per core above ``threshold``), at most
    ``max_wait`` seconds. Returns whether it is quiet now; says what it did."""
    if load_per_core() <= threshold:
        return True
    say(f"busy machine ({load_text()}): waiting up to {max_wait:.0f} s before measuring")
    deadline = time.monotonic() + max_wait
    while time.monotonic() < deadline:
        time.sleep(3)
        if load_per_core() <= threshold:
            say(f"quieter ({load_text()}): measuring")
            return True
    say(f"still busy ({load_text()}): measuring anyway, the figures are less reliable")
    return False


def measured_rounds(
    count: int,
    run_round: Callable[[int], Any],
    say: Callable[[str], None] = print,
    extra: int = EXTRA_ROUNDS,
    max_wait: float = MAX_WAIT,
) -> tuple[list[Any], dict[str, Any]]:
    """``count`` rounds of ``run_round(n)`` (n = 1, 2, ...: one A and one B each), each after
    ``settle``. A round begun on a busy machine is discarded and measured again, at most
    ``extra`` times in the run. Returns the kept rounds' results and, for the JSON line, the
    load figures (the load at the start of each round measured, how many were repeated, and
    how many kept rounds still began on a busy machine)."""
    kept: list[Any] = []
    starts: list[float] = []
    repeated = busy_kept = 0
    n = 0
    while len(kept) < count:
        n += 1
        quiet = settle(say, max_wait=max_wait)
        starts.append(round(load()[0], 2))
        result = run_round(n)
        if not quiet and repeated < extra:
            repeated += 1
            say(f"round {n} began on a busy machine: it is measured again")
            continue
        busy_kept += not quiet
        kept.append(result)
    return kept, {
        **load_fields(),
        "round_start_loads": starts,
        "rounds_repeated_for_load": repeated,
        "busy_rounds_kept": busy_kept,
    }


def measured_figure(
    run: Callable[[], Any],
    say: Callable[[str], None] = print,
    extra: int = 1,
    max_wait: float = 15,
) -> tuple[Any, bool]:
    """For benches that time many short figures, each over a few alternated rounds: wait for a
    quieter machine before the figure (at most ``max_wait`` s), run it, and when it began on a
    busy machine, wait and run it again (at most ``extra`` times). Returns the last result and
    whether it began on a quiet machine."""
    quiet = settle(say, max_wait=max_wait)
    result = run()
    while not quiet and extra > 0:
        extra -= 1
        say("the figure began on a busy machine: it is measured again")
        quiet = settle(say, max_wait=max_wait)
        result = run()
    return result, quiet
