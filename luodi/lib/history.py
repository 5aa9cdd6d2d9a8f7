"""Model-change history for rows written in bulk.

django-auditlog records a model's changes from its save and delete signals; ``bulk_create``
and ``QuerySet.update`` send none. Services that write many rows at once (a class's results,
its certificates) call ``record_bulk`` with what they changed, so the history has one entry
per row all the same, in one INSERT."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

# (primary key, what the row reads as, {field: (old, new)})
Change = tuple[Any, str, dict[str, tuple[Any, Any]]]


def record_bulk(model: type[models.Model], changes: Iterable[Change], *, by: Any, created=False):
    """One history entry per row of ``model`` changed (or ``created``) in bulk by ``by``; the
    IP address is the request's, as for entries auditlog writes itself."""
    from auditlog.models import LogEntry

    from luodi.lib import audit

    # auditlog's own context outlives its request (it is never reset): read the request
    # the audit middleware binds instead.
    request = audit.current_request()
    if not getattr(by, "is_authenticated", False):
        by = getattr(request, "user", None)
    actor = by if getattr(by, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(model)
    action = LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE
    now = timezone.now()
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk if isinstance(pk, int) else None,
            object_repr=text[:200],
            action=action,
            changes={f: [str(old), str(new)] for f, (old, new) in fields.items()},
            actor=actor,
            actor_email=getattr(actor, "email", None) if actor else None,
            remote_addr=audit.client_ip(request) or None,
            timestamp=now,
        )
        for pk, text, fields in changes
        if fields
    ]
    LogEntry.objects.bulk_create(entries, batch_size=500)
