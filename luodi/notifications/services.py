"""Sending notifications, and marking them read.

``notify`` is what other apps call, after their own write: it never sends inside the request.
It queues one background task for when the caller's transaction commits (so a refused or
rolled-back change notifies nobody), and the task writes the rows and sends the texts.
"""

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luodi.accounts.models import User
from luodi.lib import audit
from luodi.lib.messaging import DeliveryError, send_text
from luodi.notifications.models import DailyDigest, Notification, NotificationKind

logger = logging.getLogger(__name__)


def _user_ids(users: Iterable[Any]) -> list[int]:
    return sorted({u if isinstance(u, int) else u.pk for u in users})


def notify(
    *,
    users: Iterable[User | int],
    kind: str,
    text: str,
    url: str = "",
    by: User | None = None,
) -> list[int]:
    """Tell ``users`` (users or their ids) ``text``, linking to ``url`` (a path inside Luodi).

    The notification is written, and texted to each user's mobile when
    ``LUODI_NOTIFY_BY_TEXT`` is on, by a background task queued when the current transaction
    commits (at once outside a transaction). Returns the ids of the users to be notified."""
    kind = NotificationKind(kind).value  # an unknown kind fails here, in the caller
    user_ids = _user_ids(users)
    if not user_ids:
        return []
    text, url = str(text), str(url)
    audit.record("notification.send", by=by, kind=kind, recipients=len(user_ids))

    def enqueue() -> None:
        from luodi.notifications.tasks import deliver_notification

        deliver_notification.enqueue(user_ids=user_ids, kind=kind, text=text, url=url)

    transaction.on_commit(enqueue)
    return user_ids


def mobile_of(user: User) -> str:
    """The number a user's texts go to: their cadre's, or their teacher record's; "" if none."""
    for person in (
        user.cadre if user.cadre_id else None,
        user.teacher if user.teacher_id else None,
    ):
        if person is not None and person.phone:
            return str(person.phone)
    return ""


def notification_deliver(*, user_ids: list[int], kind: str, text: str, url: str = "") -> int:
    """Write one notification per active user and text it to them (the background task's
    work). The rows are written first, in one statement; the texts follow, outside any
    transaction (a slow gateway holds no lock). A text the gateway refuses is logged: the
    notification is in the list anyway. Returns the number of notifications written."""
    users = list(
        User.objects.filter(pk__in=user_ids, is_active=True).select_related("cadre", "teacher")
    )
    Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, text=text, url=url) for u in users]
    )
    if settings.LUODI_NOTIFY_BY_TEXT:
        link = settings.LUODI_PUBLIC_URL.rstrip("/") + url if url else ""
        for user in users:
            mobile = mobile_of(user)
            if not mobile:
                continue
            try:
                send_text(to=mobile, text=text, kind="notice", params={"kind": kind, "url": link})
            except DeliveryError as exc:
                logger.warning("A %s notice to user %s was not delivered: %s", kind, user.pk, exc)
    return len(users)


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of ``by``'s own notifications read (opening it does)."""
    if notification.user_id != by.pk:
        raise PermissionError("A notification is marked read only by its own user.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        audit.record("notification.read", by=by, obj=notification)
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of ``by`` read; return how many were."""
    now = timezone.now()
    count = Notification.objects.visible_to(by).unread().update(read_at=now, updated_at=now)
    if count:
        audit.record("notification.read_all", by=by, count=count)
    return count


def daily_digest_claim(*, user: User, day: date) -> bool:
    """Record that ``user``'s digest for ``day`` is being sent; False if it already was (the
    unique row makes two runs, even at once, send it once). Call it in the transaction that
    calls ``notify``, so that a failed run leaves the day unclaimed."""
    _digest, created = DailyDigest.objects.get_or_create(user=user, day=day)
    return created
