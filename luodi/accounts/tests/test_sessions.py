"""Sessions: a new key at login, dead after logout, 30 minutes idle, and an absolute lifetime
(LUODI_SESSION_MAX_HOURS, 12) however active the user is. Time travels by editing the session's
stored times, not by sleeping."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
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


def _expiry(key):
    return Session.objects.get(session_key=key).expire_date


def test_requests_push_the_idle_timeout_on_at_most_once_a_minute(client, users):
    """Each request of an active user keeps the session alive, but writes the session row at
    most once a minute: a page (or a check-in) costs no session write."""
    key = _login(client)
    client.get(reverse(PAGE))
    first = _expiry(key)
    assert first > timezone.now() + dt.timedelta(minutes=29)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(PAGE)).status_code == 200
    assert not [
        q for q in ctx.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]
    assert _expiry(key) == first
    # A minute later the next request renews it: the idle timeout counts from then.
    session = client.session
    session[sessions.RENEWED_AT] = (timezone.now() - dt.timedelta(seconds=61)).timestamp()
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5)
    )
    assert client.get(reverse(PAGE)).status_code == 200
    assert _expiry(key) > timezone.now() + dt.timedelta(minutes=29)
