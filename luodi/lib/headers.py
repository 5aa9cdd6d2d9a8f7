"""Response headers every page and API answer carries, and methods no one may use.

Django's ``SecurityMiddleware`` sets HSTS, nosniff, Referrer-Policy and
Cross-Origin-Opener-Policy, and django-csp the Content-Security-Policy; these two middlewares add
what neither does. Static files are served by WhiteNoise before ``PrivateByDefaultMiddleware``
runs, so they stay cacheable.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed

Handler = Callable[[HttpRequest], HttpResponseBase]

# Methods that echo a request back (cookies included): refused on every path.
REFUSED_METHODS = frozenset({"TRACE", "TRACK"})
ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class RefuseTraceMiddleware:
    """Answer TRACE and TRACK with 405 before any view, static file or redirect sees them."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (request.method or "").upper() in REFUSED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


class PrivateByDefaultMiddleware:
    """Pages and API answers hold personal data: no browser or proxy keeps a copy, unless the
    view chose its own caching. Also sends the Permissions-Policy (no camera, microphone,
    location, payment or USB for any page: check-in scans with the phone's camera app, not
    the browser's)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        if policy := getattr(settings, "LUODI_PERMISSIONS_POLICY", ""):
            response.setdefault("Permissions-Policy", policy)
        return response
