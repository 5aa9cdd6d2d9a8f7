"""lib.documents.text: dates and hours as Chinese documents write them."""

import datetime as dt
from decimal import Decimal

import pytest

from luodi.lib.documents.text import chinese_date, day_text, hours_text, span_text, weekday_text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2024, 5, 8), "二〇二四年五月八日"),
        (dt.date(2026, 10, 10), "二〇二六年十月十日"),
        (dt.date(2025, 12, 21), "二〇二五年十二月二十一日"),
        (dt.date(2030, 1, 30), "二〇三〇年一月三十日"),
    ],
)
def test_it_writes_dates_in_chinese_numerals(day, text):
    assert chinese_date(day) == text


def test_it_names_the_year_twice_for_a_span_across_new_year():
    assert span_text(dt.date(2025, 12, 29), dt.date(2026, 1, 2)) == "2025年12月29日至2026年1月2日"
    assert span_text(dt.date(2024, 5, 6), dt.date(2024, 5, 8)) == "2024年5月6日至5月8日"
    assert span_text(dt.date(2025, 6, 1), dt.date(2025, 6, 1)) == "2025年6月1日"


@pytest.mark.parametrize(
    ("hours", "text"),
    [(Decimal("9.0"), "9"), (Decimal("4.5"), "4.5"), (Decimal("10"), "10"), (3, "3"), (None, "")],
)
def test_it_writes_hours_without_trailing_zeros(hours, text):
    assert hours_text(hours) == text


def test_days_and_weekdays():
    assert day_text(dt.date(2024, 5, 6)) == "5月6日"
    assert weekday_text(dt.date(2024, 5, 6)) == "星期一"
