"""In a real browser on a phone (375 px): an expert opens their project, scores a unit, is
refused a score above the maximum next to the field, attaches a photo, saves a draft and
submits; the page fits the screen and the sheet is final."""

import pytest
from playwright.sync_api import expect

from luodi.assessments.models import Evidence, Sheet, SheetStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_expert_scores_a_unit_on_a_phone(
    browser_context, live_server, login_in_browser, assessment
):
    expert, unit = assessment.experts[0], assessment.units[0]
    first, second, third = assessment.leaves
    page = browser_context(viewport={"width": 375, "height": 800})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login_in_browser(page, expert.username)
    page.goto(live_server.url + assessment.project.get_absolute_url())
    page.click(f"a[href$='/units/{unit.pk}/score/']")
    expect(page.locator("h1")).to_have_text(unit.name)
    assert _fits(page)

    page.fill(f"#value_{first.pk}", "12")  # the maximum is 10
    page.fill(f"#value_{second.pk}", "15")
    page.fill(f"#comment_{second.pk}", "党员积分管理台账齐全")
    page.click("button[value=draft]")
    expect(page.locator(f"#leaf-{first.pk} .error")).to_contain_text("10")
    expect(page.locator(f"#value_{second.pk}")).to_have_value("15")  # kept while refused
    assert not Sheet.objects.exists()

    page.fill(f"#value_{first.pk}", "8")
    page.set_input_files(
        f"#file_{first.pk}", {"name": "公示栏.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.click("button[value=draft]")
    expect(page.locator(f"#leaf-{first.pk} .evidence")).to_contain_text("公示栏.png")
    assert Sheet.objects.get().status == SheetStatus.DRAFT

    page.fill(f"#value_{third.pk}", "4.5")
    page.click("button[value=submit]")
    expect(page.locator("#sheet-state")).to_have_class("notice notice-success")
    expect(page.locator(f"#value_{first.pk}")).to_be_disabled()
    assert _fits(page)
    sheet = Sheet.objects.get()
    assert sheet.status == SheetStatus.SUBMITTED
    assert [str(s.value) for s in sheet.scores.order_by("indicator__position")] == [
        "8.00",
        "15.00",
        "4.50",
    ]
    assert Evidence.objects.get().name == "公示栏.png"
    assert [e for e in errors if "Failed to load resource" not in e] == []
