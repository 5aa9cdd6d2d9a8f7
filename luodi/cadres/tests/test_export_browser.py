"""On a phone, staff export the filtered cadre list: the job's progress shows on the list page
and ends in a download link; the page never scrolls sideways."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.jobs.models import Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_export_the_filtered_list_on_a_phone(
    browser_context, login_in_browser, users, college, live_server
):
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("cadres:cadre-list") + "?q=宋")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click(".export form:not(.export-full) button")  # the masked list, not full numbers
    page.wait_for_selector(".job a.button")
    assert "q=" in page.url  # back on the list with its filter
    job = Job.objects.get()
    assert job.parameters["q"] == "宋"
    link = page.get_attribute(".job a.button", "href")
    assert link == reverse("jobs:download", args=[job.pk])
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
