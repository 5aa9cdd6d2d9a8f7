"""API tokens: issued once, stored as a digest, expiring, revocable, read-only, scoped and
limited to a city; the tokens page and the admin."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from ninja import Router
from ninja.testing import TestClient

from conftest import A, H, L, R, S, T, V
from luodi.accounts import tokens
from luodi.accounts.api_auth import BearerToken
from luodi.accounts.models import ApiScope, ApiToken, Role
from luodi.lib import audit, data_version

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/stats/summary"
SCHEMA = "/api/v1/openapi.json"


def _bearer(key: str) -> dict[str, str]:
    # The messages are read in English here; the interface's default language is Chinese.
    return {"Authorization": f"Bearer {key}", "Accept-Language": "en"}


def _get(path: str, key: str, **params):
    return Client().get(path, params, headers=_bearer(key))


# --- Issuing -------------------------------------------------------------------------------


def test_it_issues_a_token_that_is_stored_only_as_a_digest(users, capsys):
    call_command("issue_api_token", "supervisor", "--name", "reports")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="reports")
    assert key.startswith("luodi_")
    assert token.digest == ApiToken.digest_of(key)
    assert key not in token.digest
    stored = {f.attname: getattr(token, f.attname) for f in ApiToken._meta.concrete_fields}
    assert key not in str(stored)
    assert tokens.authenticate(key, method="GET") == token
    with pytest.raises(tokens.TokenRefused):
        tokens.authenticate(key + "x", method="GET")


def test_a_new_token_expires_by_default_in_90_days_and_reads_everything(users):
    token, _key = tokens.api_token_create(by=users[S], name="t")
    assert token.scopes == [ApiScope.READ]
    left = token.expires_at - timezone.now()
    assert dt.timedelta(days=89, hours=23) < left <= dt.timedelta(days=90)


@pytest.mark.parametrize("days", [0, -1, 366, 10_000])
def test_it_refuses_a_lifetime_beyond_a_year(users, days):
    with pytest.raises(ValidationError) as refused:
        tokens.api_token_create(by=users[S], name="t", days=days)
    assert "1 to 365 days" in str(refused.value)
    assert not ApiToken.objects.exists()


def test_it_refuses_an_empty_name_and_unknown_or_no_scopes(users):
    with pytest.raises(ValidationError) as refused:
        tokens.api_token_create(by=users[S], name=" ", scopes=["write"])
    assert set(refused.value.message_dict) == {"name", "scopes"}
    with pytest.raises(ValidationError, match="at least one scope"):
        tokens.api_token_create(by=users[S], name="t", scopes=[])


@pytest.mark.parametrize("role", [T, R])
def test_a_role_without_the_api_gets_no_token(users, role):
    with pytest.raises(PermissionDenied):
        tokens.api_token_create(by=users[role], name="t")


def test_a_liaisons_token_is_always_limited_to_their_city(users, college):
    token, _key = tokens.api_token_create(by=users[L], name="city system")
    assert token.city == college.dalian
    with pytest.raises(ValidationError, match="their own city"):
        tokens.api_token_create(by=users[L], name="t", city=college.shenyang)


def test_creating_is_audited_without_the_key(users, college):
    token, key = tokens.api_token_create(
        by=users[S], name="dalian", scopes=[ApiScope.STATS_READ], city=college.dalian
    )
    entry = audit.recent("api_token.created")[-1]
    assert entry["user_id"] == users[S].pk
    assert entry["object"] == f"accounts.apitoken:{token.pk}"
    assert entry["details"]["scopes"] == "stats:read"
    assert key not in str(entry)
    assert token.digest not in str(entry)


def test_the_command_refuses_an_unknown_user_and_a_role_without_the_api(users):
    with pytest.raises(CommandError, match="No active user"):
        call_command("issue_api_token", "nobody")
    with pytest.raises(CommandError, match="may not use the API"):
        call_command("issue_api_token", "trainee")


# --- Using ---------------------------------------------------------------------------------


def test_a_valid_token_reads_the_figures_and_the_schema(users, college):
    _token, key = tokens.api_token_create(by=users[V], name="t")
    assert _get(SUMMARY, key).status_code == 200
    assert _get(SCHEMA, key).status_code == 200


def test_an_expired_token_is_refused_with_a_clear_message(users):
    token, key = tokens.api_token_create(by=users[S], name="t")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for path in (SUMMARY, SCHEMA):
        response = _get(path, key)
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]
    chinese = Client().get(SUMMARY, headers={"Authorization": f"Bearer {key}"})
    assert "过期" in chinese.json()["detail"]  # the interface's default language


def test_a_revoked_token_is_refused_with_a_clear_message(users):
    token, key = tokens.api_token_create(by=users[S], name="t")
    assert tokens.api_token_revoke(token=token, by=users[S])
    for path in (SUMMARY, SCHEMA):
        response = _get(path, key)
        assert response.status_code == 401
        assert response.json() == {"detail": "This API token has been revoked."}


def test_an_unknown_token_and_a_deactivated_users_token_are_refused(users):
    _token, key = tokens.api_token_create(by=users[S], name="t")
    assert _get(SUMMARY, "luodi_forged").json() == {"detail": "Invalid API token."}
    users[S].is_active = False
    users[S].save()
    for path in (SUMMARY, SCHEMA):
        response = _get(path, key)
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid API token."}


def test_a_token_without_the_operations_scope_is_refused(users, monkeypatch):
    token, key = tokens.api_token_create(by=users[S], name="t", scopes=[ApiScope.STATS_READ])
    assert _get(SUMMARY, key).status_code == 200
    # A scope that does not grant stats (only "read" and "stats:read" do, today).
    ApiToken.objects.filter(pk=token.pk).update(scopes=["other:read"])
    response = _get(SUMMARY, key)
    assert response.status_code == 403
    assert response.json() == {"detail": "This API token lacks the scope 'stats:read'."}


def test_a_session_is_governed_by_the_role_alone(client_as):
    # No token: the role's USE_API decides, whatever scopes exist.
    assert client_as(S).get(SUMMARY).status_code == 200


def test_a_token_of_a_user_whose_role_lost_the_api_is_refused(users):
    _token, key = tokens.api_token_create(by=users[S], name="t")
    users[S].role = Role.TEACHER
    users[S].save()
    response = _get(SUMMARY, key)
    assert response.status_code == 403
    assert response.json() == {"detail": "Permission denied"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_read_only_token_never_writes(users, method):
    """A read-only token (the default) is refused by any writing operation before it runs:
    shown with a writing operation behind the API's own token check."""
    _token, key = tokens.api_token_create(by=users[A], name="t")
    assert getattr(Client(), method)(SUMMARY, headers=_bearer(key)).status_code == 405
    router = Router()

    @router.api_operation([method.upper()], "/write", auth=BearerToken())
    def write(request):
        return {"wrote": True}

    response = getattr(TestClient(router), method)("/write", headers=_bearer(key))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This API token can only read; this request would change data."
    }


def test_a_city_limited_token_gets_its_citys_figures_even_for_staff(world):
    everything = Client()
    everything.force_login(world.users[A])
    all_cities = everything.get(SUMMARY).json()
    _token, key = tokens.api_token_create(by=world.users[S], name="t", city=world.dalian)
    dalian = _get(SUMMARY, key).json()
    assert all_cities["person_times"] == 4
    assert dalian["person_times"] == 2  # as the Dalian liaison sees: test_access_matrix
    assert dalian == _get(SUMMARY, _liaison_key(world)).json()
    _token, key = tokens.api_token_create(by=world.users[S], name="all")
    assert _get(SUMMARY, key).json() == all_cities


def _liaison_key(world) -> str:
    return tokens.api_token_create(by=world.users[L], name="liaison")[1]


def test_a_liaisons_token_for_another_city_is_refused(world):
    _token, key = tokens.api_token_create(by=world.users[L], name="t")
    # The liaison moved to Shenyang: their Dalian token no longer matches them.
    world.users[L].city = world.shenyang
    world.users[L].save()
    response = _get(SUMMARY, key)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This API token is limited to a city other than its owner's."
    }


def test_last_used_is_written_at_most_once_a_minute(users, college):
    token, key = tokens.api_token_create(by=users[S], name="t")
    assert token.last_used_at is None

    def queries_of_one_request() -> list[str]:
        # The figures computed each time (not read from their cache): requests alike but for
        # the token's own writes.
        with data_version.uncached(), CaptureQueriesContext(connection) as ctx:
            assert _get(SUMMARY, key).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    first = queries_of_one_request()
    token.refresh_from_db()
    used = token.last_used_at
    assert used is not None
    assert sum(q.startswith("UPDATE") for q in first) == 1
    second = queries_of_one_request()
    assert not any(q.startswith("UPDATE") for q in second)
    assert len(second) == len(first) - 1
    token.refresh_from_db()
    assert token.last_used_at == used
    # A minute on, the next request writes it again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used - dt.timedelta(seconds=61))
    third = queries_of_one_request()
    assert sum(q.startswith("UPDATE") for q in third) == 1
    token.refresh_from_db()
    assert token.last_used_at > used - dt.timedelta(seconds=61)


def test_every_api_operation_declares_a_token_scope():
    from luodi.accounts.tests import routes

    for op in routes.api_operations():
        assert op.view_func.luodi_access.api_scope in ApiScope.values, op.key


# --- Revoking ------------------------------------------------------------------------------


def test_revoking_is_audited_and_happens_once(users):
    token, key = tokens.api_token_create(by=users[S], name="revoked once")
    assert tokens.api_token_revoke(token=token, by=users[S]) is True
    assert tokens.api_token_revoke(token=token, by=users[S]) is False
    entries = [
        e for e in audit.recent("api_token.revoked") if e["details"]["name"] == "revoked once"
    ]
    assert len(entries) == 1
    assert entries[0]["user_id"] == users[S].pk
    assert key not in str(entries)


def test_only_the_owner_or_an_administrator_revokes(users):
    token, _key = tokens.api_token_create(by=users[S], name="t")
    with pytest.raises(PermissionDenied):
        tokens.api_token_revoke(token=token, by=users[V])
    assert tokens.api_token_revoke(token=token, by=users[A])


# --- The API tokens page -------------------------------------------------------------------

PAGE = reverse("accounts:api-tokens")


@pytest.mark.parametrize("role", [A, S, H, L, V])
def test_the_page_creates_a_token_and_shows_its_key_once(client_as, users, role):
    client = client_as(role)
    data = {"name": "city system", "scopes": ["stats:read"], "days": "30"}
    if role != L:
        data["city"] = ""
    response = client.post(PAGE, data)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=users[role])
    key = response.context["key"]
    assert key.startswith("luodi_")
    assert key in response.content.decode()
    assert token.digest == ApiToken.digest_of(key)
    assert token.scopes == ["stats:read"]
    assert (token.city_id is not None) == (role == L)
    again = client.get(PAGE)
    assert key not in again.content.decode()
    assert "city system" in again.content.decode()


def test_the_page_explains_what_is_wrong_with_the_form(client_as):
    response = client_as(S).post(PAGE, {"name": "", "days": "9999"})
    assert response.status_code == 200
    assert response.context["key"] is None
    assert set(response.context["form"].errors) == {"name", "scopes", "days"}
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("city", ["99999999999999999999999", "-1", "abc", "\x00"])
def test_the_page_refuses_a_hostile_city_without_a_server_error(client_as, city):
    data = {"name": "t", "scopes": ["read"], "days": "30", "city": city}
    response = client_as(S).post(PAGE, data)
    assert response.status_code == 200
    assert "city" in response.context["form"].errors


def test_the_page_lists_only_the_users_own_tokens(client_as, users):
    tokens.api_token_create(by=users[L], name="someone else's")
    tokens.api_token_create(by=users[S], name="mine")
    body = client_as(S).get(PAGE).content.decode()
    assert "mine" in body
    assert "someone else's" not in body


@pytest.mark.parametrize("role", [T, R])
def test_the_page_is_refused_to_roles_without_the_api(client_as, role):
    assert client_as(role).get(PAGE).status_code == 403
    assert (
        client_as(role).post(PAGE, {"name": "t", "scopes": ["read"], "days": "30"}).status_code
        == 403
    )
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_on_the_page_and_no_one_else_can(client_as, users):
    token, key = tokens.api_token_create(by=users[S], name="t")
    url = reverse("accounts:api-token-revoke", args=[token.pk])
    assert client_as(L).post(url).status_code == 404
    assert client_as(S).get(url).status_code == 405
    response = client_as(S).post(url)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _get(SUMMARY, key).status_code == 401


# --- The admin -----------------------------------------------------------------------------


def test_an_administrator_sees_and_revokes_anyones_tokens_in_the_admin(client_as, users):
    token, key = tokens.api_token_create(by=users[L], name="liaison system")
    client = client_as(A)
    changelist = reverse("admin:accounts_apitoken_changelist")
    page = client.get(changelist).content.decode()
    assert "liaison system" in page
    assert token.digest not in page
    change = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert change.status_code == 200
    assert token.digest not in change.content.decode()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    response = client.post(
        changelist, {"action": "revoke", "_selected_action": [token.pk], "index": 0}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert audit.recent("api_token.revoked")[-1]["user_id"] == users[A].pk
    assert _get(SUMMARY, key).status_code == 401


def test_the_schema_is_refused_to_roles_without_the_api(client_as):
    response = client_as(R).get(SCHEMA)
    assert response.status_code == 403
    assert response.json() == {"detail": "Permission denied"}
    assert client_as(S).get(SCHEMA).status_code == 200
