"""A list as an xlsx workbook: a title row, a line saying what the list holds (its filter), a
header row repeated on every printed page, then one row per record.

Each column says what kind of value it holds, so that a number stays a number, a date a date
and hours a number to sum (``9``, ``10.5``), whatever the list. A personal column (ID number,
phone) gives the masked value, and the full one only when the workbook is made ``full``.
The sheet is written row by row (openpyxl's write-only mode): memory stays flat however long
the list, and every text still goes through ``xlsx.neutralise`` (no name becomes a formula).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from luodi.lib.documents import xlsx


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"  # counts: 0 decimals shown as the number is
    HOURS = "hours"  # training hours, a number to sum
    DATE = "date"
    DATETIME = "datetime"  # shown in the college's time zone


FORMATS = {
    Kind.HOURS: xlsx.HOURS_FORMAT,
    Kind.DATE: xlsx.DATE_FORMAT,
    Kind.DATETIME: f"{xlsx.DATE_FORMAT} {xlsx.TIME_FORMAT}",
}

# Progress is reported every so many rows: often enough for a bar, rarely enough to be cheap.
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    value: Callable[[Any], Any]  # the cell of one record, as the page shows it (masked)
    kind: Kind = Kind.TEXT
    # For a personal column: the value in full, written only in a full export.
    full: Callable[[Any], Any] | None = None

    @property
    def is_personal(self) -> bool:
        return self.full is not None


def cell_value(column: Column, record, *, full: bool = False):
    value = (column.full if full and column.full else column.value)(record)
    if value is None:
        return None
    if column.kind == Kind.HOURS:
        # A Decimal is written as a number, but "9.0" would read 9.0: hours as the pages
        # write them, 9 and 10.5.
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if column.kind == Kind.DATETIME and isinstance(value, datetime):
        # xlsx has no time zones: the local time the pages show.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if column.kind == Kind.DATE and isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return xlsx.neutralise(str(value))


def _cell(ws, value, *, number_format: str | None = None, font=None, fill=None, border=True):
    cell = WriteOnlyCell(ws, value=value)
    if border:
        cell.border = xlsx.BORDER
    if number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def table_xlsx(
    *,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    records: Iterable,
    sheet: str = "",
    full: bool = False,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """One numbered row per record of ``records`` (already filtered, scoped and in order).

    Row 1 is the title, row 2 ``subtitle`` (the filter described), row 3 the header, which
    printing repeats on every page and the screen keeps in view."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(xlsx.neutralise(sheet or title)[:31])
    widths = (7, *(c.width for c in columns))
    for number, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    header = 3
    # A write-only sheet writes its properties and view before its first row: set them now.
    ws.freeze_panes = f"B{header + 1}"
    # A4 landscape, one page wide and as many down as needed.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.append([_cell(ws, xlsx.neutralise(title), font=Font(bold=True, size=14), border=False)])
    ws.append([xlsx.neutralise(subtitle)])
    ws.append(
        [
            _cell(ws, h, font=xlsx.BOLD, fill=xlsx.HEADER_FILL)
            for h in ("序号", *(xlsx.neutralise(c.header) for c in columns))
        ]
    )
    formats = [FORMATS.get(c.kind) for c in columns]
    done = 0
    for done, record in enumerate(records, start=1):
        cells = [_cell(ws, done)]
        for column, number_format in zip(columns, formats, strict=True):
            value = cell_value(column, record, full=full)
            cells.append(_cell(ws, value, number_format=number_format))
        ws.append(cells)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total if total is not None else done)
    if progress:
        progress(done, total if total is not None else done)
    ws.print_title_rows = f"{header}:{header}"
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(widths))}{header + done}"
    return xlsx.workbook_bytes(workbook)
