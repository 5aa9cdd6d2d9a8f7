"""Dates, hours and spans written the way Chinese documents write them."""

import functools
from datetime import date
from decimal import Decimal

from django.utils import translation

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_DIGITS = "〇一二三四五六七八九"


def hours_text(hours: Decimal | int | float | None) -> str:
    """``Decimal("9.0")`` → ``"9"``, ``Decimal("4.5")`` → ``"4.5"``, ``None`` → ``""``."""
    if hours is None:
        return ""
    text = f"{Decimal(str(hours)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def day_text(d: date) -> str:
    """``5月6日``."""
    return f"{d.month}月{d.day}日"


def weekday_text(d: date) -> str:
    return WEEKDAYS[d.weekday()]


def span_text(start: date, end: date) -> str:
    """``2024年5月6日至5月8日``; the year is repeated only when the span crosses New Year."""
    if start == end:
        return f"{start.year}年{day_text(start)}"
    tail = day_text(end) if start.year == end.year else f"{end.year}年{day_text(end)}"
    return f"{start.year}年{day_text(start)}至{tail}"


def chinese_date(d: date) -> str:
    """``2024-05-08`` → ``二〇二四年五月八日``, as dates are written on certificates and seals."""

    def number(n: int) -> str:
        tens, ones = divmod(n, 10)
        if not tens:
            return _DIGITS[ones]
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")

    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{number(d.month)}月{number(d.day)}日"


def in_chinese(build):
    """Build a document in Chinese (choice labels, statuses) whatever the language of the page
    it was asked from: documents are printed and filed in Chinese."""

    @functools.wraps(build)
    def chinese(*args, **kwargs):
        with translation.override("zh-hans"):
            return build(*args, **kwargs)

    return chinese
