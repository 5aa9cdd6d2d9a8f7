"""Binds each request to the audit hook (its IP address and user go into every event recorded
while it is served, and into django-auditlog's model-change history: see ``history``), and
records every refusal in one place: a 403 from any view, the admin or the API, and a 404 from a
page that exists (an object out of the user's reach answers 404 as if it did not exist)."""

from luodi.lib import audit


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.bind_request(request):
            response = self.get_response(request)
            if response.status_code == 403 or (response.status_code == 404 and _resolved(request)):
                _record_denial(request, response.status_code)
        return response


def _resolved(request) -> bool:
    """A 404 from a page that exists, asked for by someone logged in: an object not found or
    out of reach (the two look the same, on purpose). Unknown addresses are not recorded."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return match is not None and user is not None and user.is_authenticated


def _record_denial(request, status: int) -> None:
    match = getattr(request, "resolver_match", None)
    audit.record(
        "access.denied",
        outcome="denied",
        status=status,
        method=request.method,
        path=request.path[:300],
        view=match.view_name if match else "",
    )
