"""Audit events for logging in and out, connected in ``AccountsConfig.ready``.

Django and django-axes announce these moments as signals; the receivers only record them (and
stamp the session with the login time for the absolute session lifetime). Never a password:
Django's ``user_login_failed`` already hides it, and only the attempted username is kept.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from luodi.accounts import identifiers, second_factor, sessions
from luodi.lib import audit


@receiver(user_logged_in, dispatch_uid="luodi.accounts.login")
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.stamp_login(request.session)
        second_factor.note_enrolment(request.session, user)
    audit.record("auth.login", by=user, obj=user)


@receiver(user_login_failed, dispatch_uid="luodi.accounts.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "luodi_refused_by_lockout", False):
        return  # refused before any password check: recorded as auth.locked_out
    username = identifiers.login_key(str(credentials.get("username") or ""))
    audit.record("auth.login_failed", outcome="failed", username=username)


@receiver(user_locked_out, dispatch_uid="luodi.accounts.locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit.record("auth.locked_out", outcome="refused", username=identifiers.login_key(username))


@receiver(user_logged_out, dispatch_uid="luodi.accounts.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "luodi_logout_reason", "")
        audit.record("auth.logout", by=user, obj=user, **({"reason": reason} if reason else {}))
