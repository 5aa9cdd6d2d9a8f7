"""On a phone (375 px wide) the dashboard's charts fit the screen, are coloured by the
stylesheet (no style attribute) and carry Chinese titles."""

import os

import pytest
from django.urls import reverse

from luodi.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_charts_fit_a_phone_and_are_drawn(
    browser_context, login_in_browser, live_server, users, college
):
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("dashboard"))  # staff land on their to-do list
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart").count() == 3
    # No sideways scrolling on a phone, and every chart within the screen's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    widths = page.eval_on_selector_all(
        "svg.chart", "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert all(0 < w <= 375 for w in widths), widths
    fill = page.eval_on_selector("svg.chart rect", "r => getComputedStyle(r).fill")
    assert fill == "rgb(178, 34, 34)"  # --red, from app.css
    if directory := os.environ.get("LUODI_SCREENSHOTS"):
        page.screenshot(path=f"{directory}/dashboard-charts-phone.png", full_page=True)
