"""The address a request came from, for lockout counters and the audit log.

Behind ``LUODI_PROXY_COUNT`` reverse proxies (nginx in front of gunicorn: 1) the address is read
from X-Forwarded-For, counting that many entries from the right: each trusted proxy appends the
address it saw, so entries further left were written by the client and are ignored. Without
proxies it is REMOTE_ADDR. A missing or malformed header falls back to REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "LUODI_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
