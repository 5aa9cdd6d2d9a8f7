"""On a phone-sized Chromium: a trainee whose leave was decided sees the bell's count, opens
the list and follows the notice to their class pages; the count is gone."""

import pytest
from django.urls import reverse

from conftest import H, R
from luodi.checkin.leave import leave_request_create, leave_request_decide
from luodi.lib.messaging import MemoryBackend
from luodi.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def test_a_trainee_sees_their_leave_decision_from_the_bell(
    browser_context, live_server, login_in_browser, users, college, outbox
):
    enrolment = college.running.enrolments.get(cadre=college.cadres_dalian[0])
    enrolment.attendances.all().delete()  # the factory marked them present
    request = leave_request_create(
        enrolment=enrolment,
        sessions=college.running.sessions.all(),
        reason="家中老人住院",
        by=users[R],
    )
    # Committed at once (no test transaction here): the task has written the notice.
    leave_request_decide(leave_request=request, approve=True, by=users[H], note="注意补课")
    notice = Notification.objects.get(user=users[R])
    assert len(MemoryBackend.outbox) == 1

    page = browser_context(**PHONE)
    login_in_browser(page, users[R].username)
    page.goto(live_server.url + reverse("checkin:home"))
    assert page.inner_text("#bell-count") == "1"
    bell = page.locator("#bell").bounding_box()
    assert bell is not None
    assert bell["x"] + bell["width"] <= 375  # on the screen of a phone
    page.click("#bell")
    page.wait_for_url("**/notifications/")
    item = page.locator(f"#notification-{notice.pk}")
    assert "注意补课" in item.inner_text()
    assert college.running.title in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
    item.locator("button").click()
    page.wait_for_url("**/checkin/")
    assert page.locator("#bell-count").count() == 0
    notice.refresh_from_db()
    assert notice.read_at is not None
