"""Logging in by username, ID number or mobile number: the one definition of which account a
typed identifier names, the password backend that uses it, and the key the lockout counts.

A trainee knows their ID number and phone, rarely the username Luodi gave them. The numbers
are found through the keyed digests on the cadre record (``cadres.Cadre.id_number_digest``,
``phone_digest``): nothing is decrypted to log someone in. The lockout (django-axes) and the
audit log key failures by ``login_key``: the account's username when the identifier names
one, otherwise a digest; so no table ever stores a full ID or phone number someone typed.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from luodi.accounts.models import User
from luodi.lib import personal

_ID_LENGTH = 18


def _looks_like_id_number(value: str) -> bool:
    return len(value) == _ID_LENGTH and value[:17].isdigit()


def find_user(identifier: str) -> User | None:
    """The account ``identifier`` names: a username (exactly), else the cadre's whose ID number
    or mobile number it is. None when nothing matches, or when a phone number is shared by
    more than one account (it cannot say whose it is; the ID number can)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = User.objects.filter(username=identifier).first()
    if user is not None:
        return user
    number = personal.normalize(identifier)
    key = settings.LUODI_ID_DIGEST_KEY
    if _looks_like_id_number(number):
        matches = User.objects.filter(
            cadre__id_number_digest=personal.id_number_digest(number, key)
        )
    elif personal.is_valid_phone(number):
        matches = User.objects.filter(cadre__phone_digest=personal.phone_digest(number, key))
    else:
        return None
    found = list(matches[:2])
    return found[0] if len(found) == 1 else None


def login_key(identifier: str) -> str:
    """What the lockout and the audit log record for a login attempt with ``identifier``."""
    identifier = (identifier or "").strip()[:150]
    user = find_user(identifier)
    if user is not None:
        return user.username
    number = personal.normalize(identifier)
    if _looks_like_id_number(number) or personal.is_valid_phone(number) or number.isdigit():
        return "number:" + hashlib.sha256(number.encode()).hexdigest()[:16]
    return identifier


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """``AXES_USERNAME_CALLABLE``: the lockout counts failures per account, whichever of its
    identifiers was typed (so five wrong passwords lock the account, not five per identifier)."""
    if credentials and credentials.get("username"):
        return login_key(str(credentials["username"]))
    return login_key(str(request.POST.get("username", "")) if request is not None else "")


class IdentifierBackend(ModelBackend):
    """Django's password backend, finding the account by ``find_user``."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(str(username))
        if user is None:
            # Hash anyway, so an unknown identifier takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
