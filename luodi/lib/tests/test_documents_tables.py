"""A list as xlsx: numbers, dates and hours typed as such, no text run as a formula, personal
columns masked unless the workbook is full, a header that printing repeats and the screen keeps."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from luodi.lib.documents.tables import Column, Kind, table_xlsx

RECORD = {
    "name": '=HYPERLINK("http://x")',
    "count": 12,
    "hours": Decimal("9.0"),
    "half": Decimal("10.5"),
    "day": dt.date(2024, 5, 6),
    "at": dt.datetime(2024, 5, 6, 1, 30, tzinfo=dt.UTC),  # 09:30 in Shanghai
    "id": "210202198001011234",
}
COLUMNS = [
    Column("姓名", 10, lambda r: r["name"]),
    Column("人数", 7, lambda r: r["count"], Kind.NUMBER),
    Column("学时", 7, lambda r: r["hours"], Kind.HOURS),
    Column("请假", 7, lambda r: r["half"], Kind.HOURS),
    Column("日期", 12, lambda r: r["day"], Kind.DATE),
    Column("时间", 17, lambda r: r["at"], Kind.DATETIME),
    Column("身份证号", 21, lambda r: "2102**********1234", full=lambda r: r["id"]),
    Column("空", 5, lambda r: None),
]


def _sheet(**kw):
    content = table_xlsx(title="名单", subtitle="地市：大连市", columns=COLUMNS, **kw)
    return load_workbook(io.BytesIO(content)).active


def test_it_writes_title_filter_header_and_numbered_rows():
    ws = _sheet(records=[RECORD, RECORD])
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "名单"
    assert rows[1][0] == "地市：大连市"
    assert rows[2][:3] == ("序号", "姓名", "人数")
    assert [r[0] for r in rows[3:]] == [1, 2]


def test_it_keeps_numbers_dates_and_hours_typed(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    ws = _sheet(records=[RECORD])
    number, _name, count, hours, half, day, at = (ws.cell(4, c) for c in range(1, 8))
    assert (number.data_type, count.data_type, hours.data_type) == ("n", "n", "n")
    assert (count.value, hours.value, half.value) == (12, 9, 10.5)
    assert isinstance(hours.value, int)  # 9, as the pages write it, not 9.0
    assert day.is_date
    assert day.value.date() == dt.date(2024, 5, 6)
    assert day.number_format == "yyyy-mm-dd"
    # The college's time, with no zone in the cell (xlsx has none).
    assert at.is_date
    assert (at.value.date(), at.value.time()) == (dt.date(2024, 5, 6), dt.time(9, 30))
    assert at.number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(4, 9).value is None


def test_no_text_becomes_a_formula():
    ws = _sheet(records=[RECORD])
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert ws.cell(4, 2).value == '\'=HYPERLINK("http://x")'


def test_personal_columns_are_masked_unless_full():
    assert _sheet(records=[RECORD]).cell(4, 8).value == "2102**********1234"
    assert _sheet(records=[RECORD], full=True).cell(4, 8).value == RECORD["id"]


def test_it_prints_the_header_on_every_page_and_keeps_it_in_view():
    ws = _sheet(records=[RECORD] * 3)
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "B4"
    assert ws.auto_filter.ref == "A3:I6"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["B"].width == 10
    assert ws.column_dimensions["H"].width == 21


def test_it_reports_progress_to_the_last_row():
    seen = []
    _sheet(records=[RECORD] * 3, total=3, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3)
