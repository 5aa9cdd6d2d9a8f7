"""The optional second factor (TOTP): administrators and staff who enrolled an authenticator app
enter its code after the password before reaching any page, the admin and the API included;
with LUODI_REQUIRE_2FA they must enrol first. Codes are computed from the device's key."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, A, R, S, T
from luodi.lib import audit

pytestmark = pytest.mark.django_db

PAGE = "curriculum:course-list"


@pytest.fixture(autouse=True)
def _no_throttle_wait(settings):
    # django-otp makes a user wait after a wrong code; tests that try a wrong code and then
    # the right one at once turn the wait off (test_wrong_codes_are_throttled keeps it).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or ``steps_ahead`` 30-second steps later: a code
    is accepted once, so a second login in the same test uses the next one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _login(client, username, path="accounts:login"):
    response = client.post(reverse(path), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return response


def _enrolled(users, role) -> TOTPDevice:
    return TOTPDevice.objects.create(user=users[role], name="Luodi", confirmed=True)


def _asks_for_code(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:second-factor")
    )


def test_without_a_device_and_not_required_nothing_changes(client, users):
    _login(client, "staff")
    assert client.get(reverse(PAGE)).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_enrol_voluntarily_with_a_real_code(client, users):
    _login(client, "staff")
    page = client.get(reverse("accounts:second-factor-enrol"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=users[S], confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url

    wrong = client.post(reverse("accounts:second-factor-enrol"), {"token": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed

    done = client.post(
        reverse("accounts:second-factor-enrol"), {"token": code(device), "next": reverse(PAGE)}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse(PAGE)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse(PAGE)).status_code == 200  # this session counts as verified
    assert audit.recent("auth.2fa_enrolled")[-1]["user_id"] == users[S].pk
    # the enrol page no longer shows the secret
    again = client.get(reverse("accounts:second-factor-enrol"))
    assert "secret" not in again.context
    assert "<svg" not in again.content.decode()


@pytest.mark.parametrize(("role", "login_path"), [(S, "accounts:login"), (A, "admin:login")])
def test_after_the_password_an_enrolled_user_must_enter_a_code(client, users, role, login_path):
    device = _enrolled(users, role)
    _login(client, role.value, login_path)
    for url in (reverse(PAGE), reverse("admin:index"), reverse("accounts:password-change")):
        assert _asks_for_code(client.get(url)), url
    api = client.get("/api/v1/stats/summary", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 403
    assert "code" in api.json()["detail"]

    verify = reverse("accounts:second-factor")
    wrong = client.post(verify, {"token": "123456", "next": reverse(PAGE)})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["token"]
    assert _asks_for_code(client.get(reverse(PAGE)))
    assert audit.recent("auth.2fa_failed")[-1]["outcome"] == "failed"

    right = client.post(verify, {"token": code(device), "next": reverse("admin:index")})
    assert right.status_code == 302
    assert right["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse(PAGE)).status_code == 200
    assert audit.recent("auth.2fa_verified")[-1]["user_id"] == users[role].pk


def test_a_code_is_accepted_once(client, users):
    device = _enrolled(users, S)
    _login(client, "staff")
    used = code(device)
    assert client.post(reverse("accounts:second-factor"), {"token": used}).status_code == 302
    other = Client()
    _login(other, "staff")
    replay = other.post(reverse("accounts:second-factor"), {"token": used})
    assert replay.status_code == 200
    assert (
        other.post(reverse("accounts:second-factor"), {"token": code(device, 1)}).status_code == 302
    )


def test_wrong_codes_are_throttled(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute's wait after the first wrong code
    device = _enrolled(users, S)
    _login(client, "staff")
    client.post(reverse("accounts:second-factor"), {"token": "000000"})
    late = client.post(reverse("accounts:second-factor"), {"token": code(device)})
    assert late.status_code == 200  # even the right code waits
    assert _asks_for_code(client.get(reverse(PAGE)))


def test_the_next_address_stays_on_this_site(client, users):
    device = _enrolled(users, S)
    _login(client, "staff")
    response = client.post(
        reverse("accounts:second-factor"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_when_required_staff_and_administrators_must_enrol_first(client, users, settings):
    settings.LUODI_REQUIRE_2FA = True
    _login(client, "admin")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second-factor-enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["required"]
    device = TOTPDevice.objects.get(user=users[A])
    client.post(reverse("accounts:second-factor-enrol"), {"token": code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("role", [T, R])
def test_other_roles_are_never_asked_and_may_not_enrol(client, users, settings, role):
    settings.LUODI_REQUIRE_2FA = True
    client.force_login(users[role])
    assert client.get(reverse(PAGE)).status_code == 200
    assert client.get(reverse("accounts:second-factor-enrol")).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_an_administrator_removes_a_lost_device(client, users):
    _enrolled(users, S)
    admin = Client()
    admin.force_login(users[A])
    device = TOTPDevice.objects.get(user=users[S])
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.exists()
    _login(client, "staff")
    assert client.get(reverse(PAGE)).status_code == 200


def test_logging_out_is_possible_half_way(client, users):
    _enrolled(users, S)
    _login(client, "staff")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
