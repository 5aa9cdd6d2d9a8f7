"""The optional second factor (TOTP, django-otp) for administrators and staff.

A user enrols one authenticator app: Luodi shows the secret (QR code and text) on the enrol page
until the first code confirms it. Once enrolled, each login asks for a code after the password
(``SecondFactorMiddleware``), for every page including the admin. With ``LUODI_REQUIRE_2FA``
administrators and staff must enrol before reaching any page. A lost phone: an administrator
deletes the device in the admin (OTP_TOTP → TOTP devices), and the user enrols again.

Wrong codes are throttled by django-otp (each failure doubles the wait before the next try).
"""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from luodi.accounts.models import Role, User
from luodi.lib import audit

DEVICE_NAME = "Luodi"


def may_enrol(user: User) -> bool:
    """Administrators and staff may (or, with LUODI_REQUIRE_2FA, must) use a second factor."""
    return bool(
        user.is_authenticated and (user.is_superuser or user.role in (Role.ADMIN, Role.STAFF))
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


ENROLLED = "luodi_2fa_enrolled"  # in the session: whether the user had a device at login


def note_enrolment(session: SessionBase, user: User) -> None:
    """Remember in the session whether the user has a device, so that pages ask no query."""
    session[ENROLLED] = may_enrol(user) and confirmed_device(user) is not None


def required(user: User, session: SessionBase) -> bool:
    """Whether ``user`` must pass a second factor in this session: enrolled (as noted at login),
    or obliged to."""
    if not may_enrol(user):
        return False
    if settings.LUODI_REQUIRE_2FA:
        return True
    if ENROLLED not in session:
        note_enrolment(session, user)
    return bool(session[ENROLLED])


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device whose secret the enrol page shows (made on first visit)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (segno; nothing leaves the server)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


@transaction.atomic
def enrol(*, request: HttpRequest, user: User, token: str) -> bool:
    """Confirm ``user``'s pending device with a code from their app; the session (``request``'s,
    logged in as ``user``) counts as verified. False if the code is wrong (it stays pending)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        audit.record("auth.2fa_enrol_failed", by=user, obj=user, outcome="failed")
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    django_otp.login(request, device)
    request.session[ENROLLED] = True
    audit.record("auth.2fa_enrolled", by=user, obj=user)
    return True


@transaction.atomic
def verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """Check ``user``'s code after the password; on success the session counts as verified."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(token.strip()):
        audit.record("auth.2fa_failed", by=user, obj=user, outcome="failed")
        return False
    django_otp.login(request, device)
    audit.record("auth.2fa_verified", by=user, obj=user)
    return True
