"""schemathesis against the API's own OpenAPI schema, as every role that may use the API and
with tokens: no server error, every answer conforms to the schema (status code, content type,
body), valid input is accepted and invalid input refused.

Requests go through the WSGI application inside the test's database transaction (no server).
Bounded: a few dozen generated requests per identity, valid and invalid, in a few seconds.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings

from conftest import A, H, L, S, V
from luodi.accounts import tokens
from luodi.accounts.models import ApiScope

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/openapi.json"
EXAMPLES = 15  # per identity and generation mode: one operation, one parameter


@contextmanager
def _keeping_the_test_connection():
    """Let requests reach the WSGI application without closing the database connection at
    their start and end (as Django's test client does): that would end the test's
    transaction. Per call, since the test client itself reconnects the signal after each
    request it makes."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_app():
    return get_wsgi_application()


def _credentials(users, college, who: str) -> tuple[dict[str, str], dict[str, str]]:
    """The headers and cookies of a role's session, or of a token."""
    if who.startswith("token:"):
        role, _, limit = who.removeprefix("token:").partition("@")
        city = college.dalian if limit else None
        _token, key = tokens.api_token_create(
            by=users[role], name="fuzz", scopes=[ApiScope.STATS_READ], city=city
        )
        return {"Authorization": f"Bearer {key}"}, {}
    client = Client()
    client.force_login(users[who])
    name = django_settings.SESSION_COOKIE_NAME
    return {}, {name: client.cookies[name].value}


def _schema(wsgi_app, headers, cookies):
    """The schema as this identity reads it, its requests sent to the WSGI application."""
    client = Client(headers=headers)
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get(SCHEMA_PATH)
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = wsgi_app  # as schemathesis.openapi.from_wsgi does
    return schema


IDENTITIES = [A, S, H, L, V, "token:staff", "token:staff@dalian", "token:liaison"]


@pytest.mark.parametrize("who", IDENTITIES)
@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_the_api_answers_as_its_schema_says(users, college, wsgi_app, who, mode):
    headers, cookies = _credentials(users, college, who)
    schema = _schema(wsgi_app, headers, cookies)
    assert schema.raw_schema["paths"], "the schema lists no operation"

    @schema.auth(refresh_interval=None)
    class Credentials:
        """The identity's session cookie or token, declared as the schema's auth: schemathesis
        also sends each request without it (or spoiled) and expects a refusal."""

        def get(self, case, context):
            return headers, cookies

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), **data[0]}
            case.cookies = {**(case.cookies or {}), **data[1]}

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        with _keeping_the_test_connection():
            case.call_and_validate()

    run()
