"""The JSON API (django-ninja). Each app adds its router; every endpoint needs a login or token.

A bearer token is checked by ``accounts.tokens.authenticate`` (expiry, revocation, read-only,
a liaison's city); with the login, the operation's own rule (``requires_api``: the role, the
token's scope) is checked before its input is read (``accounts.api_auth.Router``).
The browsable docs (``/api/v1/docs``) are ninja's Swagger UI, served from ninja's own static
files (``ninja`` is an installed app), never from a CDN. See docs/api.md."""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from ninja import NinjaAPI

from luodi.accounts import tokens
from luodi.accounts.access import Perm, has_perm
from luodi.accounts.api_auth import BearerToken, SessionLogin


def _schema_access(view):
    """The OpenAPI schema needs what the endpoints it describes need: a login or a usable
    token (same checks: expiry, revocation, read-only, city), and a role that may use the API."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            scheme, _, key = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer":
                return JsonResponse({"detail": "Unauthorized"}, status=401)
            try:
                api_token = tokens.authenticate(key.strip(), method=request.method)
            except tokens.TokenRefused as refused:
                return JsonResponse({"detail": refused.message}, status=refused.status)
            request.user = api_token.user
        if not has_perm(request.user, Perm.USE_API):
            return JsonResponse({"detail": "Permission denied"}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="Luodi API",
    version="1",
    urls_namespace="api",
    # Each app's operations authenticate with their own rule (``accounts.api_auth.Router``);
    # these are for any other operation.
    auth=[SessionLogin(), BearerToken()],
    docs_url="/docs",
    docs_decorator=_schema_access,
)


@api.exception_handler(ValidationError)
def _refused(request, exc: ValidationError):
    """A service's refusal (a full quota, a closed class, a trainee not on the roll): 422 with
    its message, so the client is told what is wrong."""
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(PermissionDenied)
def _denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": "Permission denied"}, status=403)


api.add_router("/communities", "luodi.regions.api.router")
api.add_router("/cadres", "luodi.cadres.api.router")
api.add_router("/teachers", "luodi.faculty.api.router")
api.add_router("/courses", "luodi.curriculum.api.router")
api.add_router("/", "luodi.training.api.router")  # classes, sessions, enrolments
api.add_router("/", "luodi.checkin.api.router")  # attendance and check-in
api.add_router("/certificates", "luodi.certificates.api.router")
api.add_router("/stats", "luodi.reports.api.router")
