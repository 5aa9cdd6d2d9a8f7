"""notify(): nothing is written or sent before the caller's transaction commits; then one
background task writes a row per user and texts those with a mobile number."""

import pytest
from django.db import transaction

from conftest import H, R, S
from luodi.lib import audit
from luodi.lib.messaging import DeliveryError, MemoryBackend
from luodi.notifications.models import Notification, NotificationKind
from luodi.notifications.services import mobile_of, notification_deliver, notify

pytestmark = pytest.mark.django_db


def send(users, **kw):
    return notify(
        users=users,
        kind=kw.pop("kind", NotificationKind.LEAVE_DECIDED),
        text=kw.pop("text", "Your leave was approved."),
        url=kw.pop("url", "/checkin/"),
        **kw,
    )


def test_it_writes_and_texts_nothing_before_the_commit(
    users, college, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send([users[R]])
    assert len(callbacks) == 1
    assert not Notification.objects.exists()
    assert outbox == []


def test_it_writes_a_row_per_user_and_texts_them_on_commit(
    users, college, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send([users[R], users[H].pk, users[S]], by=users[S])
    rows = Notification.objects.order_by("user_id")
    assert [(n.user, n.kind, n.text, n.url) for n in rows] == [
        (u, "leave_decided", "Your leave was approved.", "/checkin/")
        for u in sorted((users[R], users[H], users[S]), key=lambda u: u.pk)
    ]
    assert all(n.read_at is None for n in rows)
    # The trainee has a cadre's mobile, the head teacher a teacher record without one, the
    # staff member neither: one text.
    assert [(m.to, m.kind, m.text) for m in outbox] == [
        (college.cadres_dalian[0].phone, "notice", "Your leave was approved.")
    ]
    assert outbox[0].params["url"].endswith("/checkin/")


def test_it_records_one_audit_event_per_call(users, college, django_capture_on_commit_callbacks):
    before = len(audit.recent("notification.send"))
    with django_capture_on_commit_callbacks(execute=True):
        send([users[R], users[H]], by=users[S])
    events = audit.recent("notification.send")[before:]
    assert len(events) == 1
    assert events[0]["user_id"] == users[S].pk
    assert events[0]["details"] == {"kind": "leave_decided", "recipients": "2"}


def test_it_notifies_nobody_when_the_change_rolls_back(
    users, college, outbox, django_capture_on_commit_callbacks
):
    def change_then_fail():
        with transaction.atomic():
            send([users[R]])
            raise RuntimeError

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        change_then_fail()
    assert callbacks == []
    assert not Notification.objects.exists()
    assert outbox == []


def test_it_keeps_texts_in_the_app_when_texting_is_off(
    users, college, outbox, settings, django_capture_on_commit_callbacks
):
    settings.LUODI_NOTIFY_BY_TEXT = False
    with django_capture_on_commit_callbacks(execute=True):
        send([users[R]])
    assert Notification.objects.filter(user=users[R]).count() == 1
    assert outbox == []


def test_a_refused_text_is_logged_and_the_notification_kept(
    users, college, outbox, monkeypatch, caplog
):
    def refuse(self, message):
        raise DeliveryError("provider down")

    monkeypatch.setattr(MemoryBackend, "deliver", refuse)
    written = notification_deliver(
        user_ids=[users[R].pk], kind=NotificationKind.CERTIFICATE_ISSUED, text="Issued."
    )
    assert written == 1
    assert Notification.objects.get().user == users[R]
    assert "not delivered" in caplog.text


def test_it_skips_inactive_users_and_unknown_kinds(users, college):
    users[H].is_active = False
    users[H].save()
    assert notification_deliver(user_ids=[users[H].pk, users[R].pk], kind="digest", text="x") == 1
    with pytest.raises(ValueError, match="no_such_kind"):
        notify(users=[users[R]], kind="no_such_kind", text="x")


def test_it_does_nothing_for_nobody(django_capture_on_commit_callbacks, db):
    with django_capture_on_commit_callbacks() as callbacks:
        assert notify(users=[], kind=NotificationKind.DIGEST, text="x") == []
    assert callbacks == []


def test_a_users_mobile_is_their_cadres_or_their_teacher_records(users, college):
    assert mobile_of(users[R]) == college.cadres_dalian[0].phone
    assert mobile_of(users[S]) == ""
    college.teacher.phone = "13800138000"
    college.teacher.save()
    users[H].refresh_from_db()
    assert mobile_of(users[H]) == "13800138000"
