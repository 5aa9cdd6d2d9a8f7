"""A trainee's first login with a texted code, logging in by ID or phone number, and a check-in
scanned before logging in that survives the code's expiry."""

import datetime as dt
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from luodi.accounts import identifiers
from luodi.accounts.models import LoginCode, Role, User
from luodi.checkin import first_login, tokens
from luodi.lib import audit
from luodi.training.models import Attendance, AttendanceStatus

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Zhu-huo 2026 shequ"
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def _send(identifier, *, now=NOW, client="10.0.0.1"):
    # The rate limits count in the real clock's minutes: move it with ``now``.
    with mock.patch("luodi.lib.ratelimit._now", return_value=now.timestamp()):
        return first_login.login_code_send(identifier=identifier, client=client, now=now)


def _code(outbox):
    return outbox[-1].params["code"]


# ---- asking for a code -------------------------------------------------------------------


def test_an_enrolled_cadre_gets_a_code_by_id_number_or_phone(fixed, outbox):
    cadre = fixed.trainee.cadre
    sent = _send(cadre.id_number)
    assert sent.cadre_id == cadre.pk
    assert [m.to for m in outbox] == [cadre.phone]
    assert _code(outbox) in outbox[0].text
    assert outbox[0].kind == "login_code"
    assert LoginCode.objects.for_cadre(cadre.pk).count() == 1
    assert LoginCode.objects.get().digest != _code(outbox)  # only a digest is kept
    # By the mobile number, written the way people write it, a minute later.
    spaced = f"{cadre.phone[:3]} {cadre.phone[3:7]}-{cadre.phone[7:]}"
    assert _send(spaced, now=NOW + dt.timedelta(minutes=2), client="10.0.0.2").cadre_id == cadre.pk


def test_nobody_learns_whether_a_number_is_known(fixed, college, make, outbox):
    nominated = make.cadre(fixed.nominated.cadre.community)
    make.enrol(fixed.training_class, nominated, status="nominated")  # not on a roster yet
    stranger = make.cadre(nominated.community)  # in no class
    for identifier in (nominated.id_number, stranger.phone, "210203198001011234", "hello"):
        assert _send(identifier, client=identifier).cadre_id is None
    assert outbox == []
    assert [e["details"]["reason"] for e in audit.recent("auth.code_not_sent")] == [
        "not_eligible",
        "not_eligible",
        "unknown",
        "unknown",
    ]


def test_staff_accounts_never_open_with_a_code(fixed, outbox):
    cadre = fixed.trainee.cadre
    User.objects.create_user(
        username="liaison-cadre", role=Role.LIAISON, cadre=cadre, city=cadre.community.city
    )
    assert _send(cadre.id_number).cadre_id is None
    assert outbox == []


def test_a_deactivated_trainee_gets_no_code(fixed, outbox):
    cadre = fixed.trainee.cadre
    User.objects.create_user(username="t", role=Role.TRAINEE, cadre=cadre, is_active=False)
    assert _send(cadre.id_number).cadre_id is None
    assert outbox == []


def test_codes_are_rate_limited_per_number(fixed, outbox, settings):
    cadre = fixed.trainee.cadre
    _send(cadre.id_number)
    with pytest.raises(first_login.CodeRefused, match="less than a minute"):
        _send(cadre.id_number, now=NOW + dt.timedelta(seconds=20))
    assert len(outbox) == 1


def test_codes_are_rate_limited_per_day(fixed, outbox, settings):
    settings.LUODI_LOGIN_CODES_PER_DAY = 2
    cadre = fixed.trainee.cadre
    _send(cadre.id_number)
    _send(cadre.id_number, now=NOW + dt.timedelta(minutes=2))
    with pytest.raises(first_login.CodeRefused, match="today"):
        _send(cadre.id_number, now=NOW + dt.timedelta(minutes=4))
    assert len(outbox) == 2


def test_codes_older_than_a_day_are_deleted_when_a_new_one_is_sent(fixed, outbox):
    cadre = fixed.trainee.cadre
    _send(cadre.id_number)
    LoginCode.objects.update(created_at=NOW - dt.timedelta(days=2))
    _send(cadre.id_number, now=NOW + dt.timedelta(minutes=2))
    assert LoginCode.objects.count() == 1
    assert LoginCode.objects.get().created_at > NOW - dt.timedelta(days=1)


def test_a_new_code_replaces_the_old_one(fixed, outbox):
    cadre = fixed.trainee.cadre
    _send(cadre.id_number)
    first = _code(outbox)
    _send(cadre.id_number, now=NOW + dt.timedelta(minutes=2), client="x")
    with pytest.raises(first_login.CodeRefused):
        first_login.first_login_complete(
            cadre_id=cadre.pk, code=first, password=GOOD_PASSWORD, now=NOW + dt.timedelta(minutes=3)
        )


# ---- entering it ---------------------------------------------------------------------------


def test_the_right_code_makes_the_account_and_sets_the_password(fixed, outbox):
    cadre = fixed.trainee.cadre
    _send(cadre.id_number)
    user = first_login.first_login_complete(
        cadre_id=cadre.pk, code=_code(outbox), password=GOOD_PASSWORD, now=NOW
    )
    assert (user.role, user.cadre_id, user.first_name) == (Role.TRAINEE, cadre.pk, cadre.name)
    assert user.check_password(GOOD_PASSWORD)
    assert cadre.id_number not in user.username
    assert LoginCode.objects.get().used_at == NOW
    with pytest.raises(first_login.CodeRefused):  # used once
        first_login.first_login_complete(
            cadre_id=cadre.pk, code=_code(outbox), password=GOOD_PASSWORD, now=NOW
        )


def test_a_weak_password_leaves_the_code_usable_and_makes_nothing(fixed, outbox):
    from django.core.exceptions import ValidationError

    cadre = fixed.trainee.cadre
    _send(cadre.id_number)
    with pytest.raises(ValidationError) as refused:
        first_login.first_login_complete(
            cadre_id=cadre.pk, code=_code(outbox), password="12345678", now=NOW
        )
    assert not isinstance(refused.value, first_login.CodeRefused)
    assert not User.objects.filter(cadre=cadre).exists()
    assert LoginCode.objects.get().used_at is None
    assert first_login.first_login_complete(
        cadre_id=cadre.pk, code=_code(outbox), password=GOOD_PASSWORD, now=NOW
    ).pk


def test_wrong_codes_wear_the_code_out_and_it_expires(fixed, outbox, settings):
    cadre = fixed.trainee.cadre
    _send(cadre.id_number)
    right = _code(outbox)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(LoginCode.MAX_TRIES):
        with pytest.raises(first_login.CodeRefused):
            first_login.first_login_complete(
                cadre_id=cadre.pk, code=wrong, password=GOOD_PASSWORD, now=NOW
            )
    with pytest.raises(first_login.CodeRefused):  # worn out: even the right one fails now
        first_login.first_login_complete(
            cadre_id=cadre.pk, code=right, password=GOOD_PASSWORD, now=NOW
        )
    _send(cadre.id_number, now=NOW + dt.timedelta(minutes=2), client="y")
    late = NOW + dt.timedelta(minutes=2 + settings.LUODI_LOGIN_CODE_MINUTES, seconds=1)
    with pytest.raises(first_login.CodeRefused):
        first_login.first_login_complete(
            cadre_id=cadre.pk, code=_code(outbox), password=GOOD_PASSWORD, now=late
        )
    assert not User.objects.filter(cadre=cadre).exists()


# ---- logging in by ID number or phone -------------------------------------------------------


def _trainee_user(fixed):
    return User.objects.create_user(
        username="songjuan7", password=PASSWORD, role=Role.TRAINEE, cadre=fixed.trainee.cadre
    )


def test_a_trainee_logs_in_with_the_id_number_or_the_phone(fixed, client):
    user = _trainee_user(fixed)
    for identifier in (user.cadre.id_number, user.cadre.phone, user.cadre.id_number.lower()):
        client.logout()
        response = client.post(
            reverse("accounts:login"), {"username": identifier, "password": PASSWORD}
        )
        assert response.status_code == 302, identifier
        assert client.session[SESSION_KEY] == str(user.pk)


def test_find_user_refuses_a_phone_number_two_accounts_share(fixed, college):
    user = _trainee_user(fixed)
    other = college.cadres_shenyang[0]
    other.phone = user.cadre.phone
    other.save()
    User.objects.create_user(username="other", password=PASSWORD, cadre=other)
    assert identifiers.find_user(user.cadre.phone) is None
    assert identifiers.find_user(user.cadre.id_number) == user


def test_the_lockout_counts_per_account_and_never_stores_a_number(fixed, client, settings):
    user = _trainee_user(fixed)
    number = user.cadre.id_number
    for identifier in (number, user.cadre.phone, number, "songjuan7", number):
        client.post(reverse("accounts:login"), {"username": identifier, "password": "wrong"})
    # Five failures by three identifiers lock the one account, whichever is typed next.
    response = client.post(
        reverse("accounts:login"), {"username": "songjuan7", "password": PASSWORD}
    )
    assert response.status_code == 429
    stored = list(AccessAttempt.objects.values_list("username", flat=True))
    assert set(stored) == {"songjuan7"}
    unknown = "210203198001011234"
    client.post(reverse("accounts:login"), {"username": unknown, "password": "x"})
    names = set(AccessAttempt.objects.values_list("username", flat=True))
    assert not any(unknown in n or user.cadre.phone in n for n in names)
    failures = [e["details"]["username"] for e in audit.recent("auth.login_failed")]
    assert unknown not in failures
    assert number not in failures


# ---- scanning before logging in ------------------------------------------------------------


def test_a_scan_before_logging_in_checks_in_at_the_scan_time(live, client, outbox, settings):
    session, cadre = live.session, live.trainee.cadre
    scanned_at = timezone.now()
    url = tokens.check_in_path(session.pk, tokens.token_for(session.pk, scanned_at))
    response = client.get(url)
    landing = reverse("checkin:scanned", args=[session.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={landing}"

    # The trainee never logged in: the texted code, ten minutes later (the QR code expired).
    later = scanned_at + dt.timedelta(minutes=10)
    assert not tokens.token_is_valid(session.pk, url.split("/")[-2], later)
    with mock.patch("django.utils.timezone.now", return_value=later):
        step1 = client.post(
            reverse("first-login:request") + f"?next={landing}", {"identifier": cadre.phone}
        )
        assert step1.status_code == 302
        step2 = client.post(
            step1["Location"],
            {"code": _code(outbox), "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
        )
        assert step2["Location"] == landing
        done = client.get(landing)
    assert done["Location"] == reverse("checkin:my-session", args=[session.pk])
    attendance = Attendance.objects.get(session=session, enrolment=live.trainee)
    assert attendance.status == AttendanceStatus.PRESENT
    assert abs(attendance.checked_in_at - scanned_at) < dt.timedelta(seconds=1)
    assert client.get(done["Location"]).status_code == 200


def test_a_scan_is_kept_only_for_the_grace_minutes(live, client, settings):
    user = User.objects.create_user(
        username="t1", password=PASSWORD, role=Role.TRAINEE, cadre=live.trainee.cadre
    )
    session = live.session
    scanned_at = timezone.now()
    client.get(tokens.check_in_path(session.pk, tokens.token_for(session.pk, scanned_at)))
    client.force_login(user)
    later = scanned_at + dt.timedelta(minutes=settings.LUODI_CHECKIN_SCAN_GRACE_MINUTES, seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(reverse("checkin:scanned", args=[session.pk]))
    assert response.status_code == 400
    assert not Attendance.objects.filter(session=session).exists()


def test_without_a_scan_the_landing_page_checks_nobody_in(live, client):
    user = User.objects.create_user(
        username="t2", password=PASSWORD, role=Role.TRAINEE, cadre=live.trainee.cadre
    )
    client.force_login(user)
    response = client.get(reverse("checkin:scanned", args=[live.session.pk]))
    assert response["Location"] == reverse("checkin:home")
    assert not Attendance.objects.filter(session=live.session).exists()


def test_an_invalid_code_scanned_logged_out_does_not_remember_a_scan(live, client):
    response = client.get(tokens.check_in_path(live.session.pk, "0" * tokens.TOKEN_LENGTH))
    assert "scanned" not in response["Location"]
    assert "luodi_checkin_scans" not in client.session
