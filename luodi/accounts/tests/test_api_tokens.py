import pytest
from django.core.management import CommandError, call_command

from luodi.accounts.models import ApiToken, Role

pytestmark = pytest.mark.django_db


def test_it_issues_a_token_that_is_stored_only_as_a_digest(users, capsys):
    call_command("issue_api_token", "supervisor", "--name", "reports")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="reports")
    assert key.startswith("luodi_")
    assert key not in token.digest
    assert ApiToken.objects.authenticate(key) == users[Role.SUPERVISOR]
    assert ApiToken.objects.authenticate(key + "x") is None


def test_a_deactivated_users_token_stops_working(users):
    _token, key = ApiToken.issue(user=users[Role.STAFF], name="t")
    users[Role.STAFF].is_active = False
    users[Role.STAFF].save()
    assert ApiToken.objects.authenticate(key) is None


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("issue_api_token", "nobody")
