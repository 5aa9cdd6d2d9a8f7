"""An optional password rule for colleges graded under the Multi-Level Protection Scheme
(等保 2.0), which asks for passwords that mix kinds of characters. Turned on by
``LUODI_PASSWORD_CHARACTER_CLASSES=1``; the rules always on are Django's (length >= 10, not a
common password, not like the user's names, not all digits)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of the four kinds a password mixes: upper case, lower case, digits, symbols."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    """At least ``min_classes`` (3) of upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self._message(), code="password_too_uniform")

    def get_help_text(self) -> str:
        return self._message()

    def _message(self) -> str:
        return _(
            "Your password must mix at least %(count)d of: capital letters, small letters, "
            "digits and symbols."
        ) % {"count": self.min_classes}
