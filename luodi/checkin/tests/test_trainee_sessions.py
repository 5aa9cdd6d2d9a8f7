"""A trainee's phone stays signed in for their class (accounts.sessions, checkin.trainee_sessions):
beyond 30 idle minutes while the class runs, never past its last day, with the trainee's rights
only; staff, and a trainee who holds another role, keep the 30-minute idle timeout; logging out
still kills the cookie; a check-in and its result page write no session row. Time travels by
moving the clock Django reads (``timezone.now``), not by sleeping."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session as StoredSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from luodi.accounts import sessions
from luodi.accounts.models import Role, User
from luodi.checkin import tokens
from luodi.training.models import Attendance, AttendanceStatus, EnrolmentStatus

pytestmark = pytest.mark.django_db

COOKIE = settings.SESSION_COOKIE_NAME
HOME = "checkin:home"  # a trainee's phone page
STAFF_PAGE = "curriculum:course-list"


@contextmanager
def _later(**delta):
    moved = timezone.now() + dt.timedelta(**delta)
    with mock.patch("django.utils.timezone.now", return_value=moved):
        yield moved


def _login(client, username) -> str:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies[COOKIE].value


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def _class_end(college) -> dt.datetime:
    last_day = college.running.end_date + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(last_day, dt.time.min))


def test_a_trainee_stays_signed_in_beyond_30_idle_minutes_during_the_class(client, users, college):
    key = _login(client, "trainee")
    end = _class_end(college)
    assert StoredSession.objects.get(session_key=key).expire_date == end
    assert client.cookies[COOKIE]["max-age"] > 24 * 3600  # the phone keeps the cookie too
    with _later(minutes=31):
        assert client.get(reverse(HOME)).status_code == 200
    with _later(hours=13):  # past the staff's absolute lifetime too
        assert client.get(reverse(HOME)).status_code == 200


def test_a_trainee_session_ends_with_the_class(client, users, college):
    _login(client, "trainee")
    until = _class_end(college) - timezone.now()
    with _later(seconds=until.total_seconds() + 60):
        assert _sent_to_login(client.get(reverse(HOME)))


def test_the_class_long_session_has_only_the_trainee_rights(client, users):
    _login(client, "trainee")
    with _later(minutes=31):
        assert client.get(reverse("cadres:cadre-list")).status_code == 403


def test_a_staff_session_does_not_outlive_30_idle_minutes(client, users):
    key = _login(client, "staff")
    assert sessions.SIGNED_IN_UNTIL not in client.session
    assert StoredSession.objects.get(session_key=key).expire_date < timezone.now() + dt.timedelta(
        minutes=31
    )
    with _later(minutes=29):
        assert client.get(reverse(STAFF_PAGE)).status_code == 200
    with _later(minutes=29 + 31):
        assert _sent_to_login(client.get(reverse(STAFF_PAGE)))


def test_a_trainee_with_another_role_gets_the_staff_policy(client, users, college, make):
    """A head teacher who is also on a running class's roster logs in with the staff rules."""
    head = User.objects.create_user(
        username="head_and_trainee",
        password=PASSWORD,
        role=Role.HEAD_TEACHER,
        teacher=make.teacher(name="李老师"),
        cadre=college.cadres_dalian[1],
    )
    make.enrol(college.running, college.cadres_dalian[1], status=EnrolmentStatus.ENROLLED)
    _login(client, head.username)
    assert sessions.SIGNED_IN_UNTIL not in client.session
    with _later(minutes=31):
        assert _sent_to_login(client.get(reverse(STAFF_PAGE)))


def test_a_trainee_given_another_role_falls_under_the_staff_policy_at_once(client, users):
    _login(client, "trainee")
    User.objects.filter(pk=users[Role.TRAINEE].pk).update(role=Role.HEAD_TEACHER)
    with _later(minutes=31):  # idle for 31 minutes since the login
        assert _sent_to_login(client.get(reverse(STAFF_PAGE)))


def test_a_trainee_outside_a_class_gets_the_usual_session(client, users, college):
    college.running.enrolments.all().delete()
    _login(client, "trainee")
    assert sessions.SIGNED_IN_UNTIL not in client.session
    with _later(minutes=31):
        assert _sent_to_login(client.get(reverse(HOME)))


def test_the_class_long_session_is_bounded(client, users, college, settings):
    settings.LUODI_TRAINEE_SESSION_MAX_DAYS = 1
    college.running.end_date = timezone.localdate() + dt.timedelta(days=10)
    college.running.save(update_fields=["end_date"])
    key = _login(client, "trainee")
    expiry = StoredSession.objects.get(session_key=key).expire_date
    assert expiry <= timezone.now() + dt.timedelta(days=1)
    assert expiry > timezone.now() + dt.timedelta(hours=23)


def test_logging_out_kills_the_class_long_cookie(client, users):
    key = _login(client, "trainee")
    client.post(reverse("accounts:logout"))
    assert not StoredSession.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[COOKIE] = key
    assert _sent_to_login(replay.get(reverse(HOME)))


def _session_writes(ctx) -> list[str]:
    statements = [q["sql"] or "" for q in ctx.captured_queries]  # None for some on PostgreSQL
    return [
        sql
        for sql in statements
        if "django_session" in sql
        and sql.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]


def test_a_check_in_and_its_result_page_write_no_session_row(client, users, live):
    """A trainee signed in earlier (well past the staff's once-a-minute renewal) scans: the
    check-in writes its attendance row and nothing to the session table, nor does the page
    it lands on."""
    _login(client, "trainee")
    with _later(minutes=2) as now:
        url = tokens.check_in_path(live.session.pk, tokens.token_for(live.session.pk, now))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("checkin:my-session", args=[live.session.pk])
    assert _session_writes(ctx) == []
    row = Attendance.objects.get(session=live.session, enrolment=live.trainee)
    assert row.status == AttendanceStatus.PRESENT
