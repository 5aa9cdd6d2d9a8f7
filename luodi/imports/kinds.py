"""The kinds of import and what they share: finding the header row, reading rows through the
column mapping, and the registry the pages, the jobs and ``import_records`` look kinds up in."""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from luodi.imports.base import HEADER_SEARCH_ROWS, Column, Plan, Problem, Progress, Row, is_blank
from luodi.lib.office_values import header_key

MISSING_COLUMN = gettext_lazy(
    "no column holds this required field: choose its column in the mapping"
)


class ImportKind(ABC):
    name: str = ""
    label: Promise | str = ""
    columns: tuple[Column, ...] = ()
    needs_class = False  # enrolments go into one class, chosen with the file
    # What a row is identified by, for the page ("ID number").
    key_label: Promise | str = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def column_label(self, name: str) -> str:
        return str(self.column(name).label)

    def header_index(self) -> dict[str, str]:
        return {header_key(h): c.field for c in self.columns for h in c.headers}

    def field_for(self, header: object, saved: dict[str, str] | None = None) -> str | None:
        """The field a header names: a saved choice first ("" = not imported), then the names
        offices use."""
        key = header_key(header)
        if not key:
            return None
        if saved and key in saved:
            return saved[key] or None
        return self.header_index().get(key)

    def detect(
        self, rows: Sequence[Sequence[Any]], saved: dict[str, str] | None = None
    ) -> tuple[int, dict[int, str]] | None:
        """The header row (0-based) and its mapping {position: field}: of the first rows, the
        one naming most fields (titles and merged cells above it name none). None if no row
        names any. A field named twice keeps its first column."""
        best: tuple[int, dict[int, str]] | None = None
        for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
            mapping = self.mapping_for(cells, saved)
            if mapping and (best is None or len(mapping) > len(best[1])):
                best = (index, mapping)
        return best

    def mapping_for(self, cells: Sequence[Any], saved: dict[str, str] | None = None):
        mapping: dict[int, str] = {}
        for position, header in enumerate(cells):
            name = self.field_for(header, saved)
            if name and name not in mapping.values():
                mapping[position] = name
        return mapping

    def plan(
        self,
        rows: Sequence[Sequence[Any]],
        header: int,
        mapping: dict[int, str],
        *,
        options: dict,
        progress: Progress | None = None,
    ) -> Plan:
        """Check every row under the header; write nothing."""
        columns = {name: position for position, name in mapping.items()}
        missing = [c for c in self.columns if c.required and c.field not in columns]
        data = [
            Row(number, cells, columns, self)
            for number, cells in enumerate(rows[header + 1 :], start=header + 2)
            if not is_blank(cells)
        ]
        if missing:
            plan = Plan(rows=len(data))
            plan.problems = [
                Problem(header + 1, str(c.label), "", str(MISSING_COLUMN)) for c in missing
            ]
            return plan
        plan = self.plan_rows(data, options=options, progress=progress or _ignore)
        plan.rows = len(data)
        plan.problems.sort(key=lambda p: p.row)
        return plan

    @abstractmethod
    def plan_rows(self, rows: list[Row], *, options: dict, progress: Progress) -> Plan:
        """Read, check and classify the rows (create, update, unchanged); write nothing."""

    @abstractmethod
    def write(self, plan: Plan, *, options: dict, by, progress: Progress) -> None:
        """Write a plan with no problems (inside the caller's transaction)."""

    def template_rows(self) -> list[list[str]]:
        """The template's header and example row."""
        return [[c.header for c in self.columns], [c.example for c in self.columns]]


def _ignore(done: int, total: int) -> None:
    pass


_kinds: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> ImportKind:
    return _kinds[name]


def all_kinds() -> list[ImportKind]:
    return list(_kinds.values())
