"""Cell values as offices write them (issue 9's import reads every cell through these)."""

import datetime as dt

import pytest

from luodi.lib.office_values import (
    OfficeValueError,
    clean_text,
    parse_count,
    parse_date,
    parse_id_number,
    parse_mobile,
    split_list,
)
from luodi.lib.personal import make_id_number

ID = make_id_number("210203", "19850301", 123)
# One whose check character is a digit, so that it can also be a whole-number cell.
NUMERIC_ID = next(
    number
    for number in (make_id_number("210203", "19850301", n) for n in range(100, 200))
    if number.isdigit()
)


def _full_width(text: str) -> str:
    """ASCII letters, digits and punctuation as their full-width forms (as some IMEs type)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("  张\u3000三  ", "张 三"),
        (_full_width("13800138000"), "13800138000"),
        (_full_width("Abc") + "\u200b", "Abc"),
        (3.0, "3"),
        (None, ""),
    ],
)
def test_text_is_folded_and_trimmed(cell, text):
    assert clean_text(cell) == text


@pytest.mark.parametrize(
    "cell",
    [
        dt.date(1985, 3, 1),
        dt.datetime(1985, 3, 1, 0, 0),  # noqa: DTZ001 - a spreadsheet cell has no time zone
        31107,  # Excel serial
        31107.0,
        "31107",
        "1985.03",
        "1985.3",
        "1985年3月",
        "1985年3月1日",
        "1985-3-1",
        "1985/03/01",
        "19850301",
        19850301,
        "198503",
        _full_width("1985.03"),
    ],
)
def test_dates_in_every_office_form(cell):
    assert parse_date(cell) == dt.date(1985, 3, 1)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("", "empty"),
        ("1985-13-01", "no such date"),
        ("1985-02-30", "no such date"),
        ("去年", "not a date"),
    ],
)
def test_a_bad_date_says_why(cell, reason):
    with pytest.raises(OfficeValueError) as refused:
        parse_date(cell)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    "cell", ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", 13800138000]
)
def test_mobile_numbers_with_spaces_dashes_or_a_country_code(cell):
    assert parse_mobile(cell) == "13800138000"


def test_a_landline_is_not_a_mobile_number():
    with pytest.raises(OfficeValueError):
        parse_mobile("0411-8888 6666")
    assert parse_mobile("  ") == ""


def test_id_numbers_as_text_with_a_lower_case_x_or_full_width_digits():
    assert parse_id_number(f" {ID} ") == ID
    assert parse_id_number(_full_width(ID)) == ID
    assert parse_id_number(ID.lower()) == ID
    assert parse_id_number(int(NUMERIC_ID)) == NUMERIC_ID  # read exactly (CSV), all digits there


@pytest.mark.parametrize("cell", [2.10203198503011e17, "2.10203E+17", "2.10203198503011E+17"])
def test_an_id_number_excel_stored_as_a_number_has_lost_digits_and_says_so(cell):
    with pytest.raises(OfficeValueError) as refused:
        parse_id_number(cell)
    assert "lost its last digits" in refused.value.reason


def test_a_wrong_check_character_is_named():
    wrong = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    with pytest.raises(OfficeValueError) as refused:
        parse_id_number(wrong)
    assert "does not match" in refused.value.reason
    with pytest.raises(OfficeValueError, match="18"):
        parse_id_number(ID[:15])


def test_combined_posts_split_on_the_usual_separators():
    assert split_list("党委书记、居委会主任") == ["党委书记", "居委会主任"]
    assert split_list("党委书记，居委会主任;网格员") == ["党委书记", "居委会主任", "网格员"]
    assert split_list("") == []


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("1234", 1234),
        ("1,234", 1234),
        (_full_width("1234"), 1234),
        ("1234户", 1234),
        ("3000 人", 3000),
        ("1.15万人", 11500),
        (1234.0, 1234),
        (7, 7),
    ],
)
def test_counts_with_thousands_separators_units_and_full_width_digits(cell, number):
    assert parse_count(cell) == number


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("12.5", "not a whole number"),
        (12.5, "not a whole number"),
        ("-3", "less than zero"),
        ("12元", "not a number"),
        ("约百人", "not a number"),
        (float("nan"), "not a number"),
    ],
)
def test_a_bad_count_says_why(cell, reason):
    with pytest.raises(OfficeValueError) as error:
        parse_count(cell)
    assert error.value.reason == reason
