"""Rotating check-in codes and the check-in window of a session.

A code is an HMAC (key derived from ``SECRET_KEY``) over the session's id and the current time
step, the college settings' code period (``CollegeSettings.checkin_step_seconds``). The screen
shows the current step's code; the current and the previous step are accepted, so a code lives
one to two steps and a photo of it passed around is soon useless. Nothing is stored: any server
with the same secret can check a code.
"""

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import salted_hmac

from luodi.college.models import CollegeSettings
from luodi.lib.documents.text import day_text

TOKEN_LENGTH = 20  # hex characters: 80 bits, more than enough for a code that lives two minutes
_TOKEN_RE = re.compile(rf"[0-9a-f]{{{TOKEN_LENGTH}}}")
_SALT = "luodi.checkin.token"


def _step(now: datetime) -> int:
    return int(now.timestamp()) // CollegeSettings.load().checkin_step_seconds


def _code(session_id: int, step: int) -> str:
    return salted_hmac(_SALT, f"{session_id}:{step}", algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def token_for(session_id: int, now: datetime) -> str:
    """The code the screen shows at ``now``."""
    return _code(session_id, _step(now))


def token_is_valid(session_id: int, token: str, now: datetime) -> bool:
    """True for the current or the previous step's code of this session, False otherwise."""
    if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
        return False
    step = _step(now)
    given = token.encode()
    # Compare with both steps every time, so the answer takes the same time either way.
    matches = [hmac.compare_digest(given, _code(session_id, s).encode()) for s in (step, step - 1)]
    return any(matches)


def check_in_path(session_id: int, token: str) -> str:
    return reverse("checkin:check-in", args=[session_id, token])


def check_in_url(session_id: int, now: datetime) -> str:
    """The full address the QR code holds: where trainees' phones can reach the server."""
    base = settings.LUODI_PUBLIC_URL.rstrip("/")
    return base + check_in_path(session_id, token_for(session_id, now))


@dataclass(frozen=True)
class Window:
    """When check-in is open for a session: from ``opens`` to ``closes``, both included."""

    start: datetime
    opens: datetime
    closes: datetime

    def is_open(self, now: datetime) -> bool:
        return self.opens <= now <= self.closes

    def text(self) -> str:
        """``11月30日 13:30–14:30`` in the college's time zone, the date given once; a window
        that crosses midnight names both days. The one way a window is shown."""
        opens, closes = timezone.localtime(self.opens), timezone.localtime(self.closes)
        closing = _moment(closes) if opens.date() != closes.date() else _clock(closes)
        return f"{_moment(opens)}–{closing}"

    def opens_text(self) -> str:
        return _moment(timezone.localtime(self.opens))

    def closes_text(self) -> str:
        return _moment(timezone.localtime(self.closes))


def _clock(moment: datetime) -> str:
    return formats.time_format(moment, "H:i")


def _moment(moment: datetime) -> str:
    """``11月30日 14:00`` (``November 30 14:00`` in English): Django's Chinese month-day
    format pads the month (``03月10日``), which Chinese notices do not."""
    if (translation.get_language() or "").startswith("zh"):
        day = day_text(moment.date())
    else:
        day = formats.date_format(moment, "MONTH_DAY_FORMAT")
    return f"{day} {_clock(moment)}"


def session_start(session) -> datetime:
    """The session's start as an aware datetime in the college's time zone."""
    return session.starts_at


def window(session) -> Window:
    start = session_start(session)
    college = CollegeSettings.load()
    return Window(
        start=start,
        opens=start - timedelta(minutes=college.checkin_opens_minutes),
        closes=start + timedelta(minutes=college.checkin_closes_minutes),
    )
