"""Cell values as offices really write them, read into clean values (the Excel import's first
layer, issue 9). Plain functions, no models: each returns the clean value or raises
``OfficeValueError`` whose ``reason`` says, in a few words, what is wrong with the cell.

What they accept, from spreadsheets made by Excel, WPS and LibreOffice:

- text with full-width digits and letters, stray and ideographic spaces, zero-width characters;
- dates as ``date``/``datetime`` cells, Excel serial numbers (1900 system), ``1985.03``,
  ``1985年3月``, ``1985年3月1日``, ``1985-3-1``, ``1985/03/01``, ``19850301``, ``198503``;
- mobile numbers with spaces, dashes or a ``+86`` prefix;
- ID numbers as text, and as numbers that Excel has rounded (``2.10203198001011E+17``): those
  have lost their last digits, which is said rather than guessed.
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext as _

from luodi.lib import personal

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug)
_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 .. 9999-12-31


class OfficeValueError(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def clean_text(value: object) -> str:
    """Text with full-width characters folded (full-width digits become ``123``), zero-width
    characters dropped and every run of spaces (ideographic ones too) made one space, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number cell holding a whole number: 3.0 reads as 3
    text = str(value)
    if not text.isascii():  # NFKC leaves ASCII as it is, and zero-width characters are not
        text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    return " ".join(text.split())


def _from_serial(number: float) -> dt.date:
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        raise OfficeValueError(_("not a date"))
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


_DATE_PATTERNS = [
    # 1985-3-1, 1985/03/01, 1985.3.1, 1985年3月1日
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"),
    # 1985.03, 1985-3, 1985年3月
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?"),
    # 19850301, 198503
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?"),
]


def parse_date(value: object) -> dt.date:
    """A date from a cell; a month without a day is the first of that month."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 10000000 <= value <= 99991231 and float(value).is_integer():
            return parse_date(str(int(value)))  # 19850301 typed into a number cell
        return _from_serial(float(value))
    text = clean_text(value)
    if not text:
        raise OfficeValueError(_("empty"))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month = int(match["y"]), int(match["m"])
            day = int(match.groupdict().get("d") or 1)
            try:
                return dt.date(year, month, day)
            except ValueError as exc:
                raise OfficeValueError(_("no such date")) from exc
    if re.fullmatch(r"\d{1,7}(\.\d+)?", text):
        return _from_serial(float(text))  # a serial number saved as text
    raise OfficeValueError(_("not a date"))


def parse_mobile(value: object) -> str:
    """An 11-digit mainland mobile number, or "" for an empty cell."""
    text = clean_text(value)
    if not text:
        return ""
    digits = re.sub(r"[\s\-()（）]", "", text)
    digits = re.sub(r"^(\+?86|0086)(?=1\d{10}$)", "", digits)
    if not personal.is_valid_phone(digits):
        raise OfficeValueError(_("not a mainland mobile number"))
    return digits


def parse_id_number(value: object) -> str:
    """A valid 18-character ID number. A number cell (or its text, ``2.10203E+17``) has lost
    the last digits to Excel's 15-digit precision: said so, never guessed."""
    if isinstance(value, float) or (
        isinstance(value, str) and re.fullmatch(r"\s*\d(\.\d+)?[eE]\+?\d+\s*", value)
    ):
        raise OfficeValueError(
            _("stored as a number, so Excel has lost its last digits: format the column as text")
        )
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10**17:
        value = str(value)  # a whole number read exactly (CSV): the digits are all there
    text = clean_text(value)
    try:
        return personal.validate_id_number(text)
    except personal.InvalidIdNumber as exc:
        reasons = {
            "length": _("not 18 characters"),
            "format": _("not an ID number"),
            "birth_date": _("the birth date in it does not exist"),
            "area_code": _("the area code in it does not exist"),
            "checksum": _("the last character does not match (a typing error?)"),
        }
        raise OfficeValueError(reasons.get(str(exc), _("not an ID number"))) from exc


_BRACKETS = re.compile(r"[（(].*?[）)]")


def header_key(header: object) -> str:
    """A column header as compared: cleaned, without a bracketed note, spaces, stars or a
    trailing colon, so "身份证号码（18位）" and "* 身份证号码：" both read 身份证号码."""
    text = _BRACKETS.sub("", clean_text(header)) or clean_text(header)
    return re.sub(r"[\s:：*]", "", text)


def split_list(value: object) -> list[str]:
    """``党委书记、居委会主任`` → two items: split on 、，,；;/ and spaces between Chinese."""
    text = clean_text(value)
    return [part.strip() for part in re.split(r"[、,，;；/|]+", text) if part.strip()]


_COUNT = re.compile(r"(?P<number>-?\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<wan>万)?\s*(?P<unit>\D)?")


def parse_count(value: object, *, units: str = "户人个栋幢座名") -> int:
    """A whole number of things as offices write it: ``1234``, ``1,234``, full-width digits,
    ``1234户``, ``1.2万人``, or a number cell (``1234.0``). A unit other than one of ``units``
    (one character each), a fraction or a negative number is refused."""
    if isinstance(value, bool):
        raise OfficeValueError(_("not a number"))
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if not number.is_finite():
            raise OfficeValueError(_("not a number"))
    else:
        match = _COUNT.fullmatch(clean_text(value))
        if not match or (match["unit"] and match["unit"] not in units):
            raise OfficeValueError(_("not a number"))
        number = Decimal(match["number"].replace(",", "")) * (10000 if match["wan"] else 1)
    if number < 0:
        raise OfficeValueError(_("less than zero"))
    if number != number.to_integral_value():
        raise OfficeValueError(_("not a whole number"))
    if number > 2_000_000_000:
        raise OfficeValueError(_("too large"))
    return int(number)
