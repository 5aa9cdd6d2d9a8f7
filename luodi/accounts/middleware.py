"""Session rules applied to every request of a logged-in user: the absolute session lifetime,
and the second factor (TOTP) for administrators and staff."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from luodi.accounts import second_factor, sessions


class SessionLifetimeMiddleware:
    """Log out a user whose login is over (older than ``LUODI_SESSION_MAX_HOURS``, or a trainee's
    class-long session past its end: ``accounts.sessions``) and send them to the login page with
    a message saying why; otherwise renew the idle timeout (at most once every
    ``LUODI_SESSION_RENEW_SECONDS``; never for a trainee's class-long session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and sessions.login_expired(request.session, user)
        ):
            request.luodi_logout_reason = "session_max_age"
            logout(request)
            hours = settings.LUODI_SESSION_MAX_HOURS
            messages.info(
                request,
                _("You were logged in for more than %(hours)g hours. Please log in again.")
                % {"hours": hours},
            )
            return redirect_to_login(request.get_full_path())
        if user is not None and user.is_authenticated:
            sessions.keep_alive(request.session, user)
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password, an administrator or staff member with a TOTP device (or, with
    LUODI_REQUIRE_2FA, every one of them) reaches no page, admin or API call until they have
    entered a code; without a device they are sent to enrol first. Runs after django-otp's
    OTPMiddleware, which tells whether this session has passed a device."""

    # Reachable half-way: the code and enrol pages, logging out, switching language.
    OPEN = ("accounts:second-factor", "accounts:second-factor-enrol", "accounts:logout")
    OPEN_NAMES = ("set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and second_factor.required(user, request.session)
            and not self._open(request)
        ):
            return self._refuse(request, user)
        return self.get_response(request)

    def _open(self, request) -> bool:
        match = getattr(request, "resolver_match", None) or _resolve(request.path_info)
        return match is not None and match.view_name in self.OPEN + self.OPEN_NAMES

    def _refuse(self, request, user):
        if request.path_info.startswith("/api/"):
            message = _("Enter the code from your authenticator app on the website first.")
            return JsonResponse({"detail": message}, status=403)
        enrolled = second_factor.confirmed_device(user) is not None
        target = reverse("accounts:second-factor" if enrolled else "accounts:second-factor-enrol")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


def _resolve(path):
    try:
        return resolve(path)
    except Resolver404:
        return None
