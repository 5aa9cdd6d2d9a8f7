"""A trainee checks in by scanning the session's rotating QR code."""

import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.checkin import tokens
from luodi.checkin.services import (
    InvalidCode,
    NotEnrolled,
    OutsideWindow,
    session_check_in,
)
from luodi.training.models import Attendance, AttendanceStatus

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


def check_in(fixed, *, at, enrolment=None, token=None, session=None):
    session = session or fixed.session
    enrolment = enrolment or fixed.trainee
    return session_check_in(
        session=session,
        cadre=enrolment.cadre,
        token=tokens.token_for(session.pk, at) if token is None else token,
        now=at,
    )


def test_it_checks_in_an_enrolled_trainee_as_present(fixed):
    at = fixed.start - 10 * MINUTE
    attendance = check_in(fixed, at=at)
    assert attendance.status == AttendanceStatus.PRESENT
    assert attendance.checked_in_at == at
    assert Attendance.objects.get(enrolment=fixed.trainee, session=fixed.session) == attendance


def test_the_row_and_its_audit_event_commit_together(fixed, monkeypatch):
    """One write transaction a check-in: when its audit row cannot be written, the attendance
    row is not kept either (and a repeat scan likewise changes nothing)."""
    from luodi.lib import audit

    def broken_sink(entry):
        raise RuntimeError("audit storage unavailable")

    monkeypatch.setattr(audit, "_sink", broken_sink)
    with pytest.raises(RuntimeError):
        check_in(fixed, at=fixed.start)
    assert not Attendance.objects.filter(enrolment=fixed.trainee, session=fixed.session).exists()
    Attendance.objects.create(
        enrolment=fixed.trainee, session=fixed.session, status=AttendanceStatus.ABSENT
    )
    with pytest.raises(RuntimeError):
        check_in(fixed, at=fixed.start)
    row = Attendance.objects.get(enrolment=fixed.trainee, session=fixed.session)
    assert row.status == AttendanceStatus.ABSENT


def test_it_counts_the_grace_minutes_as_present_and_later_as_late(fixed):
    assert check_in(fixed, at=fixed.start + 5 * MINUTE).status == AttendanceStatus.PRESENT
    late = check_in(fixed, at=fixed.start + 6 * MINUTE, enrolment=fixed.other)
    assert late.status == AttendanceStatus.LATE


def test_the_grace_minutes_are_configurable(fixed, settings):
    settings.LUODI_CHECKIN_LATE_AFTER_MINUTES = 0
    assert check_in(fixed, at=fixed.start + MINUTE).status == AttendanceStatus.LATE


def test_it_refuses_an_expired_code(fixed, settings):
    shown_at = fixed.start
    old_code = tokens.token_for(fixed.session.pk, shown_at)
    later = shown_at + dt.timedelta(seconds=2 * settings.LUODI_CHECKIN_TOKEN_SECONDS)
    with pytest.raises(InvalidCode):
        check_in(fixed, at=later, token=old_code)
    assert not Attendance.objects.filter(session=fixed.session).exists()


def test_it_accepts_the_code_shown_a_step_ago(fixed, settings):
    shown = tokens.token_for(fixed.session.pk, fixed.start)
    later = fixed.start + dt.timedelta(seconds=settings.LUODI_CHECKIN_TOKEN_SECONDS)
    assert check_in(fixed, at=later, token=shown).pk


def test_every_bad_code_gets_the_same_message(fixed, settings):
    at = fixed.start
    expired = tokens.token_for(fixed.session.pk, at - 3 * MINUTE)
    other_session = tokens.token_for(fixed.sessions[1].pk, at)
    messages = set()
    for token in [expired, other_session, "0123456789abcdef0123", "garbage", ""]:
        with pytest.raises(InvalidCode) as refused:
            check_in(fixed, at=at, token=token)
        messages |= set(refused.value.messages)
    assert len(messages) == 1
    assert "not valid or has expired" in messages.pop()


def test_it_refuses_before_the_window_opens_saying_when(fixed, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    too_early = fixed.start - 31 * MINUTE
    with pytest.raises(OutsideWindow) as refused:
        check_in(fixed, at=too_early)
    assert "opens at 2025-03-11 08:00" in refused.value.messages[0]
    assert not fixed.session.attendances.exists()


def test_it_refuses_after_the_window_closes_saying_when(fixed, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    too_late = fixed.start + 31 * MINUTE
    with pytest.raises(OutsideWindow) as refused:
        check_in(fixed, at=too_late)
    assert "closed at 2025-03-11 09:00" in refused.value.messages[0]
    assert not fixed.session.attendances.exists()


def test_it_refuses_a_cadre_who_is_not_enrolled(fixed, college):
    at = fixed.start
    token = tokens.token_for(fixed.session.pk, at)
    for cadre in [fixed.nominated.cadre, college.cadres_dalian[1], None]:
        with pytest.raises(NotEnrolled) as refused:
            session_check_in(session=fixed.session, cadre=cadre, token=token, now=at)
        assert "not enrolled in this class" in refused.value.messages[0]
    assert not fixed.session.attendances.exists()


def test_a_second_scan_keeps_one_row_and_the_first_time(fixed):
    first = check_in(fixed, at=fixed.start - 2 * MINUTE)
    again = check_in(fixed, at=fixed.start + 10 * MINUTE)
    assert again.pk == first.pk
    assert again.status == AttendanceStatus.PRESENT
    assert again.checked_in_at == fixed.start - 2 * MINUTE
    assert fixed.session.attendances.count() == 1


@pytest.mark.parametrize("before", [AttendanceStatus.LEAVE, AttendanceStatus.ABSENT])
def test_a_scan_turns_leave_or_absent_into_attendance(fixed, before):
    row = Attendance.objects.create(enrolment=fixed.trainee, session=fixed.session, status=before)
    at = fixed.start + 8 * MINUTE
    attendance = check_in(fixed, at=at)
    assert attendance.pk == row.pk
    assert (attendance.status, attendance.checked_in_at) == (AttendanceStatus.LATE, at)
    assert fixed.session.attendances.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_check_ins_by_one_trainee_make_one_row(fixed):
    """Real threads, each with its own database connection: exactly one row, and every scan
    is answered with it. On PostgreSQL they run truly at once. SQLite's in-memory test database
    (shared cache) reports "table is locked" at once instead of waiting as the busy timeout
    does on a real database file, so there a scan that meets the lock tries again."""
    at = fixed.start
    token = tokens.token_for(fixed.session.pk, at)
    barrier = threading.Barrier(10)
    results, errors = [], []

    def scan_waiting_for_locks():
        for _attempt in range(500):
            try:
                return session_check_in(
                    session=fixed.session, cadre=fixed.trainee.cadre, token=token, now=at
                )
            except OperationalError as exc:
                if connection.vendor != "sqlite" or "locked" not in str(exc):
                    raise
                time.sleep(0.005)
        raise AssertionError("the database stayed locked")

    def scan():
        try:
            barrier.wait(timeout=30)
            results.append(scan_waiting_for_locks().pk)
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(results) == 10
    assert len(set(results)) == 1
    assert Attendance.objects.filter(session=fixed.session).count() == 1


# ---- the page the QR code leads to ----------------------------------------------------------


def _url(live, token=None):
    from django.utils import timezone

    code = token or tokens.token_for(live.session.pk, timezone.now())
    return reverse("checkin:check-in", args=[live.session.pk, code])


def test_the_link_checks_in_and_shows_the_result(client_as, live):
    response = client_as(Role.TRAINEE).get(_url(live), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkin:my-session", args=[live.session.pk])
    assert response.status_code == 200
    assert response.context["checked_in"]
    row = Attendance.objects.get(session=live.session, enrolment=live.trainee)
    assert row.status == AttendanceStatus.PRESENT


def test_reloading_the_result_page_later_needs_no_code(client_as, live):
    client = client_as(Role.TRAINEE)
    client.get(_url(live))
    response = client.get(reverse("checkin:my-session", args=[live.session.pk]))
    assert response.status_code == 200
    assert response.context["checked_in"]


def test_the_link_sends_an_anonymous_trainee_to_log_in_and_back(client, live):
    # Back to where the scan, kept in the session, completes (see test_first_login).
    response = client.get(_url(live))
    assert response.status_code == 302
    landing = reverse("checkin:scanned", args=[live.session.pk])
    assert response["Location"] == f"{reverse('accounts:login')}?next={landing}"


def test_a_bad_code_is_refused_with_the_message(client_as, live):
    response = client_as(Role.TRAINEE).get(_url(live, token="0123456789abcdef0123"))
    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()
    assert not Attendance.objects.filter(session=live.session).exists()


def test_an_unknown_session_gets_the_same_message(client_as, live):
    url = reverse("checkin:check-in", args=[999999, "0123456789abcdef0123"])
    response = client_as(Role.TRAINEE).get(url)
    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()


def test_a_trainee_of_another_class_is_told_so(client, other_trainee, live):
    client.force_login(other_trainee)
    response = client.get(_url(live))
    assert response.status_code == 403
    assert "not enrolled in this class" in response.content.decode()


def test_the_result_page_of_a_session_without_attendance_is_404(client_as, live):
    response = client_as(Role.TRAINEE).get(reverse("checkin:my-session", args=[live.session.pk]))
    assert response.status_code == 404
