"""One way to confirm a destructive or bulk action: show what will change, then do it.

A view that changes things on POST calls ``confirmed(request)`` first. The first POST (from a
button on the page) is not yet confirmed: the view works out what would change and answers
with ``preview(...)``, a page that lists the changes and posts the same fields again with
``confirmed=1`` (or goes back). Only that second POST changes anything; the view then
redirects with a success message. The page is ``templates/confirm.html``, whose card is the
include ``templates/_confirm.html``, so an htmx fragment or another page can embed it too.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


def confirmed(request: HttpRequest) -> bool:
    """Whether this POST comes from the confirmation page (so the action may run)."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


@dataclass(frozen=True)
class Preview:
    """What the confirmation page shows: the question, the changes (one line each, counts
    where there are many) and the fields to post again."""

    title: str
    action: str  # the URL that runs the action
    back: str  # where "cancel" leads
    button: str
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # consequences worth knowing, not changes
    fields: Mapping[str, str] = field(default_factory=dict)
    nothing: str = ""  # shown instead of the changes when there are none
    danger: bool = True


def preview(
    request: HttpRequest,
    *,
    title: str,
    action: str,
    back: str,
    button: str,
    changes: Iterable[str] = (),
    notes: Iterable[str] = (),
    fields: Mapping[str, str] | None = None,
    nothing: str = "",
    danger: bool = True,
    context: Mapping[str, object] | None = None,
) -> HttpResponse:
    """Render the confirmation page; nothing has been written."""
    page = Preview(
        title=title,
        action=action,
        back=back,
        button=button,
        changes=list(changes),
        notes=list(notes),
        fields=dict(fields or {}),
        nothing=nothing,
        danger=danger,
    )
    return render(request, "confirm.html", {**(context or {}), "confirm": page})
