"""Sessions: a new key at login, dead after logout, 30 minutes idle, and an absolute lifetime
(LUODI_SESSION_MAX_HOURS, 12) however active the user is. Time travels by editing the session's
stored times, not by sleeping."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, S
from luodi.accounts import sessions
from luodi.lib import audit

pytestmark = pytest.mark.django_db

COOKIE = settings.SESSION_COOKIE_NAME
PAGE = "curriculum:course-list"


def _login(client, username="staff"):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies[COOKIE].value


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_the_session_key_changes_at_login(client, users):
    session = client.session
    session["before_login"] = True
    session.save()
    client.cookies[COOKIE] = before = session.session_key
    after = _login(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_the_old_cookie_is_dead_after_logout(client, users):
    key = _login(client)
    assert client.get(reverse(PAGE)).status_code == 200
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies[COOKIE] = key
    assert _sent_to_login(replay.get(reverse(PAGE)))


def test_a_session_idle_for_30_minutes_is_dead(client, users):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry on
    key = _login(client)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _sent_to_login(client.get(reverse(PAGE)))


def _logged_in_hours_ago(client, hours):
    session = client.session
    session[sessions.LOGIN_AT] = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    session.save()


def test_a_session_ends_12_hours_after_login_however_active(client, users):
    _login(client)
    _logged_in_hours_ago(client, 11.9)
    assert client.get(reverse(PAGE)).status_code == 200
    _logged_in_hours_ago(client, 12.1)
    response = client.get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="en")
    assert _sent_to_login(response)
    assert response["Location"].endswith("?next=" + reverse(PAGE))
    assert "_auth_user_id" not in client.session
    event = audit.recent("auth.logout")[-1]
    assert event["user_id"] == users[S].pk
    assert event["details"]["reason"] == "session_max_age"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "logged in for more than 12 hours. Please log in again" in page.content.decode()


def test_the_lifetime_is_a_setting(client, users, settings):
    settings.LUODI_SESSION_MAX_HOURS = 1
    _login(client)
    _logged_in_hours_ago(client, 1.1)
    assert _sent_to_login(client.get(reverse(PAGE)))


def test_logging_in_again_starts_a_new_lifetime(client, users):
    _login(client)
    _logged_in_hours_ago(client, 12.1)
    assert _sent_to_login(client.get(reverse(PAGE)))
    _login(client)
    assert client.get(reverse(PAGE)).status_code == 200


def test_a_session_without_a_login_time_starts_its_clock(client, users):
    client.force_login(users[S])
    session = client.session
    del session[sessions.LOGIN_AT]
    session.save()
    assert client.get(reverse(PAGE)).status_code == 200
    assert sessions.LOGIN_AT in client.session
