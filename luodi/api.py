"""The JSON API (django-ninja). Each app adds its router; every endpoint needs a login or token."""

from functools import wraps

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from luodi.accounts.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.objects.authenticate(token)
        if user:
            request.user = user
        return user


def _schema_access(view):
    """The OpenAPI schema needs the same login or token as the endpoints it describes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.partition(" ")
        if scheme.lower() == "bearer" and (user := ApiToken.objects.authenticate(key.strip())):
            request.user = user
            return view(request, *args, **kwargs)
        return JsonResponse({"detail": "Unauthorized"}, status=401)

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
