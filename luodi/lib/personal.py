"""Checks and masking for personal data: mainland ID numbers (GB 11643) and phone numbers.

Plain functions with no Django models, so they can be tested and reused anywhere.
"""

import hashlib
import hmac
import re
import unicodedata
from datetime import date
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric

_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


class InvalidIdNumber(ValueError):
    pass


def normalize(value: str) -> str:
    """Fold full-width characters, drop spaces and dashes, upper-case the check letter."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", value).upper()


def validate_id_number(value: str) -> str:
    """Return the normalised 18-character ID number or raise InvalidIdNumber with a reason code.

    Reason codes, in the order they are checked: ``length`` (not 18 characters, e.g. Excel kept
    only 15 digits), ``format``, ``birth_date``, ``area_code``, ``checksum``. The checks are
    python-stdnum's (GB 11643), done here directly so that a 100,000-row import does not spend
    most of its time in stdnum's area-code table: each area code is looked up once.
    """
    number = normalize(value)
    if len(number) != 18:
        raise InvalidIdNumber("length")
    if not (number[:17].isdigit() and number[:17].isascii() and number[17] in _CHECK_CHARACTERS):
        raise InvalidIdNumber("format")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("birth_date") from exc
    if not _area_code_listed(number[:6]):
        raise InvalidIdNumber("area_code")
    if ric.calc_check_digit(number) != number[17]:
        raise InvalidIdNumber("checksum")
    return number


_CHECK_CHARACTERS = frozenset("0123456789X")


@lru_cache(maxsize=8192)
def _area_code_listed(code: str) -> bool:
    """Whether GB/T 2260 has ever listed this area code. stdnum also requires the code to have
    existed in the holder's birth year; real numbers issued after a district was created carry
    its code whatever the holder's birth year, so any code ever listed is accepted."""
    return bool(numdb.get("cn/loc").info(code)[-1][1])


def id_number_digest(number: str, key: str) -> str:
    """Keyed digest of an ID number: unique and searchable without storing the number readable."""
    return hmac.new(key.encode(), normalize(number).encode(), hashlib.sha256).hexdigest()


def phone_digest(number: str, key: str) -> str:
    """Keyed digest of a phone number for look-ups (login by phone); empty for no number. The
    ``phone:`` prefix keeps it apart from ID digests made with the same key."""
    number = normalize(number)
    if not number:
        return ""
    return hmac.new(key.encode(), f"phone:{number}".encode(), hashlib.sha256).hexdigest()


def make_id_number(area_code: str, birth: str, sequence: int) -> str:
    """Build a valid ID number from a 6-digit area code, YYYYMMDD birth date and 3-digit sequence.

    Used by the demo data generator; the sequence's parity gives the gender (odd = male).
    """
    body = f"{area_code}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def birth_date_of(number: str) -> date:
    """The birth date a valid ID number holds (characters 7-14)."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_is_male(number: str) -> bool:
    return int(number[16]) % 2 == 1


def mask_id_number(number: str) -> str:
    """``210203198001011234`` → ``2102**********1234``: keeps the area prefix and last four."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def is_valid_phone(value: str) -> bool:
    return bool(_PHONE_RE.match(normalize(value)))


def mask_phone(number: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if not number:
        return ""
    if len(number) < 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_account(number: str) -> str:
    """A bank account number ``6222021234567890`` → ``************7890``: the last four."""
    number = (number or "").replace(" ", "")
    if len(number) <= 4:
        return "*" * len(number)
    return "*" * (len(number) - 4) + number[-4:]


def mask_name(name: str) -> str:
    """Show a holder's name on the public page only in part: 张三丰 → 张*丰, 宋娟 → 宋*."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
