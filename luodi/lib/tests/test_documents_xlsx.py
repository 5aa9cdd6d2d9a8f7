"""lib.documents.xlsx: cells that cannot run, rows tall enough, every sheet set up to print."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from luodi.lib.documents import xlsx


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("+8613912345678", "'+8613912345678"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("张三", "张三"),
        ("社区=家", "社区=家"),
        ("a\x00b\x1fc", "abc"),
        ("", ""),
        (3, 3),
        (None, None),
        (dt.date(2024, 5, 6), dt.date(2024, 5, 6)),
    ],
)
def test_it_neutralises_formula_triggers(value, written):
    assert xlsx.neutralise(value) == written


def test_appended_rows_are_neutralised_and_keep_their_types():
    book = Workbook()
    ws = book.active
    n = xlsx.append_row(ws, ("=1+1", 3, dt.date(2024, 5, 6), dt.time(8, 30)))
    xlsx.formats(ws, n, {3: xlsx.DATE_FORMAT, 4: xlsx.TIME_FORMAT})
    ws = load_workbook(io.BytesIO(xlsx.workbook_bytes(book))).active
    a, b, c, d = ws[1]
    assert (a.value, a.data_type) == ("'=1+1", "s")
    assert (b.value, b.data_type) == (3, "n")
    assert c.is_date
    assert c.number_format == "yyyy-mm-dd"
    assert d.is_date
    assert d.value == dt.time(8, 30)
    assert d.number_format == "hh:mm"


def test_chinese_text_is_twice_as_wide_as_latin():
    assert xlsx.text_width("社区") == pytest.approx(2 * xlsx.text_width("ab"))
    assert xlsx.line_count("一行", 30) == 1
    assert xlsx.line_count("一\n二\n三", 30) == 3
    # 30 Chinese characters do not fit in a column 34 units wide
    assert xlsx.line_count("社" * 30, 34) == 2


def test_a_row_grows_with_its_longest_cell():
    ws = Workbook().active
    xlsx.set_widths(ws, (10, 34))
    short = xlsx.append_row(ws, ("a", "b"))
    tall = xlsx.append_row(ws, ("a", "课程\n教师\n方式 · 地点\n08:30–11:30 · 3学时"))
    assert xlsx.fit_row_height(ws, short) == pytest.approx(xlsx.LINE_HEIGHT + xlsx.ROW_PADDING)
    assert xlsx.fit_row_height(ws, tall) == pytest.approx(4 * xlsx.LINE_HEIGHT + xlsx.ROW_PADDING)
    assert ws.row_dimensions[tall].height > 4 * 15  # four lines of an 11-point font
    assert xlsx.fit_row_height(ws, short, minimum=30) == 30


def test_a_merged_row_is_measured_across_its_columns():
    ws = Workbook().active
    xlsx.set_widths(ws, (10, 10, 10))
    n = xlsx.merged_row(ws, "社" * 12, 3)
    assert xlsx.fit_row_height(ws, n) == pytest.approx(xlsx.LINE_HEIGHT + xlsx.ROW_PADDING)


def test_print_setup_fits_the_page_width():
    ws = Workbook().active
    header = xlsx.append_row(ws, ("a", "b"), header=True)
    xlsx.print_setup(ws, header_row=header)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1"
    portrait = Workbook().active
    xlsx.print_setup(portrait, landscape=False)
    assert portrait.page_setup.orientation == "portrait"
