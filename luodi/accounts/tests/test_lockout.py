"""Login lockout (django-axes): 5 failures lock a username and an address for 10 minutes, on the
login page and the admin's; a locked attempt hashes no password; administrators unlock."""

import datetime as dt
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, A, S
from luodi.lib import audit

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
LOGIN_PATHS = ["accounts:login", "admin:login"]


def _post(client, path, username, password, ip="127.0.0.1"):
    return client.post(reverse(path), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, path, username, times, ip="127.0.0.1"):
    return [_post(client, path, username, WRONG, ip).status_code for _ in range(times)]


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _age_failures(minutes):
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=minutes))


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_it_refuses_the_right_password_after_five_wrong_ones(client, users, path):
    # The fifth failure itself answers with the lockout page.
    assert _fail(client, path, "staff", 5) == [200, 200, 200, 200, 429]
    response = _post(client, path, "staff", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert response.context["retry_at"] > timezone.now() + dt.timedelta(minutes=9)


def test_four_failures_do_not_lock(client, users):
    assert _fail(client, "accounts:login", "staff", 4) == [200] * 4
    assert _post(client, "accounts:login", "staff", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_lockout_page_says_when_to_try_again_in_english(client, users):
    client.cookies["django_language"] = "en"
    _fail(client, "accounts:login", "staff", 5)
    response = _post(client, "accounts:login", "staff", PASSWORD)
    retry = timezone.localtime(response.context["retry_at"]).strftime("%H:%M")
    body = response.content.decode()
    assert f"Please try again after {retry}" in body
    assert "An administrator can unlock it sooner" in body


def test_an_unknown_user_gets_the_same_answers_as_a_wrong_password(client, users):
    known = _post(client, "accounts:login", "staff", WRONG)
    unknown = _post(client, "accounts:login", "nobody-here", WRONG)
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    error = known.content.decode().split('role="alert">')[1].split("</p>")[0]
    assert error in unknown.content.decode()
    # and the same lockout page: a lock tells nothing about whether the username exists
    _fail(client, "accounts:login", "nobody-here", 5, ip="10.0.0.1")
    _fail(client, "accounts:login", "staff", 5, ip="10.0.0.2")
    locked_unknown = _post(client, "accounts:login", "nobody-here", WRONG, "10.0.0.3")
    locked_known = _post(client, "accounts:login", "staff", PASSWORD, "10.0.0.3")
    assert locked_unknown.status_code == locked_known.status_code == 429
    assert [t.name for t in locked_unknown.templates] == [t.name for t in locked_known.templates]


def test_one_address_is_locked_across_usernames(client, users):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _post(client, "accounts:login", name, WRONG, ip="10.1.1.1")
    assert _post(client, "accounts:login", "staff", PASSWORD, ip="10.1.1.1").status_code == 429
    assert _post(client, "admin:login", "admin", PASSWORD, ip="10.1.1.1").status_code == 429
    # the same user from another address is let in: their own counter holds no failure
    assert _post(client, "accounts:login", "staff", PASSWORD, ip="10.2.2.2").status_code == 302
    assert _logged_in(client)


def test_a_college_may_count_per_username_only(client, users, settings):
    settings.AXES_LOCKOUT_PARAMETERS = ["username"]  # LUODI_LOCKOUT_BY_IP=0
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _post(client, "accounts:login", name, WRONG, ip="10.1.1.1")
    assert _post(client, "accounts:login", "staff", PASSWORD, ip="10.1.1.1").status_code == 302
    client.logout()
    _fail(client, "accounts:login", "teacher", 5, ip="10.3.3.3")
    assert _post(client, "accounts:login", "teacher", PASSWORD, ip="10.4.4.4").status_code == 429


def test_a_locked_attempt_computes_no_password_hash(client, users):
    _fail(client, "accounts:login", "staff", 5)
    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as password_backend:
        assert _post(client, "accounts:login", "staff", PASSWORD).status_code == 429
        assert _post(client, "admin:login", "staff", WRONG).status_code == 429
    assert password_backend.call_count == 0


def test_the_lockout_expires_after_ten_minutes(client, users):
    _fail(client, "accounts:login", "staff", 5)
    _age_failures(9)
    assert _post(client, "accounts:login", "staff", PASSWORD).status_code == 429
    _age_failures(11)
    assert _post(client, "accounts:login", "staff", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_attempts_during_a_lockout_do_not_extend_it(client, users):
    _fail(client, "accounts:login", "staff", 5)
    _age_failures(9)
    before = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    assert _fail(client, "accounts:login", "staff", 3) == [429] * 3
    after = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    assert after == before


def test_a_success_does_not_wipe_the_failures(client, users):
    """Otherwise anyone with an account could clear an address's counter between guesses."""
    _fail(client, "accounts:login", "teacher", 4)
    assert _post(client, "accounts:login", "staff", PASSWORD).status_code == 302
    client.logout()
    assert _fail(client, "accounts:login", "teacher", 1) == [429]


def test_an_administrator_unlocks_from_the_admin(client, users):
    _fail(client, "accounts:login", "staff", 5, ip="10.5.5.5")
    admin = type(client)()
    admin.force_login(users[A])
    changelist = reverse("admin:axes_accessattempt_changelist")
    response = admin.get(changelist)
    assert response.status_code == 200
    assert "10.5.5.5" in response.content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = admin.post(changelist, {"action": "unlock", "_selected_action": ids})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert audit.recent("auth.unlocked")[-1]["details"]["username"] == "staff"
    assert _post(client, "accounts:login", "staff", PASSWORD, ip="10.5.5.5").status_code == 302


def test_staff_cannot_see_or_unlock_counters(client, users):
    _fail(client, "accounts:login", "teacher", 5)
    staff = type(client)()
    staff.force_login(users[S])
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert staff.get(changelist).status_code == 403
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    staff.post(changelist, {"action": "unlock", "_selected_action": ids})
    assert AccessAttempt.objects.exists()


def test_the_reset_command_unlocks_a_username(client, users):
    from django.core.management import call_command

    _fail(client, "accounts:login", "staff", 5, ip="10.6.6.6")
    call_command("axes_reset_username", "staff", verbosity=0)
    assert _post(client, "accounts:login", "staff", PASSWORD, ip="10.7.7.7").status_code == 302


def test_logins_failures_and_lockouts_are_audited_without_passwords(client, users):
    assert _post(client, "accounts:login", "staff", PASSWORD).status_code == 302
    login = audit.recent("auth.login")[-1]
    assert (login["user_id"], login["outcome"]) == (users[S].pk, "ok")
    client.post(reverse("accounts:logout"))
    assert audit.recent("auth.logout")[-1]["user_id"] == users[S].pk

    failed_before = len(audit.recent("auth.login_failed"))
    _fail(client, "accounts:login", "teacher", 5)
    failed = audit.recent("auth.login_failed")[failed_before:]
    assert len(failed) == 5
    assert {(e["outcome"], e["details"]["username"]) for e in failed} == {("failed", "teacher")}
    assert all(WRONG not in str(e) for e in audit.recent())
    locked = audit.recent("auth.locked_out")[-1]
    assert (locked["outcome"], locked["details"]["username"]) == ("refused", "teacher")

    # a refused attempt during the lockout is a lockout event, not a wrong password
    locked_before = len(audit.recent("auth.locked_out"))
    _post(client, "accounts:login", "teacher", PASSWORD)
    assert len(audit.recent("auth.login_failed")) == failed_before + 5
    assert len(audit.recent("auth.locked_out")) == locked_before + 1
    assert all(PASSWORD not in str(e) for e in audit.recent())


def test_force_login_still_works_and_is_not_counted(client, users):
    client.force_login(users[S])
    assert client.get(reverse("dashboard")).status_code == 200
    assert not AccessAttempt.objects.exists()
