"""Leave (请假): the trainee asks, the head teacher decides, the limit is watched."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.checkin.leave import (
    leave_forecast,
    leave_hours,
    leave_limit,
    leave_request_create,
    leave_request_decide,
    pending_reviews,
)
from luodi.training.models import Attendance, AttendanceStatus, LeaveRequest, LeaveStatus

pytestmark = pytest.mark.django_db


def ask(fixed, sessions=None, reason="家中老人住院，需要陪护。"):
    return leave_request_create(
        enrolment=fixed.trainee,
        sessions=fixed.sessions[:1] if sessions is None else sessions,
        reason=reason,
        by=None,
    )


def test_it_creates_a_pending_request(fixed):
    request = ask(fixed, sessions=fixed.sessions[:2])
    assert request.status == LeaveStatus.PENDING
    assert set(request.sessions.all()) == set(fixed.sessions[:2])
    assert request.reason == "家中老人住院，需要陪护。"


@pytest.mark.parametrize(
    ("sessions", "reason", "message"),
    [
        ([], "生病", "at least one session"),
        (None, "   ", "reason"),
    ],
)
def test_it_refuses_a_request_without_sessions_or_reason(fixed, sessions, reason, message):
    with pytest.raises(ValidationError) as refused:
        ask(fixed, sessions=sessions, reason=reason)
    assert message in refused.value.messages[0]
    assert not LeaveRequest.objects.exists()


def test_it_refuses_sessions_of_another_class(fixed, college):
    with pytest.raises(ValidationError) as refused:
        ask(fixed, sessions=[college.sessions[0]])
    assert "your own class" in refused.value.messages[0]
    assert not LeaveRequest.objects.exists()


def test_it_refuses_a_trainee_who_is_not_enrolled(fixed):
    with pytest.raises(ValidationError):
        leave_request_create(
            enrolment=fixed.nominated, sessions=fixed.sessions[:1], reason="有事", by=None
        )


def test_it_refuses_leave_from_a_session_already_attended(fixed):
    Attendance.objects.create(
        enrolment=fixed.trainee, session=fixed.sessions[0], status=AttendanceStatus.PRESENT
    )
    with pytest.raises(ValidationError) as refused:
        ask(fixed)
    assert "already checked in" in refused.value.messages[0]


def test_approval_marks_the_sessions_leave(fixed, users):
    Attendance.objects.create(
        enrolment=fixed.trainee, session=fixed.sessions[1], status=AttendanceStatus.ABSENT
    )
    request = ask(fixed, sessions=fixed.sessions[:2])
    decided = leave_request_decide(
        leave_request=request, approve=True, by=users[Role.HEAD_TEACHER], note="同意"
    )
    assert (decided.status, decided.decision_note) == (LeaveStatus.APPROVED, "同意")
    assert decided.decided_by == users[Role.HEAD_TEACHER]
    assert decided.decided_at
    marks = dict(fixed.trainee.attendances.values_list("session_id", "status"))
    assert marks == {fixed.sessions[0].pk: "leave", fixed.sessions[1].pk: "leave"}
    assert leave_hours(fixed.trainee) == Decimal(6)


def test_approval_keeps_a_session_the_trainee_came_to_after_all(fixed, users):
    request = ask(fixed, sessions=fixed.sessions[:2])
    Attendance.objects.create(
        enrolment=fixed.trainee, session=fixed.sessions[0], status=AttendanceStatus.LATE
    )
    leave_request_decide(leave_request=request, approve=True, by=users[Role.STAFF])
    marks = dict(fixed.trainee.attendances.values_list("session_id", "status"))
    assert marks == {fixed.sessions[0].pk: "late", fixed.sessions[1].pk: "leave"}


def test_refusal_changes_no_attendance(fixed, users):
    request = ask(fixed)
    decided = leave_request_decide(
        leave_request=request, approve=False, by=users[Role.HEAD_TEACHER], note="课程重要"
    )
    assert decided.status == LeaveStatus.REFUSED
    assert not fixed.trainee.attendances.exists()


def test_a_request_is_decided_only_once(fixed, users):
    request = ask(fixed)
    leave_request_decide(leave_request=request, approve=False, by=users[Role.HEAD_TEACHER])
    with pytest.raises(ValidationError) as refused:
        leave_request_decide(leave_request=request, approve=True, by=users[Role.STAFF])
    assert "already been decided" in refused.value.messages[0]
    assert not fixed.trainee.attendances.exists()


def _half(class_type):
    class_type.max_leave_numerator, class_type.max_leave_denominator = 1, 2
    class_type.save()


def test_the_limit_is_the_class_hours_times_the_leave_fraction(fixed):
    # Three sessions of 3 h: 9 h × 1/7, shown to the hundredth.
    assert leave_limit(fixed.training_class) == Decimal("1.29")
    _half(fixed.training_class.class_type)
    assert leave_limit(fixed.training_class) == Decimal("4.5")


def test_the_review_warns_when_approval_would_pass_the_limit(fixed):
    # The limit is 9/7 h, so a single 3-hour session is over it.
    review = pending_reviews(fixed.training_class)
    assert review == []
    ask(fixed)
    (review,) = pending_reviews(fixed.training_class)
    assert (review.leave_now, review.hours_asked, review.leave_after) == (0, 3, 3)
    assert review.over_limit


def test_the_review_does_not_warn_within_the_limit(fixed):
    _half(fixed.training_class.class_type)
    ask(fixed)
    (review,) = pending_reviews(fixed.training_class)
    assert review.limit == Decimal("4.5")
    assert not review.over_limit


def test_the_review_counts_leave_already_taken(fixed):
    _half(fixed.training_class.class_type)
    Attendance.objects.create(
        enrolment=fixed.trainee, session=fixed.sessions[2], status=AttendanceStatus.LEAVE
    )
    ask(fixed)
    (review,) = pending_reviews(fixed.training_class)
    assert (review.leave_now, review.leave_after) == (3, 6)
    assert review.over_limit


# ---- pages ----------------------------------------------------------------------------------


def test_a_trainee_asks_for_leave_on_the_phone_page(client_as, fixed):
    _half(fixed.training_class.class_type)  # 3 h of 9 h is within the limit: no warning
    url = reverse("checkin:leave-new", args=[fixed.trainee.pk])
    client = client_as(Role.TRAINEE)
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["form"].fields["sessions"].queryset) == 3
    response = client.post(
        url, {"sessions": [fixed.sessions[1].pk], "reason": "社区防汛值班"}, follow=True
    )
    assert response.status_code == 200
    assert "sent to the head teacher" in response.content.decode()
    request = LeaveRequest.objects.get()
    assert (request.enrolment, list(request.sessions.all())) == (fixed.trainee, [fixed.sessions[1]])


def test_the_phone_page_offers_only_sessions_not_yet_attended_or_on_leave(client_as, fixed):
    present, leave, missed = fixed.sessions
    Attendance.objects.create(enrolment=fixed.trainee, session=present, status="present")
    Attendance.objects.create(enrolment=fixed.trainee, session=leave, status="leave")
    Attendance.objects.create(enrolment=fixed.trainee, session=missed, status="absent")
    # Someone else's attendance changes nothing for 宋娟.
    Attendance.objects.create(enrolment=fixed.other, session=missed, status="present")
    page = client_as(Role.TRAINEE).get(reverse("checkin:leave-new", args=[fixed.trainee.pk]))
    assert list(page.context["form"].fields["sessions"].queryset) == [missed]


def test_the_phone_page_explains_a_refusal(client_as, fixed):
    url = reverse("checkin:leave-new", args=[fixed.trainee.pk])
    response = client_as(Role.TRAINEE).post(url, {"sessions": [], "reason": "有事"})
    assert response.status_code == 200
    assert "Choose at least one session" in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_a_trainee_cannot_ask_leave_on_someone_elses_enrolment(client_as, fixed):
    url = reverse("checkin:leave-new", args=[fixed.other.pk])
    response = client_as(Role.TRAINEE).post(
        url, {"sessions": [fixed.sessions[0].pk], "reason": "x"}
    )
    assert response.status_code == 404
    assert not LeaveRequest.objects.exists()


def test_the_head_teacher_sees_the_warning_before_approving(client_as, fixed):
    ask(fixed)
    url = reverse("checkin:class-leave", args=[fixed.training_class.pk])
    response = client_as(Role.HEAD_TEACHER).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="over-limit"' in html
    assert html.index('data-testid="over-limit"') < html.index('value="approve"')


def test_the_head_teacher_approves_from_the_page(client_as, fixed):
    request = ask(fixed)
    url = reverse("checkin:leave-decide", args=[request.pk])
    response = client_as(Role.HEAD_TEACHER).post(
        url, {"decision": "approve", "note": "注意补课"}, follow=True
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert (request.status, request.decision_note) == (LeaveStatus.APPROVED, "注意补课")
    assert fixed.trainee.attendances.get().status == AttendanceStatus.LEAVE


def test_another_head_teacher_cannot_decide(client, fixed, other_head_teacher):
    request = ask(fixed)
    client.force_login(other_head_teacher)
    url = reverse("checkin:leave-decide", args=[request.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    request.refresh_from_db()
    assert request.status == LeaveStatus.PENDING


def test_deciding_needs_a_post(client_as, fixed):
    request = ask(fixed)
    url = reverse("checkin:leave-decide", args=[request.pk])
    assert client_as(Role.HEAD_TEACHER).get(url).status_code == 405


# ---- issue 8 §4: warned before sending, one request per session -----------------------------


def test_a_request_for_a_session_already_asked_for_is_refused(fixed):
    ask(fixed, sessions=fixed.sessions[:2])
    with pytest.raises(ValidationError, match="already asked leave") as refused:
        ask(fixed, sessions=fixed.sessions[1:])
    assert refused.value.code == "overlap"
    assert LeaveRequest.objects.count() == 1


def test_a_refused_request_may_be_asked_again(fixed, users):
    first = ask(fixed)
    leave_request_decide(leave_request=first, approve=False, by=users[Role.HEAD_TEACHER])
    assert ask(fixed).status == LeaveStatus.PENDING


def test_the_forecast_counts_leave_taken_and_requests_still_pending(fixed):
    _half(fixed.training_class.class_type)  # limit 4.5 h of 9 h
    assert not leave_forecast(fixed.trainee, fixed.sessions[:1]).over_limit  # 3 h
    ask(fixed, sessions=fixed.sessions[:1])  # 3 h pending
    forecast = leave_forecast(fixed.trainee, fixed.sessions[1:2])
    assert (forecast.taken, forecast.pending, forecast.asked) == (0, 3, 3)
    assert forecast.over_limit
    assert forecast.remaining == Decimal("1.5")


def test_the_trainee_is_warned_before_sending_a_request_over_the_limit(client_as, fixed):
    url = reverse("checkin:leave-new", args=[fixed.trainee.pk])
    client = client_as(Role.TRAINEE)
    form = {"sessions": [fixed.sessions[0].pk], "reason": "社区防汛值班"}
    page = client.post(url, form)  # 3 h against a limit of 9/7 h
    assert page.status_code == 200
    assert 'data-testid="over-limit"' in page.content.decode()
    assert page.context["forecast"].over_limit
    assert not LeaveRequest.objects.exists()  # nothing sent yet
    client.post(url, {**form, "over_limit_ok": "1"})
    assert LeaveRequest.objects.get().status == LeaveStatus.PENDING


def test_the_page_no_longer_offers_a_session_already_asked_for(client_as, fixed):
    ask(fixed, sessions=fixed.sessions[:1])
    page = client_as(Role.TRAINEE).get(reverse("checkin:leave-new", args=[fixed.trainee.pk]))
    assert fixed.sessions[0] not in page.context["form"].fields["sessions"].queryset
