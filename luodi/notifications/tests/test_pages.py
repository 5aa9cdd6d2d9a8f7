"""The bell in the header, the list of one's own notifications, opening one, marking all read."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import H, R
from luodi.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def note(user, text="Your leave was approved.", url="/checkin/", read=False):
    return Notification.objects.create(
        user=user,
        kind=NotificationKind.LEAVE_DECIDED,
        text=text,
        url=url,
        read_at=timezone.now() if read else None,
    )


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_bell_shows_the_unread_count(client_as, users):
    note(users[R])
    note(users[R])
    note(users[R], read=True)
    note(users[H])  # someone else's
    body = client_as(R).get(reverse("curriculum:course-list")).content.decode()
    assert 'id="bell"' in body
    assert '<span class="badge" id="bell-count">2</span>' in body


def test_the_bell_has_no_count_when_all_is_read_and_no_bell_for_anonymous(client, client_as, users):
    note(users[R], read=True)
    body = client_as(R).get(reverse("notifications:list")).content.decode()
    assert 'id="bell"' in body
    assert "bell-count" not in body
    client.logout()
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'id="bell"' not in body


def test_the_bell_costs_one_query(client_as, users, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    from luodi.notifications.context_processors import unread

    request = RequestFactory().get("/")
    request.user = users[R]
    note(users[R])
    context = unread(request)
    with django_assert_num_queries(1):
        Template("{{ n }} {% if n %}{{ n }}{% endif %}").render(
            Context({"n": context["notifications_unread"]})
        )
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert unread(request) == {}


def test_the_list_shows_only_ones_own_unread_first(client_as, users):
    old_read = note(users[R], text="read one", read=True)
    new_unread = note(users[R], text="unread one")
    note(users[H], text="the head teacher's")
    response = client_as(R).get(reverse("notifications:list"))
    assert [n.pk for n in response.context["page"]] == [new_unread.pk, old_read.pk]
    body = response.content.decode()
    assert "the head teacher's" not in body
    unread_only = client_as(R).get(reverse("notifications:list") + "?show=unread")
    assert [n.pk for n in unread_only.context["page"]] == [new_unread.pk]


def test_the_list_is_paged_in_a_fixed_number_of_queries(
    client_as, users, django_assert_max_num_queries
):
    for i in range(45):
        note(users[R], text=f"notice {i}")
    client = client_as(R)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list") + "?page=3")
    assert len(response.context["page"]) == 5


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_as, users):
    notification = note(users[R], url="/checkin/")
    response = client_as(R).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/checkin/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_someone_elses_notification_is_not_found(client_as, users):
    notification = note(users[H])
    response = client_as(R).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_out_of_luodi_is_not_followed(client_as, users):
    notification = note(users[R], url="https://example.com/phish")
    response = client_as(R).post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_marks_only_ones_own(client_as, users):
    mine = [note(users[R]), note(users[R])]
    theirs = note(users[H])
    response = client_as(R).post(reverse("notifications:read-all"), follow=True)
    assert "All notifications are marked read." in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "bell-count" not in response.content.decode()
