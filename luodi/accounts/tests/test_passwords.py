"""Every role changes their own password on a page; the rules (length >= 10, not common, not
like the username, optionally 3 of 4 character classes) hold there; the demo password passes."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD, A, H, L, R, S, T, V
from luodi.accounts.models import User
from luodi.accounts.passwords import character_classes
from luodi.demo import data
from luodi.lib import audit

pytestmark = pytest.mark.django_db

NEW = "Quiet-harbour-42"


def _change(client, old, new, again=None):
    return client.post(
        reverse("accounts:password-change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


@pytest.mark.parametrize("role", [A, S, H, T, L, R, V])
def test_every_role_changes_their_own_password_and_stays_logged_in(client_as, users, role):
    client = client_as(role)
    assert client.get(reverse("accounts:password-change")).status_code == 200
    response = _change(client, PASSWORD, NEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change-done")
    # the session survives the change (its auth hash was updated)
    assert client.get(reverse("accounts:password-change-done")).status_code == 200
    assert "_auth_user_id" in client.session
    users[role].refresh_from_db()
    assert users[role].check_password(NEW)
    event = audit.recent("auth.password_changed")[-1]
    assert event["user_id"] == users[role].pk
    assert NEW not in str(audit.recent())
    assert PASSWORD not in str(audit.recent())


def test_the_header_links_to_the_password_page(client_as, users):
    body = client_as(T).get(reverse("curriculum:course-list")).content.decode()
    assert reverse("accounts:password-change") in body


def test_the_current_password_is_required(client_as, users):
    response = _change(client_as(S), "wrong-old-password", NEW)
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    users[S].refresh_from_db()
    assert users[S].check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "code"),
    [
        ("Ab3-xyz", "password_too_short"),  # 7 characters
        ("password1234", "password_too_common"),
        ("head_teacher1", "password_too_similar"),  # the username, nearly
        ("31415926535897", "password_entirely_numeric"),
    ],
)
def test_the_page_refuses_weak_passwords(client_as, users, new, code):
    response = _change(client_as(H), PASSWORD, new)
    assert response.status_code == 200
    codes = [e.code for e in response.context["form"].errors.as_data()["new_password2"]]
    assert code in codes
    users[H].refresh_from_db()
    assert users[H].check_password(PASSWORD)


def test_the_demo_password_passes_the_default_rules():
    assert len(settings.LUODI_DEMO_PASSWORD) >= 10
    for username, role, name in data.DEMO_USERS:
        user = User(username=username, role=role, first_name="" if name == "-" else name)
        validate_password(settings.LUODI_DEMO_PASSWORD, user=user)


def test_character_classes_are_counted():
    assert character_classes("abcdefghij") == 1
    assert character_classes("abcdeFGHIJ") == 2
    assert character_classes("abcde-GHIJ") == 3
    assert character_classes("ab3de-GHIJ") == 4
    assert character_classes("社区干部学院培训") == 0


def test_character_classes_are_off_by_default_and_on_when_asked(settings):
    user = User(username="someone")
    validate_password("lighthouse-keeper", user=user)  # 2 classes: fine by default
    settings.AUTH_PASSWORD_VALIDATORS = [
        *settings.AUTH_PASSWORD_VALIDATORS,
        {"NAME": "luodi.accounts.passwords.CharacterClassesValidator"},
    ]
    with pytest.raises(ValidationError) as refused:
        validate_password("lighthouse-keeper", user=user)
    assert "at least 3 of" in str(refused.value)
    validate_password("Lighthouse-keeper", user=user)


def test_an_administrator_setting_a_password_is_audited(client_as, users):
    client = client_as(A)
    url = reverse("admin:auth_user_password_change", args=[users[T].pk])
    response = client.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302
    users[T].refresh_from_db()
    assert users[T].check_password(NEW)
    event = audit.recent("auth.password_changed")[-1]
    assert (event["user_id"], event["object"]) == (users[A].pk, f"accounts.user:{users[T].pk}")
