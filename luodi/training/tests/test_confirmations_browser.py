"""In a real browser (phone width): recomputing results shows the changes with counts, then
records them only after the confirmation, with a success message."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.training.models import EnrolmentStatus, Reflection
from luodi.training.services import completion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recomputing_results_previews_the_changes_then_records_them(
    browser_context, live_server, login_in_browser, users, week, enrol_marked, college
):
    tc, sessions = week
    kept, dropped = (enrol_marked(tc, c, sessions, []) for c in college.cadres_dalian)
    completion.class_complete(training_class=tc, by=None)
    Reflection.objects.filter(enrolment=dropped).delete()  # completed → not completed
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("training:class-completion", args=[tc.pk]))
    page.click("main form button.primary")
    card = page.wait_for_selector("[data-testid=confirm]")
    changes = page.inner_text("[data-testid=changes]")
    assert dropped.cadre.name in changes
    assert kept.cadre.name not in changes
    assert changes.count("\n") == 0  # one move: 1 completed → not completed
    assert "1" in changes
    dropped.refresh_from_db()
    assert dropped.status == EnrolmentStatus.COMPLETED  # the preview wrote nothing
    box = card.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 375  # fits the phone
    card.query_selector("button[type=submit]").click()
    page.wait_for_selector(".msg-success")
    dropped.refresh_from_db()
    assert dropped.status == EnrolmentStatus.NOT_COMPLETED
