"""The trainee is told how their leave request was decided."""

import pytest
from django.core.exceptions import ValidationError

from conftest import H, R
from luodi.checkin.leave import leave_request_create, leave_request_decide
from luodi.notifications.models import Notification

pytestmark = pytest.mark.django_db


def ask(fixed, users):
    return leave_request_create(
        enrolment=fixed.trainee, sessions=fixed.sessions[:1], reason="家中有事", by=users[R]
    )


@pytest.mark.parametrize(("approve", "word"), [(True, "approved"), (False, "refused")])
def test_a_decision_tells_the_trainee(
    fixed, users, outbox, approve, word, django_capture_on_commit_callbacks
):
    request = ask(fixed, users)
    with django_capture_on_commit_callbacks(execute=True):
        leave_request_decide(leave_request=request, approve=approve, by=users[H], note="注意补课")
    notice = Notification.objects.get()
    assert (notice.user, notice.kind, notice.url) == (users[R], "leave_decided", "/checkin/")
    assert word in notice.text
    assert fixed.training_class.title in notice.text
    assert "注意补课" in notice.text
    assert len(outbox) == 1


def test_a_refused_decision_tells_nobody(fixed, users, django_capture_on_commit_callbacks):
    request = ask(fixed, users)
    with django_capture_on_commit_callbacks(execute=True):
        leave_request_decide(leave_request=request, approve=True, by=users[H])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError, match="already"),
    ):
        leave_request_decide(leave_request=request, approve=False, by=users[H])
    assert callbacks == []
    assert [n.text.split()[-1] for n in Notification.objects.all()] == ["approved."]
