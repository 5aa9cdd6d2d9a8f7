"""On a phone, staff read a survey's results (charts, tables, text answers) and review an
answer; the page never scrolls sideways. A teacher's ratings fit a phone too."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.surveys.models import Answer, Review
from luodi.surveys.tests.results_fixtures import mixed_answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_read_results_and_review_an_answer_on_a_phone(
    browser_context, login_in_browser, users, mixed, answering, live_server
):
    for text in ("社区议事协商的案例讲得很透彻，希望多安排现场教学", "节奏稍快"):
        answering.submit(mixed, mixed_answer(mixed, 0, [0, 2], 4, (4, 5), text))
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("surveys:results", args=[mixed.pk]))
    assert page.locator("svg.chart").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    answer = Answer.objects.get(text="节奏稍快")
    form = page.locator(f"form[action='{reverse('surveys:answer-review', args=[answer.pk])}']")
    form.locator("select").select_option(Review.PUBLIC)
    form.locator("button").click()
    page.wait_for_load_state()
    answer.refresh_from_db()
    assert answer.review == Review.PUBLIC
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
