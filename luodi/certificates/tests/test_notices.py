"""Trainees are told when their certificate is issued: one notice for a class's bulk issue."""

import pytest

from conftest import PASSWORD, R, S
from luodi.accounts.models import Role, User
from luodi.certificates import services
from luodi.lib import audit
from luodi.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_certificate_issued_tells_its_trainee(
    college, users, outbox, django_capture_on_commit_callbacks
):
    enrolment = college.finished.enrolments.get(cadre=college.cadres_dalian[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_issue(enrolment=enrolment, by=users[S])
    notice = Notification.objects.get()
    assert (notice.user, notice.kind, notice.url) == (users[R], "certificate_issued", "/cadres/me/")
    assert college.finished.title in notice.text
    assert [m.to for m in outbox] == [college.cadres_dalian[0].phone]


def test_a_class_issue_tells_every_trainee_with_an_account_in_one_notice(
    college, users, django_capture_on_commit_callbacks
):
    second = User.objects.create_user(
        username="trainee2", password=PASSWORD, role=Role.TRAINEE, cadre=college.cadres_shenyang[0]
    )
    before = len(audit.recent("notification.send"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        issued = services.certificates_issue_for_class(training_class=college.finished, by=users[S])
    assert len(issued) == 4
    assert len(callbacks) == 1
    assert len(audit.recent("notification.send")) == before + 1
    told = set(Notification.objects.values_list("user", "kind"))
    assert told == {(users[R].pk, "certificate_issued"), (second.pk, "certificate_issued")}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.certificates_issue_for_class(training_class=college.finished, by=None) == []
    assert callbacks == []  # nobody left to issue to, nobody told
