"""The one audit hook every service calls when it changes a record or discloses personal data.

``record`` writes one structured line to the ``luodi.audit`` logger for now. The security issue
replaces its body with an append-only table (time, user, IP, event, object, outcome); callers do
not change. Never pass a password, a token or a full ID number in ``details``.
"""

import logging
from typing import Any

from django.db import models

logger = logging.getLogger("luodi.audit")

# Recent events, kept in memory so that tests can assert a service recorded what it did.
_recent: list[dict[str, Any]] = []
_RECENT_MAX = 1000


def record(
    event: str,
    *,
    by: Any = None,
    obj: models.Model | None = None,
    outcome: str = "ok",
    **details: Any,
) -> dict[str, Any]:
    """Record that ``by`` did ``event`` (e.g. ``"enrolment.override"``) to ``obj``."""
    entry = {
        "event": event,
        "user_id": getattr(by, "pk", None),
        "object": f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else "",
        "outcome": outcome,
        "details": {k: str(v) for k, v in details.items()},
    }
    logger.info("%s", entry)
    _recent.append(entry)
    del _recent[:-_RECENT_MAX]
    return entry


def recent(event: str | None = None) -> list[dict[str, Any]]:
    """Events recorded in this process, newest last (for tests and the shell)."""
    return [e for e in _recent if event is None or e["event"] == event]
