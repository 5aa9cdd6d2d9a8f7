"""A class's trainee accounts: made in bulk, reset, deactivated; never a password on the page."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from luodi.accounts import trainee_accounts
from luodi.accounts.models import Role, User
from luodi.lib import audit

pytestmark = pytest.mark.django_db


def _page(client, tc):
    return client.get(reverse("checkin:class-accounts", args=[tc.pk]))


def _act(client, tc, action, *enrolments, confirm=True):
    url = reverse("checkin:class-accounts-action", args=[tc.pk])
    response = client.post(url, {"action": action, "enrolment": [e.pk for e in enrolments]})
    if confirm and action in {"reset", "deactivate"} and response.status_code == 200:
        page = response.content.decode()
        assert 'data-testid="confirm"' in page
        chosen = ",".join(str(e.pk) for e in enrolments)
        response = client.post(url, {"action": action, "enrolments": chosen, "confirmed": "1"})
    return response


def test_the_head_teacher_makes_accounts_for_the_whole_roster(
    client_as, fixed, django_assert_max_num_queries
):
    client = client_as(Role.HEAD_TEACHER)
    page = _page(client, fixed.training_class)
    assert page.status_code == 200
    states = [r["state"] for r in page.context["rows"]]
    # 宋娟 has the stock trainee account; the other enrolled cadre has none; the nominated
    # cadre is not on the roster.
    assert sorted(states) == ["active", "none"]
    with django_assert_max_num_queries(30):
        response = _act(client, fixed.training_class, "create")
    assert response.status_code == 302
    made = User.objects.get(cadre=fixed.other.cadre)
    assert made.role == Role.TRAINEE
    assert not made.has_usable_password()
    assert not User.objects.filter(cadre=fixed.nominated.cadre).exists()
    assert str(audit.recent("trainee_account.create")[-1]["details"]["count"]) == "1"
    # Again: nothing more to make.
    _act(client, fixed.training_class, "create")
    assert User.objects.filter(cadre=fixed.other.cadre).count() == 1
    page = _page(client, fixed.training_class).content.decode()
    assert "Not activated" in page
    assert "pbkdf2" not in page
    assert "md5$" not in page


def test_reset_takes_the_password_away_and_ends_the_session(client_as, client, fixed, users):
    trainee = users[Role.TRAINEE]
    from django.test import Client

    phone = Client()
    phone.force_login(trainee)
    assert phone.get(reverse("checkin:home")).status_code == 200
    head = client_as(Role.HEAD_TEACHER)
    _act(head, fixed.training_class, "reset", fixed.trainee)
    trainee.refresh_from_db()
    assert not trainee.has_usable_password()
    assert not trainee.check_password(PASSWORD)
    # The old session no longer holds: the phone is sent to log in.
    assert reverse("accounts:login") in phone.get(reverse("checkin:home"))["Location"]


def test_deactivate_and_activate_again(client_as, fixed, users):
    head = client_as(Role.HEAD_TEACHER)
    _act(head, fixed.training_class, "deactivate", fixed.trainee)
    trainee = User.objects.get(pk=users[Role.TRAINEE].pk)
    assert not trainee.is_active
    _act(head, fixed.training_class, "activate", fixed.trainee)
    trainee.refresh_from_db()
    assert trainee.is_active


def test_actions_reach_only_this_classes_trainee_accounts(client_as, fixed, users, college):
    """An enrolment of another class, or a staff account linked to a cadre, is left alone."""
    head = client_as(Role.HEAD_TEACHER)
    staff = users[Role.STAFF]
    staff.cadre = fixed.other.cadre
    staff.save()
    response = _act(head, fixed.training_class, "deactivate", fixed.other)
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.is_active
    assert trainee_accounts.set_trainee_accounts_active([staff], active=False, by=None) == 0


def test_an_unknown_action_or_no_choice_says_so(client_as, fixed):
    head = client_as(Role.HEAD_TEACHER)
    response = _act(head, fixed.training_class, "reset")
    assert response.status_code == 302
    page = head.get(response["Location"]).content.decode()
    assert "Choose trainees who have an account" in page


def test_usernames_are_made_from_pinyin_and_never_collide(fixed, make):
    cadre = fixed.other.cadre
    User.objects.create_user(username=f"{trainee_accounts._username_base(cadre)}", password="x")
    [made] = trainee_accounts.create_trainee_accounts([cadre], by=None)
    assert made.username.endswith("-2")
    assert made.username.startswith(cadre.name_pinyin.replace(" ", "").lower()[:5])


def test_reset_and_deactivate_ask_first_and_name_who(client_as, fixed, users):
    head = client_as(Role.HEAD_TEACHER)
    for action in ("reset", "deactivate"):
        response = _act(head, fixed.training_class, action, fixed.trainee, confirm=False)
        assert response.status_code == 200
        assert fixed.trainee.cadre.name in response.content.decode()
    trainee = User.objects.get(pk=users[Role.TRAINEE].pk)
    assert trainee.is_active
    assert trainee.check_password(PASSWORD)  # nothing changed before the confirmation
