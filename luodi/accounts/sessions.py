"""Session lifetimes. The idle timeout: a session ends ``SESSION_COOKIE_AGE`` after it was last
renewed, and a logged-in user's requests renew it at most once every
``LUODI_SESSION_RENEW_SECONDS`` (``keep_alive``) -- not on every request, which would write the
session row on every page and on every check-in of a morning's storm. The absolute lifetime: a
session records when its user logged in and ends ``LUODI_SESSION_MAX_HOURS`` later, however
active it was."""

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

LOGIN_AT = "luodi_login_at"  # POSIX seconds, stamped at login
RENEWED_AT = "luodi_renewed_at"  # POSIX seconds, when the idle timeout was last pushed on


def keep_alive(session: SessionBase) -> None:
    """Push the idle timeout on if it was last renewed ``LUODI_SESSION_RENEW_SECONDS`` ago or
    more: changing the session makes Django save it with a new expiry and cookie."""
    now = timezone.now().timestamp()
    renewed_at = session.get(RENEWED_AT)
    if renewed_at is None or now - float(renewed_at) >= settings.LUODI_SESSION_RENEW_SECONDS:
        session[RENEWED_AT] = now


def stamp_login(session: SessionBase) -> None:
    """Logging in starts the absolute lifetime and is itself a renewal of the idle timeout."""
    session[LOGIN_AT] = session[RENEWED_AT] = timezone.now().timestamp()


def login_expired(session: SessionBase) -> bool:
    """Whether the session's login is older than the absolute lifetime. A session from before
    this rule (no stamp) starts its clock now."""
    logged_in_at = session.get(LOGIN_AT)
    if logged_in_at is None:
        stamp_login(session)
        return False
    age = timezone.now().timestamp() - float(logged_in_at)
    return age > settings.LUODI_SESSION_MAX_HOURS * 3600
