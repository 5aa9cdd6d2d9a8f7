"""The background task that writes notifications and texts them (queued by ``notify``)."""

from django_tasks import task

from luodi.notifications.services import notification_deliver


@task()
def deliver_notification(*, user_ids: list[int], kind: str, text: str, url: str = "") -> int:
    return notification_deliver(user_ids=user_ids, kind=kind, text=text, url=url)
