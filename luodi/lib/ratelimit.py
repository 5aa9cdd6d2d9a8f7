"""Requests per client address per minute, for pages anyone may call (certificate verification).

The counters live in the ``shared`` cache (a database table), so every gunicorn worker counts
the same requests. A window is a fixed minute; a client may send up to twice the limit across a
window boundary, which is enough to keep a person typing serials unhindered and a script from
trying many. Increments are not atomic across workers (get, then set): a burst of simultaneous
requests may slip a few past the limit, never many.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luodi.lib import audit
from luodi.lib.client_ip import client_ip

WINDOW_SECONDS = 60


def _now() -> float:
    return time.time()


def count_request(scope: str, client: str, *, window: int = WINDOW_SECONDS) -> int:
    """Count one request of ``client`` to ``scope`` and return how many it made in this window."""
    cache = caches["shared"]
    bucket = int(_now() // window)
    # The address is hashed: the cache table needs no one's IP address in clear.
    digest = hashlib.sha256(client.encode()).hexdigest()[:32]
    key = f"rate:{scope}:{digest}:{bucket}"
    cache.add(key, 0, timeout=window * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window * 2)
        return 1


def per_client_limit(
    scope: str, *, limit: Callable[[], int], template: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer 429 with ``template`` to a client past ``limit()`` requests a minute to ``scope``.

    The first refused request of each window is audited (``<scope>.throttled``); the rest are
    not, so that a flood does not flood the audit log too."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            client = client_ip(request) or "unknown"
            count, allowed = count_request(scope, client), limit()
            if count <= allowed:
                return view(request, *args, **kwargs)
            if count == allowed + 1:
                audit.record(f"{scope}.throttled", outcome="refused", ip=client, path=request.path)
            response: HttpResponse = render(request, template, {}, status=429)
            response["Retry-After"] = str(WINDOW_SECONDS - int(_now()) % WINDOW_SECONDS)
            return response

        return wrapper

    return decorate
