"""Hostile path and query parameters never get a server error, on any URL, as any role.

Each path parameter in turn gets values that are no key (0, -1, 2**63, a 30-digit number,
"1e9", letters, non-ASCII digits) or, for text parameters, an encoded slash, NUL, 5000
characters, dot segments and non-ASCII text, the other parameters keeping the own object's
values. Then every common query key (for POST views: form field) gets each hostile value.
Every answer must be below 500: a 404 for a path that names nothing, a 400 or an ignored
filter for a query. Run on SQLite and PostgreSQL alike: the two fail differently on numbers
beyond a column's range.
"""

import re

import pytest
from django.test import Client

from luodi.accounts.models import Role
from luodi.accounts.tests import routes
from luodi.accounts.tests.conftest import ANONYMOUS
from luodi.accounts.tests.test_access_matrix import BINARY, MATRIX

pytestmark = pytest.mark.django_db

NOT_KEYS = ["0", "-1", str(2**63), "9" * 30, "1e9", "abc", "%D9%A3", "%C2%B2"]
TEXTS = ["a%2Fb", "%00", "x" * 5000, "..%2F..", "../..", "a/b", "%E4%B8%AD%E6%96%87", "%F0%9F"]
HOSTILE = [
    "99999999999999999999999",
    str(2**63),
    "-1",
    "1e9",
    "abc",
    "\x00",
    "[]",
    "²",
    "x" * 5000,
    "",
]
QUERY_KEYS = [
    "page",
    "q",
    "city",
    "type",
    "status",
    "year",
    "category",
    "serial",
    "post",
    "next",
    "kind",
    "review",
    "method",
    "session",
    "format",
]
FORM_KEYS = [
    "status",
    "action",
    "cadre",
    "enrolment",
    "decision",
    "note",
    "reason",
    "text",
    "sessions",
    "id_numbers",
    "language",
    "next",
]
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _path(route: str, args: list, hostile: tuple[int, str] | None = None) -> str:
    """The route with its parameters filled in order, the ``hostile[0]``-th one replaced."""
    values = iter(args)
    out, position = [], 0

    def fill(match):
        nonlocal position
        value = str(next(values))
        if hostile and hostile[0] == position:
            value = hostile[1]
        position += 1
        return value

    out = PARAM.sub(fill, route)
    return "/" + out


def _clients(world, row) -> dict[str, Client]:
    """Anonymous users, whoever gets past the view's permission (the roles its row lets in, on
    either object), and one role that is refused: a refused role never reaches the view's
    parameters, so one stands for them all."""
    allowed = row.own | (row.other or frozenset())
    refused = [role for role in Role if role not in allowed][:1]
    clients = {}
    for who in [ANONYMOUS, *sorted(allowed - {ANONYMOUS}), *refused]:
        client = Client(raise_request_exception=False)
        if who != ANONYMOUS:
            client.force_login(world.users[who])
        clients[who] = client
    return clients


def _document_roles(clients: dict[str, Client], path: str, method: str) -> dict[str, Client]:
    """For a view that answers with a PDF, zip or xlsx, anonymous, the first role that gets the
    document and the refused role: laying out a PDF takes a good part of a second, and the
    roles that get it differ in the object rule, not in how parameters are read."""
    first = list(clients)[1] if len(clients) > 1 else None
    if first is None:
        return clients
    kind = getattr(clients[first], method)(path).get("Content-Type", "")
    if not kind.startswith(BINARY):
        return clients
    return {who: c for i, (who, c) in enumerate(clients.items()) if i < 2 or i == len(clients) - 1}


ROUTES = {r.name: r.route for r in routes.views()}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_it_never_answers_a_hostile_parameter_with_a_server_error(world, name):
    route, row = ROUTES[name], MATRIX[name]
    args = world.own[row.obj] if row.obj else []
    clients = _clients(world, row)
    failures = []

    def ask(who, path, data=None):
        response = getattr(clients[who], row.method)(path, data or {})
        if response.status_code >= 500:
            failures.append((who, row.method, path[:120], str(data)[:80], response.status_code))

    converters = [m.group("converter") or "str" for m in PARAM.finditer(route)]
    for position, converter in enumerate(converters):
        for value in NOT_KEYS if converter in ("id", "int") else TEXTS:
            for who in clients:
                ask(who, _path(route, args, (position, value)))
    path = _path(route, args)
    keys = QUERY_KEYS if row.method == "get" else FORM_KEYS
    clients = _document_roles(clients, path, row.method)
    for value in HOSTILE:
        for who in clients:
            ask(who, path, dict.fromkeys(keys, value))
    assert failures == []
