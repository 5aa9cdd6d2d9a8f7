"""Login lockout with django-axes: the backend that refuses a locked-out attempt before any
password is hashed, the lockout page that says when to try again, and unlocking.

Settings (``luodi/settings.py``, security block): ``AXES_FAILURE_LIMIT`` failures within
``AXES_COOLOFF_TIME`` of each other lock the username, and the IP address unless
``LUODI_LOCKOUT_BY_IP`` is off, until the newest counted failure is ``AXES_COOLOFF_TIME`` old.
"""

import datetime as dt

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from luodi.lib import audit


class LockoutBackend(AxesStandaloneBackend):
    """django-axes's backend, first in AUTHENTICATION_BACKENDS: a locked-out attempt stops here,
    so the password backend never runs (no password hash is computed). It marks the request so
    the audit records the attempt as refused by the lockout, not as a wrong password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.luodi_refused_by_lockout = True
            raise


def locked_until(request: HttpRequest, credentials: dict | None = None) -> dt.datetime | None:
    """When the lock on this request's username or IP address lifts (the later of the two), or
    None if neither is locked."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    limit = get_failure_limit(request, credentials)
    until = None
    handler = AxesDatabaseHandler()
    for attempts in handler.get_user_attempts(request, credentials):
        # Newest first: the lock holds while the newest rows still add up to the limit, and
        # lifts when the row that reaches the limit ages out of the window.
        counted = 0
        for attempt in attempts.order_by("-attempt_time"):
            counted += attempt.failures_since_start
            if counted >= limit:
                lifts = attempt.attempt_time + cool_off
                until = lifts if until is None else max(until, lifts)
                break
    return until


def lockout_response(
    request: HttpRequest, original_response=None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): status 429, when to retry."""
    from django.conf import settings

    until = locked_until(request, credentials) or timezone.now() + get_cool_off(request)
    context = {
        "retry_at": timezone.localtime(until),
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(
        request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


@transaction.atomic
def unlock(*, by, attempts: QuerySet[AccessAttempt]) -> int:
    """Delete the failure counters ``attempts`` (their usernames and addresses may log in again
    at once); one audit event per counter. Returns how many were deleted."""
    count = 0
    for attempt in attempts.select_for_update():
        audit.record(
            "auth.unlocked",
            by=by,
            username=attempt.username or "",
            ip_address=attempt.ip_address or "",
            failures=attempt.failures_since_start,
        )
        attempt.delete()
        count += 1
    return count
