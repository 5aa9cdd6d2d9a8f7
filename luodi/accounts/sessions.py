"""Session lifetimes.

Staff (every role but trainee) -- the idle timeout: a session ends ``SESSION_COOKIE_AGE`` after
it was last renewed, and a logged-in user's requests renew it at most once every
``LUODI_SESSION_RENEW_SECONDS`` (``keep_alive``) -- not on every request, which would write the
session row on every page. The absolute lifetime: a session records when its user logged in and
ends ``LUODI_SESSION_MAX_HOURS`` later, however active it was.

Trainees -- a trainee-only account (role trainee, no staff or superuser flag) that logs in while
one of their classes runs or is about to start stays signed in on that phone until the end of the
class's last day, at most ``LUODI_TRAINEE_SESSION_MAX_DAYS`` days (``sign_in_until``, called at
login by ``checkin.trainee_sessions``, which knows the classes). Such a session is never renewed
(its end is fixed), so a check-in at 8:30 writes no session row, and nobody has to type a
password (~0.5 s of CPU a hash) in the morning storm. It carries only the trainee's rights. Should
the account gain another role, the staff rules apply to the same session from its next request,
counted from the login and the last renewal (so a long-idle one ends at once)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from luodi.accounts.models import Role

LOGIN_AT = "luodi_login_at"  # POSIX seconds, stamped at login
RENEWED_AT = "luodi_renewed_at"  # POSIX seconds, when the idle timeout was last pushed on
SIGNED_IN_UNTIL = "luodi_signed_in_until"  # POSIX seconds: a trainee's phone session ends then


def trainee_only(user) -> bool:
    """Whether the account is a trainee's and nothing more: the one kind whose phone may stay
    signed in for a class's duration."""
    return user.role == Role.TRAINEE and not user.is_staff and not user.is_superuser


def sign_in_until(session: SessionBase, until: datetime) -> bool:
    """Keep a trainee-only session until ``until`` (bounded by
    ``LUODI_TRAINEE_SESSION_MAX_DAYS`` from now): the cookie and the stored session expire then,
    and requests no longer renew it. Returns whether the session now has that policy."""
    now = timezone.now()
    until = min(until, now + timedelta(days=settings.LUODI_TRAINEE_SESSION_MAX_DAYS))
    if until <= now + timedelta(seconds=settings.SESSION_COOKIE_AGE):
        return False  # no longer than the idle timeout would give: keep the usual rules
    session[SIGNED_IN_UNTIL] = until.timestamp()
    session.set_expiry(until)
    return True


def _trainee_policy(session: SessionBase, user) -> bool:
    return SIGNED_IN_UNTIL in session and trainee_only(user)


def keep_alive(session: SessionBase, user=None) -> None:
    """Push the idle timeout on if it was last renewed ``LUODI_SESSION_RENEW_SECONDS`` ago or
    more: changing the session makes Django save it with a new expiry and cookie. A trainee's
    class-long session has a fixed end and is left unchanged."""
    if user is not None and _trainee_policy(session, user):
        return
    now = timezone.now().timestamp()
    renewed_at = session.get(RENEWED_AT)
    if renewed_at is None or now - float(renewed_at) >= settings.LUODI_SESSION_RENEW_SECONDS:
        session[RENEWED_AT] = now


def stamp_login(session: SessionBase) -> None:
    """Logging in starts the absolute lifetime and is itself a renewal of the idle timeout."""
    session[LOGIN_AT] = session[RENEWED_AT] = timezone.now().timestamp()


def login_expired(session: SessionBase, user=None) -> bool:
    """Whether the session's login is over: a trainee's class-long session after its end, any
    other after the absolute lifetime. A session from before this rule (no stamp) starts its
    clock now."""
    now = timezone.now().timestamp()
    if SIGNED_IN_UNTIL in session:
        if user is not None and trainee_only(user):
            return now > float(session[SIGNED_IN_UNTIL])
        # The account is no longer a trainee's only: the staff rules, from the same clocks.
        del session[SIGNED_IN_UNTIL]
        session.set_expiry(None)
        renewed_at = float(session.get(RENEWED_AT, 0))
        if now - renewed_at > settings.SESSION_COOKIE_AGE:
            return True
    logged_in_at = session.get(LOGIN_AT)
    if logged_in_at is None:
        stamp_login(session)
        return False
    age = now - float(logged_in_at)
    return age > settings.LUODI_SESSION_MAX_HOURS * 3600
