"""Staff draft a class satisfaction survey, choosing the class with the class picker as a person
does: by typing its year and term (a province holds thousands of classes)."""

import pytest
from django.urls import reverse

from conftest import pick_in_browser
from luodi.accounts.models import Role
from luodi.surveys.models import Purpose, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_choose_the_class_of_a_satisfaction_survey_by_typing_it(
    browser_context, login_in_browser, users, college, live_server
):
    running = college.running
    page = browser_context()
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("surveys:new"))
    page.select_option("select[name=start]", Purpose.SATISFACTION.value)
    pick_in_browser(page, "training_class", f"{running.year}年第{running.term}期", running.title)
    page.get_by_role("button", name="生成问卷草稿").click()
    page.wait_for_load_state()
    survey = Survey.objects.get()
    assert survey.training_class == running
    assert survey.purpose == Purpose.SATISFACTION
