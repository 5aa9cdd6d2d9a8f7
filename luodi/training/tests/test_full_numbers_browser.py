"""In a real Chromium, "Show full number" swaps the cadre's full numbers into the page."""

import pytest

from conftest import PASSWORD
from luodi.accounts.models import Role
from luodi.lib import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reveal_the_full_numbers_in_place(browser_page, live_server, users, college):
    cadre = college.cadres_dalian[0]
    page = browser_page
    page.goto(f"{live_server.url}/cadres/{cadre.pk}/")
    page.fill("input[name=username]", users[Role.STAFF].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("dl.facts")
    assert cadre.id_number not in page.content()
    recorded = len(audit.recent("personal.reveal"))
    page.click("form[action$='/full-numbers/'] button")
    page.wait_for_selector("#full-numbers")
    shown = page.inner_text("#full-numbers")
    assert cadre.id_number in shown
    assert cadre.phone in shown
    assert "/full-numbers/" not in page.url  # swapped in place by htmx
    assert len(audit.recent("personal.reveal")) == recorded + 1
