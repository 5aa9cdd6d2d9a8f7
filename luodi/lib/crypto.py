"""Personal data encrypted at rest: a model field that stores Fernet tokens, keys with rotation.

Why our own field rather than a package: the maintained field libraries either derive their
keys from ``SECRET_KEY`` and a salt (so rotating the session key would lose the data) or pull in
more than we need; this one is ~40 lines over ``cryptography``'s ``MultiFernet`` with keys we
supply (``settings.LUODI_FIELD_KEYS``: the first encrypts, every one decrypts), so key rotation
is ``MultiFernet.rotate`` and there is no other dependency to watch.

Encrypted values cannot be searched: every token differs even for the same text, so the field
refuses lookups other than ``isnull``. Search and uniqueness use a keyed digest column beside
it (``Cadre.id_number_digest``, ``Cadre.phone_digest``). An empty value stays empty (it says
only that there is no number).
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connections, models

# Every Fernet token starts with the version byte 0x80 and a timestamp: "gAAAAA" in base64.
TOKEN_PREFIX = "gAAAAA"  # nosec B105 # a format marker, not a secret


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("LUODI_FIELD_KEYS is empty: personal data cannot be encrypted.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "LUODI_FIELD_KEYS must be comma-separated Fernet keys (32 url-safe base64 bytes); "
            "make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.LUODI_FIELD_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """The text of a token made with any of the configured keys; raises ``InvalidToken`` when
    none fits (a missing key, or a value that was never encrypted)."""
    return fernet().decrypt(token.encode()).decode() if token else ""


def rotate(token: str) -> str:
    """The same text encrypted with the first (current) key."""
    return fernet().rotate(token.encode()).decode() if token else ""


def is_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


class EncryptedCharField(models.CharField):
    """A CharField whose column holds a Fernet token. ``max_length`` limits the plain text
    (forms and validation); the column is a text column, wide enough for the token."""

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be searched "
                f"({lookup_name!r}); look it up by its digest column."
            )
        return super().get_lookup(lookup_name)


def rewrite_columns(
    model: type[models.Model],
    columns: Iterable[str],
    transform: Callable[[str], str],
    *,
    batch_size: int = 1000,
    using: str = "default",
) -> int:
    """Apply ``transform`` to the stored (raw) values of ``columns`` of every row of ``model``'s
    table, ``batch_size`` rows at a time; return the number of rows changed. Works on the
    ciphertext itself, below the ORM: for migrations that encrypt plain text, and rotation."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    columns = list(columns)
    names = ", ".join(quote(c) for c in columns)
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    changed, last = 0, None
    with connection.cursor() as cursor:
        while True:
            params: list[Any] = [] if last is None else [last]
            where = f"WHERE {pk} > %s" if params else ""
            # Names come from the model's metadata, quoted; values are parameters.
            order = f"ORDER BY {pk} LIMIT {int(batch_size)}"
            sql = f"SELECT {pk}, {names} FROM {table} {where} {order}"  # nosec
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if not rows:
                return changed
            updates: list[Any] = []
            for row_pk, *values in rows:
                new = [transform(v) if v else v for v in values]
                if new != values:
                    updates.append([*new, row_pk])
            if updates:
                update = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # nosec
                cursor.executemany(update, updates)
            changed += len(updates)
            last = rows[-1][0]


__all__ = ["EncryptedCharField", "InvalidToken", "decrypt", "encrypt", "rewrite_columns", "rotate"]
