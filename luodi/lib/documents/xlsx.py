"""xlsx workbooks that print well and cannot run anything.

Every value goes through ``neutralise`` (no text becomes a formula); rows that wrap get a
height for all their lines (LibreOffice and WPS do not grow a row by themselves); every sheet
gets a print set-up (A4, fitted to the page width).
"""

import io
import math
import unicodedata
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A text cell starting with one of these is run as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
# Hours as the pages write them (lib.template_formats.hours): 21 for whole hours, 10.5 otherwise.
HOURS_FORMAT = "General"
PERCENT_FORMAT = "0.0%"

# Points per line of the default 11-point font, CJK fallback fonts included, and the margin
# above and below the text of a cell.
LINE_HEIGHT = 15.5
ROW_PADDING = 4
# Column width units (the width of "0") one character takes: Chinese characters are twice as
# wide as Latin ones, and a little more in the fonts LibreOffice falls back to.
_WIDE, _NARROW = 2.1, 1.05

_THIN = Side(style="thin", color="999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8E4DA")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)


def neutralise(value):
    """Make a value safe to put in a spreadsheet cell: text that a spreadsheet would run as a
    formula (``=``, ``+``, ``-``, ``@``, tab, CR first) gets a leading apostrophe, and control
    characters that xlsx cannot hold are dropped. Other values pass unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def append_row(ws: Worksheet, values: Iterable, *, header: bool = False) -> int:
    """Append a row of neutralised values with borders; return its row number."""
    values = [neutralise(v) for v in values]
    ws.append(values)
    row = ws.max_row
    # Cell by cell: ``ws[row]`` looks for the sheet's widest row first, which made appending
    # n rows take time in n² (a minute for a report's 10,000-row appendix).
    for cell in (ws.cell(row, column) for column in range(1, len(values) + 1)):
        cell.border = BORDER
        cell.alignment = CENTRE if header else WRAP
        if header:
            cell.font = BOLD
            cell.fill = HEADER_FILL
    return row


def formats(ws: Worksheet, row: int, by_column: dict[int, str]) -> None:
    """Give cells of ``row`` a number format, by column number (1 = A)."""
    for column, number_format in by_column.items():
        ws.cell(row, column).number_format = number_format


def merged_row(ws: Worksheet, value, width: int, *, font=None, alignment=None) -> int:
    """One value across the first ``width`` columns of a new row; return its row number."""
    ws.append([neutralise(value)])
    row = ws.max_row
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row, 1)
    cell.font = font or Font()
    cell.alignment = alignment or Alignment(horizontal="center", wrap_text=True)
    return row


def title(ws: Worksheet, text: str, width: int, *, subtitle: str = "") -> None:
    """A bold title across ``width`` columns, and an optional line under it."""
    row = merged_row(ws, text, width, font=Font(bold=True, size=14))
    ws.row_dimensions[row].height = 24
    if subtitle:
        merged_row(ws, subtitle, width)


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def text_width(text: str) -> float:
    """How many column width units ``text`` takes on one line."""
    return sum(_WIDE if unicodedata.east_asian_width(c) in "WF" else _NARROW for c in text)


def line_count(text: str, width: float) -> int:
    """Lines that ``text`` fills in a wrapping cell ``width`` units wide."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


def _column_width(ws: Worksheet, column: int) -> float:
    return ws.column_dimensions[get_column_letter(column)].width or 8.43


def _merged_width(ws: Worksheet, cell) -> float | None:
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            return sum(_column_width(ws, c) for c in range(merged.min_col, merged.max_col + 1))
    return None


def fit_row_height(ws: Worksheet, row: int, *, minimum: float = 0) -> float:
    """Make ``row`` tall enough for every line its cells wrap into, as laid out with the
    sheet's column widths (set them first); return the height in points."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.value:
            width = _merged_width(ws, cell) or _column_width(ws, cell.column)
            lines = max(lines, line_count(cell.value, width))
    height = max(minimum, lines * LINE_HEIGHT + ROW_PADDING)
    ws.row_dimensions[row].height = height
    return height


def fit_all_rows(ws: Worksheet, *, first: int = 1, minimum: float = 0) -> None:
    for row in range(first, ws.max_row + 1):
        fit_row_height(ws, row, minimum=max(minimum, ws.row_dimensions[row].height or 0))


def print_setup(
    ws: Worksheet, *, landscape: bool = True, header_row: int | None = None, freeze_column=1
) -> None:
    """A4, fitted to one page wide (as many pages down as needed), the header row repeated on
    every printed page and kept in view on screen."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.freeze_panes = ws.cell(header_row + 1, freeze_column)
