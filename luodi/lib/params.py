"""Numbers read from URLs and query strings, refused when they cannot be a row's key.

A key is an integer from 1 to 2**63 - 1 (a 64-bit primary key on every database); anything
else, however long, is no key at all. Without this, ``?city=99999999999999999999`` reaches the
database and fails there (SQLite cannot bind it, PostgreSQL overflows the column): a 500.
"""

import datetime as dt
import re

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(value: str | None, *, low: int, high: int) -> int | None:
    """``value`` as an integer in ``low..high``, or None. Only ASCII digits count: ``str.isdigit``
    also accepts ``²`` and ``٣``, which ``int`` then refuses."""
    text = (value or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_text(value: str | None, *, max_length: int = 100) -> str:
    """Text from a query string, e.g. a search: trimmed, cut to ``max_length`` characters and
    without NUL characters, which PostgreSQL refuses in any query (a 500 otherwise)."""
    return (value or "").replace("\x00", "").strip()[:max_length]


def parse_date(value: str | None) -> dt.date | None:
    """A date written ``YYYY-MM-DD`` in a query string, or None."""
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def parse_id(value: str | None) -> int | None:
    """A primary or foreign key from a query string, or None to ignore the filter."""
    return parse_int(value, low=1, high=MAX_ID)


def parse_next(request, *, default: str = "home") -> str:
    """Where to go after a login step: the ``next`` parameter if it stays on this site (an
    open redirect otherwise), else the URL named ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


class IdConverter:
    """The ``<id:pk>`` path converter: like ``<int:pk>``, but a number that cannot be a key
    does not match, so the URL answers 404 before any view or query runs."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class TextConverter:
    """The ``<text:...>`` path converter: any text, slashes too, but no NUL character (which
    no database takes), for values typed by people such as a certificate's serial."""

    regex = "[^\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)
