"""How the API knows who calls and whether they may: a session or a bearer token, then the
operation's declared rule (``access.requires_api``), checked before any input is read.

Apps build their API routes with this module's ``Router``: each operation's authentication is
the session or the token *and* the role and token scope its ``requires_api`` declares, so a
role that may not use an operation gets 403 whatever it sends (ninja reads and validates the
input after authentication, before the operation runs).
"""

from typing import Any

import ninja
from django.http import HttpRequest
from ninja.constants import NOT_SET
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from luodi.accounts import tokens
from luodi.accounts.access import AccessRule, api_refusal
from luodi.accounts.models import User


class SessionLogin(SessionAuth):
    """A user logged in on the site (ninja's session auth: a write also needs the CSRF
    token); with a ``rule``, only a user the rule lets in."""

    def __init__(self, rule: AccessRule | None = None) -> None:
        super().__init__()
        self.rule = rule

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and self.rule is not None:
            _refuse_unless_allowed(request, self.rule)
        return user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <key>``, checked by ``tokens.authenticate`` (expiry, revocation,
    read-only, a liaison's city); with a ``rule``, only a token and owner the rule lets in."""

    def __init__(self, rule: AccessRule | None = None) -> None:
        super().__init__()
        self.rule = rule

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            api_token = tokens.authenticate(token, method=request.method or "GET")
        except tokens.TokenRefused as refused:
            raise HttpError(refused.status, refused.message) from None
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        if self.rule is not None:
            _refuse_unless_allowed(request, self.rule)
        return api_token


def _refuse_unless_allowed(request: HttpRequest, rule: AccessRule) -> None:
    if (why := api_refusal(request, rule)) is not None:
        raise HttpError(403, why)


class Router(ninja.Router):
    """ninja's Router, whose operations authenticate with their own ``requires_api`` rule."""

    def add_api_operation(self, path: str, methods: list[str], view_func, **kwargs: Any) -> None:
        rule = getattr(view_func, "luodi_access", None)
        if kwargs.get("auth", NOT_SET) is NOT_SET and isinstance(rule, AccessRule):
            kwargs["auth"] = [SessionLogin(rule), BearerToken(rule)]
        super().add_api_operation(path, methods, view_func, **kwargs)


def api_user(request: HttpRequest) -> User:
    """The user an operation runs for: its authentication has found one (or answered 401)."""
    if not isinstance(request.user, User):
        raise HttpError(401, "Unauthorized")
    return request.user
