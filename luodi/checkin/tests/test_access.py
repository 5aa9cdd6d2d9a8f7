"""Who may open which check-in page: every role, anonymous users, and a head teacher of
another class."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import A, H, R, S, T, V
from luodi.accounts.models import Role
from luodi.checkin import tokens
from luodi.training.models import Attendance, AttendanceStatus, LeaveRequest

pytestmark = pytest.mark.django_db


# page: (URL builder, method, roles that succeed). The class pages belong to the stock head
# teacher's class; the trainee pages to the stock trainee 宋娟.
PAGES = {
    "home": (lambda x: reverse("checkin:home"), "get", {R}),
    "check-in": (
        lambda x: tokens.check_in_path(x.session.pk, tokens.token_for(x.session.pk, x.now)),
        "get",
        {R},
    ),
    "my-session": (lambda x: reverse("checkin:my-session", args=[x.session.pk]), "get", {R}),
    "leave-new": (lambda x: reverse("checkin:leave-new", args=[x.trainee.pk]), "get", {R}),
    "reflection": (lambda x: reverse("checkin:reflection", args=[x.trainee.pk]), "get", {R}),
    "class-attendance": (
        lambda x: reverse("checkin:class-attendance", args=[x.training_class.pk]),
        "get",
        {A, S, H, V},  # a supervisor reads it
    ),
    "class-leave": (
        lambda x: reverse("checkin:class-leave", args=[x.training_class.pk]),
        "get",
        {A, S, H},
    ),
    "screen": (lambda x: reverse("checkin:screen", args=[x.session.pk]), "get", {A, S, H}),
    "roll-call": (lambda x: reverse("checkin:roll-call", args=[x.session.pk]), "get", {A, S, H}),
    "roll-call-mark": (
        lambda x: reverse("checkin:roll-call-mark", args=[x.session.pk]),
        "post",
        {A, S, H},
    ),
    "roll-call-mark-absent": (
        lambda x: reverse("checkin:roll-call-mark-absent", args=[x.session.pk]),
        "post",
        {A, S, H},
    ),
    "leave-decide": (
        lambda x: reverse("checkin:leave-decide", args=[x.leave_request.pk]),
        "post",
        {A, S, H},
    ),
}
TRAINEE_PAGES = {"home", "check-in", "my-session", "leave-new", "reflection"}


@pytest.fixture
def world(live):
    live.now = timezone.now()
    live.leave_request = LeaveRequest.objects.create(enrolment=live.other, reason="病假")
    # Another cadre's attendance at the session: nobody but them sees it on "my-session".
    Attendance.objects.create(
        enrolment=live.other, session=live.session, status=AttendanceStatus.PRESENT
    )
    return live


def _request(client, page, world):
    url, method, _allowed = PAGES[page]
    data = {"enrolment": world.other.pk, "status": "late", "decision": "refuse"}
    return getattr(client, method)(url(world), data if method == "post" else None)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", list(PAGES))
def test_each_role_gets_exactly_its_pages(client, users, world, role, page):
    if page == "my-session" and role == R:
        Attendance.objects.create(
            enrolment=world.trainee, session=world.session, status=AttendanceStatus.LEAVE
        )
    client.force_login(users[role])
    response = _request(client, page, world)
    allowed = PAGES[page][2]
    if role in allowed:
        assert response.status_code in (200, 302), (role, page, response.status_code)
    elif role == A and page in TRAINEE_PAGES:
        # The administrator holds every permission but is nobody's trainee.
        assert response.status_code in (403, 404), (page, response.status_code)
    else:
        assert response.status_code == 403, (role, page, response.status_code)


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_users_are_sent_to_log_in(client, world, page):
    response = _request(client, page, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("page", [p for p in PAGES if p not in TRAINEE_PAGES])
def test_a_head_teacher_of_another_class_is_refused(client, other_head_teacher, world, page):
    client.force_login(other_head_teacher)
    assert _request(client, page, world).status_code == 403


def test_nothing_was_changed_by_refused_requests(client, other_head_teacher, world, users):
    for user in (other_head_teacher, users[R], users[T], users[V]):
        client.force_login(user)
        for page in ("roll-call-mark", "roll-call-mark-absent", "leave-decide"):
            _request(client, page, world)
    world.leave_request.refresh_from_db()
    assert world.leave_request.status == "pending"
    assert Attendance.objects.get(enrolment=world.other).status == AttendanceStatus.PRESENT
    assert not Attendance.objects.filter(enrolment=world.trainee).exists()


@pytest.mark.parametrize("page", ["my-session", "leave-new", "reflection"])
def test_a_trainee_sees_only_their_own_records(client, other_trainee, world, page):
    """The other trainee is not in this class: 宋娟's enrolment and attendance are 404."""
    client.force_login(other_trainee)
    assert _request(client, page, world).status_code == 404
