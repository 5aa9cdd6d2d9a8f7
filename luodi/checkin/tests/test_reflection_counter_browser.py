"""In a real browser on a phone: the reflection form counts characters as the trainee types
(a static script; the CSP allows no inline one), the way the server counts them."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_counter_follows_the_typing(
    browser_context, live_server, login_in_browser, users, fixed, settings
):
    settings.LUODI_REFLECTION_MIN_LENGTH = 6
    page = browser_context(viewport={"width": 375, "height": 800})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login_in_browser(page, users[Role.TRAINEE].username)
    page.goto(live_server.url + reverse("checkin:reflection", args=[fixed.trainee.pk]))
    counter = page.locator("#reflection-counter")
    page.fill("textarea[name=text]", "学 到\n了很")  # 4 characters, spaces not counted
    assert "4" in counter.inner_text()
    assert "short" in (counter.get_attribute("class") or "")
    page.type("textarea[name=text]", "多啊")
    assert "6" in counter.inner_text()
    assert "short" not in (counter.get_attribute("class") or "")
    # No CSP refusal, no script error (the missing favicon's 404 is no concern here).
    assert [e for e in errors if "Failed to load resource" not in e] == []
