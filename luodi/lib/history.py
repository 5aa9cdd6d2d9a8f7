"""Model-change history for rows written in bulk.

django-auditlog records a model's changes from its save and delete signals; ``bulk_create``
and ``QuerySet.update`` send none. Services that write many rows at once (a class's results,
its certificates) call ``record_bulk`` with what they changed, so the history has one entry
per row all the same, in one INSERT."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from luodi.lib.bulk import insert_rows

BATCH = 50_000  # rows per executemany or COPY

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
    content_type = ContentType.objects.get_for_model(model).pk
    action = LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    actor_id = actor.pk if actor else None
    email = getattr(actor, "email", None) if actor else None
    address = audit.client_ip(request) or None
    as_json = LogEntry._meta.get_field("changes").get_db_prep_save
    # The rows LogEntry.objects.bulk_create would write, as plain tuples: a class's results or
    # certificates make one entry a trainee, a million at a province's scale (lib.bulk).
    rows = [
        (
            content_type,
            str(pk),
            pk if isinstance(pk, int) else None,
            text[:200],
            action,
            as_json({f: [str(old), str(new)] for f, (old, new) in fields.items()}, connection),
            actor_id,
            email,
            address,
            stamp,
        )
        for pk, text, fields in changes
        if fields
    ]
    columns = "content_type object_pk object_id object_repr action changes actor actor_email "
    columns += "remote_addr timestamp"
    for first in range(0, len(rows), BATCH):
        insert_rows(LogEntry, columns, rows[first : first + BATCH], blank="changes_text")
