"""API tokens: issuing and revoking them (services), and checking a key on each API request.

A token is shown once, when issued; only its SHA-256 digest is stored. It expires (by default
after ``LUODI_API_TOKEN_DEFAULT_DAYS``, at most ``LUODI_API_TOKEN_MAX_DAYS``), may be revoked,
only reads unless it was issued as not read-only (then it may carry write scopes), only
reaches the operations its scopes name and, when limited to a city, only that city's
figures. A liaison's token is always limited to the liaison's city.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, Reach, has_perm, reach
from luodi.accounts.models import ApiScope, ApiToken, User
from luodi.lib import audit

# The last-used time is written at most this often per token, not on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenRefused(Exception):
    """A key that may not be used for this request: ``status`` 401 or 403, and why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def max_days() -> int:
    return int(settings.LUODI_API_TOKEN_MAX_DAYS)


def default_days() -> int:
    return min(int(settings.LUODI_API_TOKEN_DEFAULT_DAYS), max_days())


@transaction.atomic
def api_token_create(
    *,
    by: User,
    name: str,
    scopes: Iterable[str] = (ApiScope.READ,),
    days: int | None = None,
    city=None,
    read_only: bool = True,
) -> tuple[ApiToken, str]:
    """Issue ``by`` a token; returns it and its key, which is never shown again.

    ``city`` limits the token to one city's figures; a liaison's token is limited to their
    own city whatever is asked."""
    if not has_perm(by, Perm.USE_API):
        raise PermissionDenied(_("Your role may not use the API."))
    scopes = sorted(set(scopes))
    days = default_days() if days is None else days
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the token a name that says what it is for.")
    if not scopes:
        errors["scopes"] = _("Choose at least one scope.")
    elif unknown := set(scopes) - set(ApiScope.values):
        errors["scopes"] = _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))}
    elif read_only and ApiScope.writing() & set(scopes):
        errors["scopes"] = _(
            "A read-only token cannot carry write scopes: allow it to write, or leave them out."
        )
    if not 1 <= days <= max_days():
        errors["days"] = _("A token is valid for 1 to %(max)d days.") % {"max": max_days()}
    if reach(by) == Reach.CITY:
        if city is not None and city.pk != by.city_id:
            errors["city"] = _("A liaison's token can only be limited to their own city.")
        city = by.city
    if errors:
        raise ValidationError(errors)
    key = ApiToken.new_key()
    token = ApiToken(
        user=by,
        name=name.strip(),
        digest=ApiToken.digest_of(key),
        scopes=scopes,
        city=city,
        expires_at=timezone.now() + dt.timedelta(days=days),
        read_only=read_only,
    )
    token.full_clean()
    token.save()
    audit.record(
        "api_token.created",
        by=by,
        obj=token,
        name=token.name,
        scopes=" ".join(scopes),
        city=city.pk if city else "",
        read_only=read_only,
        expires_at=token.expires_at.isoformat(),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> bool:
    """Revoke ``token`` for good; its owner or a user manager may. False if it already was."""
    if token.user_id != by.pk and not has_perm(by, Perm.MANAGE_USERS):
        raise PermissionDenied(_("You may only revoke your own API tokens."))
    now = timezone.now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    if revoked:
        token.revoked_at = now
        audit.record("api_token.revoked", by=by, obj=token, owner=token.user_id, name=token.name)
    return bool(revoked)


def authenticate(key: str, *, method: str) -> ApiToken:
    """The token whose key is ``key``, if it may be used for a ``method`` request now; else
    ``TokenRefused`` says why. Notes the time it was used (at most once a minute)."""
    token = ApiToken.objects.by_key(key) if key else None
    if token is None or not token.user.is_active:
        raise TokenRefused(401, _("Invalid API token."))
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused(401, _("This API token has been revoked."))
    if token.is_expired(now):
        raise TokenRefused(
            401,
            _("This API token expired on %(date)s; create a new one.")
            % {"date": timezone.localtime(token.expires_at).date().isoformat()},
        )
    if method.upper() not in READ_METHODS and token.read_only:
        raise TokenRefused(403, _("This API token can only read; this request would change data."))
    if reach(token.user) == Reach.CITY and token.city_id != token.user.city_id:
        raise TokenRefused(403, _("This API token is limited to a city other than its owner's."))
    _note_use(token, now)
    return token


def _note_use(token: ApiToken, now: dt.datetime) -> None:
    """Write the last-used time if it is older than a minute: a conditional update, so that
    concurrent requests write it once and most requests write nothing."""
    since = now - LAST_USED_EVERY
    if token.last_used_at is not None and token.last_used_at > since:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=since)
    ).update(last_used_at=now)
    token.last_used_at = now
