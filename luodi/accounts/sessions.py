"""The absolute session lifetime: a session records when its user logged in and ends
``LUODI_SESSION_MAX_HOURS`` later, however active it was (the idle timeout is
``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``)."""

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

LOGIN_AT = "luodi_login_at"  # POSIX seconds, stamped at login


def stamp_login(session: SessionBase) -> None:
    session[LOGIN_AT] = timezone.now().timestamp()


def login_expired(session: SessionBase) -> bool:
    """Whether the session's login is older than the absolute lifetime. A session from before
    this rule (no stamp) starts its clock now."""
    logged_in_at = session.get(LOGIN_AT)
    if logged_in_at is None:
        stamp_login(session)
        return False
    age = timezone.now().timestamp() - float(logged_in_at)
    return age > settings.LUODI_SESSION_MAX_HOURS * 3600
