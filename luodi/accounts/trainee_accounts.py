"""Trainees' accounts: made for a whole class at once or on a trainee's first login, never one
by one in the admin, and never with a password anyone else knows.

An account is made without a password (Django's unusable password). The trainee sets their
own after proving who they are with a one-time code sent to the mobile number on their cadre
record (``checkin.first_login``); a reset takes the password away again, which also ends the
trainee's sessions (Django checks the password hash on every request). Staff accounts are
never touched here: every function acts on trainee accounts only.
"""

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from luodi.accounts.models import Role, User
from luodi.lib import audit
from luodi.lib.history import record_bulk


class AccountState(StrEnum):
    NONE = "none"  # no account yet: the first login with a code makes one
    PENDING = "pending"  # made, no password set yet (never logged in, or reset)
    ACTIVE = "active"
    INACTIVE = "inactive"  # deactivated by staff: cannot log in at all


STATE_LABELS = {
    AccountState.NONE: _("No account yet"),
    AccountState.PENDING: _("Not activated"),
    AccountState.ACTIVE: _("Active"),
    AccountState.INACTIVE: _("Deactivated"),
}


def state_of(user: User | None) -> AccountState:
    if user is None:
        return AccountState.NONE
    if not user.is_active:
        return AccountState.INACTIVE
    return AccountState.ACTIVE if user.has_usable_password() else AccountState.PENDING


def _username_base(cadre: Any) -> str:
    letters = re.sub(r"[^a-z]", "", (cadre.name_pinyin or "").lower())[:20]
    return f"{letters or 'trainee'}{cadre.pk}"


def _new_user(cadre: Any, taken: set[str]) -> User:
    username, n = _username_base(cadre), 1
    while username in taken:  # someone chose this name by hand: add a suffix
        n += 1
        username = f"{_username_base(cadre)}-{n}"
    taken.add(username)
    return User(
        username=username,
        role=Role.TRAINEE,
        cadre_id=cadre.pk,
        first_name=cadre.name[:150],
        password=make_password(None),  # unusable: nobody knows a password for it
    )


@transaction.atomic
def create_trainee_accounts(cadres: Iterable[Any], *, by: Any) -> list[User]:
    """Make an account for each of ``cadres`` that has none; returns the accounts made. One
    audit event and one history entry per account; a bulk INSERT, so a class of hundreds
    costs a few queries."""
    cadres = list(cadres)
    have = set(
        User.objects.filter(cadre_id__in=[c.pk for c in cadres]).values_list("cadre_id", flat=True)
    )
    wanted = [c for c in cadres if c.pk not in have]
    if not wanted:
        return []
    bases = [_username_base(c) for c in wanted]
    taken = set(
        User.objects.filter(username__regex=r"^(" + "|".join(map(re.escape, bases)) + r")")
        .values_list("username", flat=True)
        .iterator()
    )
    made = User.objects.bulk_create([_new_user(c, taken) for c in wanted])
    record_bulk(
        User, [(u.pk, u.username, {"role": (None, u.role)}) for u in made], by=by, created=True
    )
    audit.record("trainee_account.create", by=by, users=[u.pk for u in made], count=len(made))
    return made


def trainee_account_for(cadre: Any, *, by: Any) -> User:
    """The cadre's account, made now if they have none."""
    user = User.objects.filter(cadre_id=cadre.pk).first()
    if user is not None:
        return user
    return create_trainee_accounts([cadre], by=by)[0]


def _trainees(users: Iterable[User]) -> list[User]:
    return [u for u in users if u.role == Role.TRAINEE and not u.is_superuser]


@transaction.atomic
def reset_trainee_accounts(users: Iterable[User], *, by: Any) -> int:
    """Take the password away: the trainee logs in with a new code and sets another one. Their
    sessions end at their next request."""
    users = _trainees(users)
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_update(users, ["password"])
    record_bulk(User, [(u.pk, u.username, {"password": ("***", "")}) for u in users], by=by)
    audit.record("trainee_account.reset", by=by, users=[u.pk for u in users], count=len(users))
    return len(users)


@transaction.atomic
def set_trainee_accounts_active(users: Iterable[User], *, active: bool, by: Any) -> int:
    """Deactivate (no login of any kind) or activate again; returns how many changed."""
    users = [u for u in _trainees(users) if u.is_active != active]
    User.objects.filter(pk__in=[u.pk for u in users]).update(is_active=active)
    record_bulk(
        User, [(u.pk, u.username, {"is_active": (not active, active)}) for u in users], by=by
    )
    event = "trainee_account.activate" if active else "trainee_account.deactivate"
    audit.record(event, by=by, users=[u.pk for u in users], count=len(users))
    return len(users)
