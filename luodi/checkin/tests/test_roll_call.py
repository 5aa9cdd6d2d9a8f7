"""The head teacher's roll call and the classroom screen."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.checkin import roll_call, tokens
from luodi.checkin.services import attendance_mark, attendance_mark_unmarked_absent
from luodi.training.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db

P, L, V, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEAVE,
    AttendanceStatus.ABSENT,
)


def _mark(fixed, enrolment, status):
    return Attendance.objects.create(enrolment=enrolment, session=fixed.session, status=status)


def test_the_roster_shows_who_is_missing_first(fixed, college, make):
    cadre = make.cadre(college.communities_dalian[0])
    third = Enrolment.objects.create(
        **Enrolment.place_of(cadre),
        training_class=fixed.training_class,
        cadre=cadre,
        status=EnrolmentStatus.ENROLLED,
    )
    _mark(fixed, fixed.trainee, P)
    _mark(fixed, third, V)
    rows = roll_call.roster(fixed.session)
    assert [(e.pk, e.mark) for e in rows] == [
        (fixed.other.pk, None),
        (third.pk, V),
        (fixed.trainee.pk, P),
    ]
    counts = roll_call.counts_of(rows)
    assert (counts.expected, counts.checked_in, counts.leave, counts.unmarked) == (3, 1, 1, 1)
    assert roll_call.counts(fixed.session) == counts


def test_the_roster_leaves_out_nominated_and_withdrawn_cadres(fixed):
    fixed.other.status = EnrolmentStatus.WITHDRAWN
    fixed.other.save()
    assert [e.pk for e in roll_call.roster(fixed.session)] == [fixed.trainee.pk]


@pytest.mark.parametrize("status", [P, L, V, A])
def test_it_marks_a_trainee_by_hand(fixed, status):
    attendance = attendance_mark(
        session=fixed.session, enrolment=fixed.trainee, status=status, by=None
    )
    assert attendance.status == status
    assert fixed.session.attendances.get().pk == attendance.pk


def test_a_mark_by_hand_changes_an_existing_row(fixed):
    row = _mark(fixed, fixed.trainee, A)
    attendance_mark(session=fixed.session, enrolment=fixed.trainee, status=L, by=None)
    row.refresh_from_db()
    assert row.status == L
    assert fixed.session.attendances.count() == 1


def test_it_refuses_to_mark_a_trainee_of_another_class(fixed, college):
    stranger = college.running.enrolments.first()
    with pytest.raises(ValidationError):
        attendance_mark(session=fixed.session, enrolment=stranger, status=P, by=None)
    with pytest.raises(ValidationError):
        attendance_mark(session=fixed.session, enrolment=fixed.nominated, status=P, by=None)
    assert not fixed.session.attendances.exists()


def test_it_marks_all_unmarked_absent_and_leaves_the_others(fixed, college, make):
    cadre = make.cadre(college.communities_dalian[0])
    third = Enrolment.objects.create(
        **Enrolment.place_of(cadre),
        training_class=fixed.training_class,
        cadre=cadre,
        status=EnrolmentStatus.ENROLLED,
    )
    _mark(fixed, fixed.trainee, V)
    after = tokens.window(fixed.session).closes + dt.timedelta(minutes=1)
    assert attendance_mark_unmarked_absent(session=fixed.session, now=after, by=None) == 2
    marks = dict(fixed.session.attendances.values_list("enrolment_id", "status"))
    assert marks == {fixed.trainee.pk: V, fixed.other.pk: A, third.pk: A}
    # Nothing is left to mark the second time.
    assert attendance_mark_unmarked_absent(session=fixed.session, now=after, by=None) == 0
    assert fixed.session.attendances.count() == 3


def test_it_refuses_to_mark_absent_while_check_in_is_open(fixed):
    during = tokens.window(fixed.session).closes
    with pytest.raises(ValidationError) as refused:
        attendance_mark_unmarked_absent(session=fixed.session, now=during, by=None)
    assert "mark the others absent after it closes" in refused.value.messages[0]
    assert not fixed.session.attendances.exists()


# ---- pages ----------------------------------------------------------------------------------


def test_the_roll_call_page_lists_the_roster(client_as, fixed):
    _mark(fixed, fixed.trainee, P)
    response = client_as(Role.HEAD_TEACHER).get(
        reverse("checkin:roll-call", args=[fixed.session.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-trigger="every 10s"' in html
    assert html.index(fixed.other.cadre.name) < html.index(fixed.trainee.cadre.name)


def test_htmx_polling_gets_only_the_table(client_as, fixed):
    url = reverse("checkin:roll-call", args=[fixed.session.pk])
    response = client_as(Role.HEAD_TEACHER).get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="roll"')


def test_marking_from_the_page(client_as, fixed):
    url = reverse("checkin:roll-call-mark", args=[fixed.session.pk])
    client = client_as(Role.HEAD_TEACHER)
    response = client.post(url, {"enrolment": fixed.other.pk, "status": "late"})
    assert response.status_code == 302
    assert fixed.session.attendances.get(enrolment=fixed.other).status == L
    response = client.post(
        url, {"enrolment": fixed.other.pk, "status": "absent"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="roll"' in response.content.decode()
    assert fixed.session.attendances.get(enrolment=fixed.other).status == A


def test_marking_a_trainee_of_another_class_from_the_page_changes_nothing(
    client_as, fixed, college
):
    stranger = college.running.enrolments.first()
    url = reverse("checkin:roll-call-mark", args=[fixed.session.pk])
    response = client_as(Role.HEAD_TEACHER).post(
        url, {"enrolment": stranger.pk, "status": "present"}, follow=True
    )
    assert "not on this class&#x27;s roll" in response.content.decode()
    assert not fixed.session.attendances.exists()


def test_mark_all_absent_from_the_page(client_as, fixed):
    # The fixed session was in March 2025: check-in has long closed.
    url = reverse("checkin:roll-call-mark-absent", args=[fixed.session.pk])
    response = client_as(Role.STAFF).post(url, follow=True)
    assert response.status_code == 200
    assert fixed.session.attendances.filter(status=A).count() == 2


def test_the_page_refuses_to_mark_absent_during_check_in(client_as, live):
    url = reverse("checkin:roll-call-mark-absent", args=[live.session.pk])
    response = client_as(Role.HEAD_TEACHER).post(url, follow=True)
    assert "after it closes" in response.content.decode()
    assert not live.session.attendances.exists()


def test_roll_call_queries_do_not_grow_with_the_roster(client_as, fixed, college, make):
    client = client_as(Role.HEAD_TEACHER)
    url = reverse("checkin:roll-call", args=[fixed.session.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(15):
        cadre = make.cadre(college.communities_shenyang[i % 2])
        e = Enrolment.objects.create(
            **Enrolment.place_of(cadre),
            training_class=fixed.training_class,
            cadre=cadre,
            status=EnrolmentStatus.ENROLLED,
        )
        if i % 3:
            _mark(fixed, e, [P, L, V, A][i % 4])
    assert count() == few


def test_the_screen_shows_the_qr_code_and_counts_while_check_in_is_open(client_as, live):
    Attendance.objects.create(enrolment=live.trainee, session=live.session, status=P)
    response = client_as(Role.HEAD_TEACHER).get(reverse("checkin:screen", args=[live.session.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg viewBox="0 0' in html
    assert 'class="qr"' in html
    assert live.training_class.title in html
    assert 'hx-trigger="every 20s"' in html
    counts = response.context["counts"]
    assert (counts.checked_in, counts.expected) == (1, 2)


def test_the_screen_says_when_check_in_opens(client_as, fixed, live):
    response = client_as(Role.HEAD_TEACHER).get(reverse("checkin:screen", args=[fixed.session.pk]))
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    assert not response.context["is_open"]


def test_the_screen_refreshes_only_its_live_part(client_as, live):
    url = reverse("checkin:screen", args=[live.session.pk])
    response = client_as(Role.STAFF).get(url, headers={"HX-Request": "true"})
    html = response.content.decode().lstrip()
    assert html.startswith('<div id="screen-live"')
    assert "<svg" in html
    assert "<html" not in html


def test_the_class_attendance_page_lists_sessions_with_links(client_as, fixed):
    response = client_as(Role.HEAD_TEACHER).get(
        reverse("checkin:class-attendance", args=[fixed.training_class.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    for s in fixed.sessions:
        assert reverse("checkin:screen", args=[s.pk]) in html
        assert reverse("checkin:roll-call", args=[s.pk]) in html
