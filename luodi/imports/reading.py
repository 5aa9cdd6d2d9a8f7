"""Reading an uploaded table: the first layer of an import, before any column means anything.

A file is judged by its content (``lib.uploads``): an Office Open XML workbook (``.xlsx``,
whoever saved it: Excel, WPS, LibreOffice), an Excel 97-2003 workbook (``.xls``), or a
``.csv`` text file in UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text") or
GBK/GB18030 (what Chinese Windows saves). Macros, zip bombs (judged from the zip's directory,
before anything is unpacked), a workbook named as another kind, and files or sheets larger
than ``LUODI_IMPORT_MAX_MB`` / ``LUODI_IMPORT_MAX_ROWS`` are refused with a sentence saying so.
Workbooks are read by python-calamine, which does not expand XML entities (no billion laughs).
"""

import csv
import io
import os
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from luodi.lib import uploads
from luodi.lib.uploads import Refused

CSV = uploads.Kind("csv", "CSV", "text/csv", (".csv",))
TABLE_KINDS = (uploads.XLSX, uploads.OLE2, CSV)
ACCEPTED = ".xlsx, .xls, .csv"


@dataclass
class Sheet:
    """The cells of one sheet, row by row; ``name`` is empty for a CSV file."""

    name: str
    rows: list[list[Any]]


def max_rows() -> int:
    return settings.LUODI_IMPORT_MAX_ROWS


def check_file(file: Any, *, by: Any = None) -> uploads.Kind:
    """The kind of an uploaded table, or ``Refused`` saying why it cannot be imported."""
    name = os.path.basename(getattr(file, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    if extension == ".csv":
        return _check_csv(file, name)
    if extension not in {".xlsx", ".xls", ".xlsm"}:
        raise Refused(
            _("“%(name)s” is not a table Luodi can import: upload a %(accepted)s file.")
            % {"name": name, "accepted": ACCEPTED},
            code="kind",
        )
    return uploads.check_upload(
        file, kinds=(uploads.XLSX, uploads.OLE2), by=by, max_mb=settings.LUODI_IMPORT_MAX_MB
    )


def _check_csv(file: Any, name: str) -> uploads.Kind:
    uploads.check_size(file, name, max_mb=settings.LUODI_IMPORT_MAX_MB)
    workbook = uploads.read_head(file).startswith((b"PK\x03\x04", uploads.OLE2_MAGIC))
    if workbook or uploads.sniff(file) is not None:  # a workbook or a PDF named .csv
        raise Refused(
            _("“%(name)s” is named .csv but is not a text file: upload the workbook as .xlsx.")
            % {"name": name},
            code="extension",
        )
    return CSV


def stored_kind(filename: str) -> uploads.Kind:
    """The kind of a file checked when it was uploaded (a workbook or a CSV file)."""
    return CSV if filename.lower().endswith(".csv") else uploads.XLSX


def read_sheets(file: IO[bytes], kind: uploads.Kind) -> list[Sheet]:
    """Every visible worksheet of a workbook, or the one table of a CSV file."""
    file.seek(0)
    if kind == CSV:
        return [Sheet("", _csv_rows(file.read()))]
    try:
        workbook = CalamineWorkbook.from_filelike(file)
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.total_height > max_rows() + 50:
                raise _too_many(sheet.total_height)
            sheets.append(Sheet(meta.name, sheet.to_python(skip_empty_area=False)))
        return sheets
    except CalamineError as exc:
        raise Refused(
            _(
                "The workbook could not be read (%(error)s). Open it in Excel or WPS, save it "
                "again as .xlsx, and upload that."
            )
            % {"error": type(exc).__name__},
            code="unreadable",
        ) from exc


def _too_many(rows: int) -> Refused:
    return Refused(
        _("The sheet has %(rows)s rows; an import takes at most %(limit)s. Split the file.")
        % {"rows": rows, "limit": max_rows()},
        code="too_many_rows",
    )


def decode_text(content: bytes) -> str:
    """Text of a CSV file: UTF-16 if it starts with that BOM, UTF-8 (BOM or not) if it
    decodes as such, else GB18030 (a superset of GBK and GB2312)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Refused(
            _("The CSV file is in an unknown encoding: save it as “CSV UTF-8” and upload it."),
            code="encoding",
        ) from exc


def _csv_rows(content: bytes) -> list[list[Any]]:
    text = decode_text(content)
    if "\x00" in text:
        raise Refused(_("The CSV file holds binary data, not text."), code="binary")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for row in csv.reader(io.StringIO(text), dialect):
        rows.append(row)
        if len(rows) > max_rows() + 50:
            raise _too_many(text.count("\n"))
    return rows
