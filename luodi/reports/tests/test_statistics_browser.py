"""On a phone (375 px wide) the statistics page fits the screen, its charts drawn; its
filters narrow the figures."""

import os

import pytest
from django.urls import reverse

from luodi.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_statistics_page_fits_a_phone_and_filters(
    browser_context, login_in_browser, live_server, users, college
):
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("reports:statistics"))
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.text_content('[data-key="person_times"]') == "4"
    page.select_option('select[name="city"]', label="沈阳市")
    page.click('form[data-testid="filters"] button[type="submit"]')
    page.wait_for_url("**city=*")
    assert page.text_content('[data-key="person_times"]') == "2"
    if directory := os.environ.get("LUODI_SCREENSHOTS"):
        page.screenshot(path=f"{directory}/statistics-phone.png", full_page=True)
