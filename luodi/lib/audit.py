"""The one audit hook every service calls when it changes a record or discloses personal data.

``record`` scrubs what it is given (no password, token or secret; ID and phone numbers masked),
writes one structured line to the ``luodi.audit`` logger, keeps the event in a bounded list in
memory (``recent``, for tests) and hands it to the sink the audit app registers at start-up
(``luodi.audit``: one append-only row per event). ``lib`` knows nothing of that app.

The request being served, if any, is bound by the audit app's middleware (``bind_request``):
``record`` takes the client's IP address from it, and the user when ``by`` is not given.
Background jobs and commands have no request: their events carry no IP address.

An event recorded inside a transaction that rolls back is rolled back with it: a refused
action leaves no row for the change it did not make. Refusals themselves are recorded outside
the services' transactions (the middleware records every 403), so they persist.
"""

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, models

from luodi.lib.client_ip import client_ip as shared_client_ip
from luodi.lib.personal import mask_id_number, mask_phone

logger = logging.getLogger("luodi.audit")

# Recent events, kept in memory so that tests can assert a service recorded what it did.
_recent: list[dict[str, Any]] = []
_RECENT_MAX = 1000

# Where events go besides the logger: the audit app's table (set in its ``ready``).
Sink = Callable[[dict[str, Any]], None]
_sink: Sink | None = None

_request: ContextVar[Any] = ContextVar("luodi_audit_request", default=None)

# Keys whose values are never kept, whatever the caller passes. Not a secretary (a post: the
# hours target of party secretaries), nor a check-in code's period (``checkin_token_seconds``).
_SECRET_KEY = re.compile(
    r"passw|passphrase|token(?!_seconds)|secret(?!ar)|credential|api_?key|(^|_)otp($|_)",
    re.IGNORECASE,
)
# An 18-character mainland ID number, or an 11-digit mobile number, inside any text.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
REMOVED = "[removed]"


def set_sink(sink: Sink | None) -> None:
    """Send every recorded event to ``sink`` too (the audit app's table)."""
    global _sink
    _sink = sink


@contextmanager
def bind_request(request) -> Iterator[None]:
    """Let events recorded while ``request`` is served carry its IP address and user."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def current_request():
    return _request.get()


def client_ip(request) -> str:
    """The client's address (``luodi.lib.client_ip``: REMOTE_ADDR, or behind
    ``LUODI_PROXY_COUNT`` trusted proxies the address the outermost one saw); "" without a
    request."""
    if request is None:
        return ""
    return (shared_client_ip(request) or "")[:45]


def scrub_text(text: str) -> str:
    """Mask every ID number and mobile number in ``text``, and drop NUL characters (a hostile
    URL may hold one; PostgreSQL cannot store it)."""
    text = text.replace("\x00", "")
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return _PHONE.sub(lambda m: mask_phone(m.group()), text)


def scrub(value: Any) -> Any:
    """``value`` fit for the log: secrets' values removed (by key), ID and phone numbers
    masked, everything else as text (lists and mappings kept as such)."""
    if isinstance(value, dict):
        return {
            str(k): REMOVED if _SECRET_KEY.search(str(k)) else scrub(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(v) for v in value]
    return scrub_text(str(value))


def _actor(by: Any, request) -> Any:
    if by is None and request is not None:
        by = getattr(request, "user", None)
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    return by


def record(
    event: str,
    *,
    by: Any = None,
    obj: models.Model | None = None,
    outcome: str = "ok",
    **details: Any,
) -> dict[str, Any]:
    """Record that ``by`` did ``event`` (e.g. ``"enrolment.override"``) to ``obj``.

    ``by`` defaults to the user of the request being served. Details are scrubbed: a key that
    names a password, token or secret loses its value; ID and phone numbers are masked."""
    request = current_request()
    actor = _actor(by, request)
    entry: dict[str, Any] = {
        "event": event,
        "user_id": getattr(actor, "pk", None),
        "username": actor.get_username() if actor is not None else "",
        "ip": client_ip(request),
        "object": f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else "",
        "object_repr": scrub_text(_text_of(obj))[:200] if obj is not None else "",
        "outcome": outcome,
        "details": {
            k: REMOVED if _SECRET_KEY.search(k) else _flat(scrub(v)) for k, v in details.items()
        },
    }
    logger.info("%s", entry)
    _recent.append(entry)
    del _recent[:-_RECENT_MAX]
    if _sink is not None:
        _sink(entry)
    return entry


class _WouldQuery(Exception):
    pass


def _refuse_queries(execute, sql, params, many, context):
    raise _WouldQuery


def _text_of(obj: models.Model) -> str:
    """What ``obj`` reads as, if that takes no query (its ``__str__`` may read related rows
    not loaded: the busiest paths, such as a check-in, must not pay for that); otherwise its
    type and id, which the row holds anyway."""
    try:
        with connection.execute_wrapper(_refuse_queries):
            return str(obj)
    except _WouldQuery:
        return f"{obj._meta.verbose_name} {obj.pk}"


def _flat(value: Any) -> str:
    # Details have always been kept as text (callers and tests read them so).
    return value if isinstance(value, str) else str(value)


def recent(event: str | None = None) -> list[dict[str, Any]]:
    """Events recorded in this process, newest last (for tests and the shell)."""
    return [e for e in _recent if event is None or e["event"] == event]
