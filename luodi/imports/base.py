"""What every import shares: columns, the header row, the per-row report, and the plan.

An import runs in two steps over the same code. ``check`` reads every row and decides what it
would do (create, update, leave unchanged) or why it cannot (a ``Problem``: row, column, value,
reason), writing nothing. ``commit`` checks again (the records may have changed meanwhile) and
writes the plan in one transaction only if no row has a problem: all or nothing.

A kind of import (cadres, communities, …) declares its columns and implements ``plan_rows`` and
``write``; rows are read through the mapping of column positions to fields, which is detected
from the header (the header names offices use are listed per column) and can be corrected.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from luodi.lib import audit
from luodi.lib.office_values import OfficeValueError, clean_text
from luodi.lib.personal import mask_id_number, mask_phone

Progress = Callable[[int, int], None]

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# Rows above the header that a file may have (titles, merged cells, notes).
HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class Column:
    field: str
    label: Promise | str  # what the page calls the field
    headers: tuple[str, ...]  # names offices give the column; the first is the template's
    required: bool = False
    note: Promise | str = ""  # the template's notes sheet
    example: str = ""
    personal: bool = False  # an ID or phone number: masked in the report

    @property
    def header(self) -> str:
        return self.headers[0]


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it (1 = first row)
    column: str  # the header as written in the file, or the field's label
    value: str
    reason: str


@dataclass
class Outcome:
    """What one row will do: ``action`` is create/update/unchanged; ``changes`` names the
    fields an update changes; ``record`` is the record to write (kind-specific)."""

    row: int
    key: str
    action: str
    changes: list[str] = field(default_factory=list)
    record: Any = None


@dataclass
class Plan:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # data rows read (blank rows are skipped, not counted)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. streets or communities to create

    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        rows_with_problems = len({p.row for p in self.problems})
        return {"rows": self.rows, **counts, "problem_rows": rows_with_problems}

    @property
    def changes_anything(self) -> bool:
        return any(o.action != UNCHANGED for o in self.outcomes) or any(self.extra.values())


class Row:
    """One data row, read through the mapping; ``get`` turns a parser's ``OfficeValueError``
    into a ``Problem`` of this row and returns None."""

    def __init__(self, number: int, cells: Sequence[Any], columns: dict[str, int], kind):
        self.number = number
        self.cells = cells
        self.columns = columns  # field -> position
        self.kind = kind
        self.problems: list[Problem] = []

    def raw(self, name: str) -> Any:
        position = self.columns.get(name)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position]

    def has(self, name: str) -> bool:
        return not is_empty(self.raw(name))

    def problem(self, name: str, reason: str, value: Any = None) -> None:
        shown = clean_text(self.raw(name) if value is None else value)
        if self.kind.column(name).personal:
            shown = mask_number(shown)
        self.problems.append(Problem(self.number, self.kind.column_label(name), shown, reason))

    def get(self, name: str, parse: Callable[[Any], Any] = clean_text, *, required=None) -> Any:
        value = self.raw(name)
        if is_empty(value):
            needed = self.kind.column(name).required if required is None else required
            if needed:
                self.problem(name, _("required, but empty"))
            return None
        try:
            return parse(value)
        except OfficeValueError as exc:
            self.problem(name, exc.reason)
            return None


def mask_number(text: str) -> str:
    """An ID or phone number as a report shows it: enough to recognise, not to use (the row
    number finds it in the file)."""
    text = text.replace(" ", "").replace("-", "")
    if len(text) == 11 and text.isdigit():
        return mask_phone(text)
    if len(text) >= 9:
        return mask_id_number(text)
    return text[:3] + "*" * (len(text) - 5) + text[-2:] if len(text) > 5 else "*" * len(text)


_LONG_NUMBER = re.compile(r"\+?\d[\d\s\-]{7,}[\dXx]")


def glimpse(value) -> str:
    """A cell as the column list shows it: short, and never a whole ID or phone number,
    whatever the column (spaces and dashes inside a number included)."""
    text = audit.scrub_text(clean_text(value))[:40]
    return _LONG_NUMBER.sub(_mask_if_long, text)


def _mask_if_long(match: re.Match) -> str:
    """Nine digits or more (a phone or ID number), not a date such as 2012-06-01."""
    digits = sum(c.isdigit() for c in match.group())
    return mask_number(match.group()) if digits >= 9 else match.group()


def is_empty(value: Any) -> bool:
    """Whether a cell holds nothing but spaces (of any kind)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip() if value.isascii() else clean_text(value) == ""
    return False


def is_blank(cells: Iterable[Any]) -> bool:
    return all(is_empty(c) for c in cells)
