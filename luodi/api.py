"""The JSON API (django-ninja). Each app adds its router; every endpoint needs a login or token.

A bearer token is checked by ``accounts.tokens.authenticate`` (expiry, revocation, read-only,
a liaison's city); the operation then checks the token's scope (``requires_api``)."""

from functools import wraps

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from luodi.accounts import tokens
from luodi.accounts.access import Perm, has_perm


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        try:
            api_token = tokens.authenticate(token, method=request.method or "GET")
        except tokens.TokenRefused as refused:
            raise HttpError(refused.status, refused.message) from None
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token


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
    auth=[django_auth, BearerToken()],
    docs_url=None,
    docs_decorator=_schema_access,
)

api.add_router("/stats", "luodi.reports.api.router")
