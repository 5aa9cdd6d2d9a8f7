"""A trainee's first login (and every login after a reset or a forgotten password): their ID
number or mobile number, a one-time code texted to the mobile number on their cadre record,
then a password of their own. No staff member makes the account or knows the password.

Who may: a cadre on the roster of a class (enrolled, completed or not completed), or one who
already has an active trainee account. Staff, teachers and liaisons log in with their
password (and second factor); a code never opens their accounts.

Against abuse: the answer to "send me a code" is the same whether or not the number belongs
to anyone; one code a minute and ``LUODI_LOGIN_CODES_PER_DAY`` a day per identifier, and
``LUODI_LOGIN_CODES_PER_IP_HOUR`` per client address (a classroom shares one); a code lives
``LUODI_LOGIN_CODE_MINUTES``, allows ``LoginCode.MAX_TRIES`` wrong tries and is used once. Only
a keyed digest of the code is stored.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from luodi.accounts.models import LoginCode, Role, User
from luodi.accounts.trainee_accounts import trainee_account_for
from luodi.cadres.models import Cadre
from luodi.lib import audit, messaging, personal
from luodi.lib.ratelimit import count_request
from luodi.training.models import ROSTER_STATUSES, Enrolment

_SALT = "luodi.checkin.first_login"
_ID_LENGTH = 18
DAY = 24 * 3600


class CodeRefused(ValidationError):
    """A request for a code, or a code, that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class Sent:
    """What the page may say after a request: nothing about whether the number is known."""

    cadre_id: int | None  # kept in the session only, never shown


def cadre_for(identifier: str) -> Cadre | None:
    """The cadre whose ID number or mobile number ``identifier`` is (a phone number shared by
    two cadres names neither)."""
    number = personal.normalize(identifier)
    if len(number) == _ID_LENGTH:
        return Cadre.objects.with_id_number(number).first()
    if personal.is_valid_phone(number):
        found = list(Cadre.objects.with_phone(number)[:2])
        return found[0] if len(found) == 1 else None
    return None


def may_log_in_with_code(cadre: Cadre) -> bool:
    user = User.objects.filter(cadre_id=cadre.pk).first()
    if user is not None:
        return user.is_active and user.role == Role.TRAINEE and not user.is_superuser
    return Enrolment.objects.filter(cadre=cadre, status__in=ROSTER_STATUSES).exists()


def _digest(cadre_id: int, code: str) -> str:
    return salted_hmac(_SALT, f"{cadre_id}:{code}", algorithm="sha256").hexdigest()


def _identifier_key(identifier: str) -> str:
    return hashlib.sha256(personal.normalize(identifier).encode()).hexdigest()


def _wait() -> CodeRefused:
    return CodeRefused(_("A code was sent less than a minute ago. Wait a minute, then try again."))


def login_code_send(*, identifier: str, client: str, now: datetime) -> Sent:
    """Text a new code to the cadre ``identifier`` names, if they may log in with one."""
    key = _identifier_key(identifier)
    if count_request("login_code.ip", client, window=3600) > settings.LUODI_LOGIN_CODES_PER_IP_HOUR:
        audit.record("auth.code_throttled", outcome="refused", per="address")
        raise CodeRefused(_("Too many codes were asked for from this network. Try again later."))
    if count_request("login_code.minute", key, window=60) > 1:
        raise _wait()
    if count_request("login_code.day", key, window=DAY) > settings.LUODI_LOGIN_CODES_PER_DAY:
        audit.record("auth.code_throttled", outcome="refused", per="number")
        raise CodeRefused(_("Too many codes were asked for this number today. Try again tomorrow."))
    cadre = cadre_for(identifier)
    if cadre is None or not cadre.phone or not may_log_in_with_code(cadre):
        reason = "unknown" if cadre is None else "no_phone" if not cadre.phone else "not_eligible"
        audit.record("auth.code_not_sent", outcome="refused", obj=cadre, reason=reason)
        return Sent(cadre_id=None)
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = settings.LUODI_LOGIN_CODE_MINUTES
    with transaction.atomic():
        # A new code replaces any earlier one; codes older than a day are of no use to keep
        # (the day's count is in the rate limiter), so the table stays small.
        earlier = LoginCode.objects.for_cadre(cadre.pk)
        earlier.filter(created_at__lt=now - timedelta(seconds=DAY)).delete()
        earlier.live(now).update(attempts=LoginCode.MAX_TRIES)
        LoginCode.objects.create(
            cadre=cadre, digest=_digest(cadre.pk, code), expires_at=now + timedelta(minutes=minutes)
        )
        text = _(
            "Your Luodi login code is %(code)s. It is valid for %(minutes)s minutes. "
            "Do not tell it to anyone, staff included."
        ) % {"code": code, "minutes": minutes}
        try:
            messaging.send_text(to=cadre.phone, text=text, kind="login_code", params={"code": code})
        except messaging.DeliveryError as exc:
            transaction.set_rollback(True)
            audit.record("auth.code_not_sent", outcome="failed", obj=cadre, reason="gateway")
            raise CodeRefused(
                _("The text could not be sent. Try again in a minute, or ask your head teacher.")
            ) from exc
    audit.record("auth.code_sent", obj=cadre)
    return Sent(cadre_id=cadre.pk)


def _wrong_code() -> CodeRefused:
    return CodeRefused(
        _("That code is not right or has expired. Check the text, or ask for a new code.")
    )


def _matching_code(cadre_id: int | None, code: str, now: datetime) -> LoginCode:
    live = (
        LoginCode.objects.for_cadre(cadre_id or 0).live(now).order_by("-created_at").first()
        if cadre_id
        else None
    )
    code = personal.normalize(code)
    if live is None:
        raise _wrong_code()
    if not constant_time_compare(live.digest, _digest(live.cadre_id, code)):
        LoginCode.objects.filter(pk=live.pk).update(attempts=F("attempts") + 1)
        audit.record("auth.code_failed", outcome="failed", obj=live.cadre)
        raise _wrong_code()
    return live


def first_login_complete(*, cadre_id: int | None, code: str, password: str, now: datetime) -> User:
    """Check the code, then make the trainee's account if they have none and set their new
    password. A wrong code counts a try; a password the rules refuse leaves the code unused
    (the trainee chooses another password without a new code) and nothing made."""
    live = _matching_code(cadre_id, code, now)
    with transaction.atomic():
        used = LoginCode.objects.filter(pk=live.pk, used_at__isnull=True).update(used_at=now)
        cadre = Cadre.objects.get(pk=live.cadre_id)
        if not used or not may_log_in_with_code(cadre):
            raise _wrong_code()
        user = trainee_account_for(cadre, by=None)
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record("auth.first_login", by=user, obj=user)
    return user
