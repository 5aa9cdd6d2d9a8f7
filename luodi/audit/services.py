"""Writing audit rows and purging old ones."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.audit.models import AuditEvent
from luodi.lib import audit

# Cybersecurity Law art. 21: network logs kept for no less than six months.
MINIMUM_RETENTION_DAYS = 180


def event_write(entry: dict[str, Any]) -> AuditEvent:
    """The sink of ``luodi.lib.audit.record``: one row for one scrubbed event."""
    object_type, _sep, object_id = entry["object"].partition(":")
    return AuditEvent.objects.create(
        user_id=entry["user_id"],
        username=entry["username"][:150],
        ip=entry["ip"],
        event=entry["event"][:60],
        object_type=object_type[:60],
        object_id=object_id[:40],
        object_repr=entry["object_repr"][:200],
        outcome=str(entry["outcome"])[:20],
        details=entry["details"],
    )


def retention_days() -> int:
    """The configured retention, never below the legal minimum."""
    configured = getattr(settings, "LUODI_AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    return max(int(configured), MINIMUM_RETENTION_DAYS)


def events_purge(*, days: int, by: Any = None) -> int:
    """Delete audit events and model-change history older than ``days`` days (at least the
    retention); record the purge."""
    if days < retention_days():
        raise ValueError(
            _("Audit events are kept at least %(days)d days; %(asked)d is too few.")
            % {"days": retention_days(), "asked": days}
        )
    from auditlog.models import LogEntry

    cutoff = timezone.now() - timedelta(days=days)
    count = AuditEvent.objects.purge_before(cutoff)
    count += LogEntry.objects.filter(timestamp__lt=cutoff).delete()[0]
    audit.record("audit.purge", by=by, days=days, before=cutoff.isoformat(), count=count)
    return count
