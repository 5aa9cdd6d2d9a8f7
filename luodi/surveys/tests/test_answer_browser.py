"""In a real browser on a phone: a trainee answers the follow-up survey from their home page;
a question appears only after the answer that shows it, the unfinished answers survive a
reload (a dropped connection), and the response is recorded once."""

import pytest
from playwright.sync_api import expect

from luodi.accounts.models import Role
from luodi.surveys import blueprints, services
from luodi.surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_answers_the_follow_up_on_a_phone(
    browser_context, live_server, login_in_browser, users, college
):
    survey = blueprints.follow_up(training_class=college.running, by=users[Role.STAFF])
    survey.opens_at = survey.created_at
    survey.closes_at = None
    survey.save()
    services.survey_publish(survey=survey, by=users[Role.STAFF])
    questions = {q.role: q for q in survey.questions.all()}
    page = browser_context(viewport={"width": 375, "height": 800})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login_in_browser(page, users[Role.TRAINEE].username)
    page.goto(live_server.url + "/checkin/")
    page.click(f"#surveys-due a[href='{survey.answer_url()}']")
    applied = page.locator(f"#q{questions[blueprints.APPLIED].pk}")
    expect(applied).to_be_hidden()  # shown only after "yes"
    page.check(f"input[name=q{questions[blueprints.APPLIED_ANY].pk}][value='0']")
    expect(applied).to_be_visible()
    applied.locator("textarea").fill("用议事协商会解决了供暖纠纷，学自《社区协商》一课")
    # The phone drops the connection: the page is loaded again, the answers are still there.
    page.reload()
    expect(applied).to_be_visible()
    expect(applied.locator("textarea")).to_have_value(
        "用议事协商会解决了供暖纠纷，学自《社区协商》一课"
    )
    page.fill(f"#q{questions[blueprints.OUTCOME].pk} textarea", "二十户居民的暖气当月恢复")
    page.click("button[type=submit].primary")
    expect(page.locator("[data-testid=thanks]")).to_be_visible()
    response = Response.objects.get(survey=survey)
    assert response.cadre == users[Role.TRAINEE].cadre  # the follow-up is named
    texts = set(response.answers.exclude(text="").values_list("text", flat=True))
    assert texts == {"用议事协商会解决了供暖纠纷，学自《社区协商》一课", "二十户居民的暖气当月恢复"}
    # The draft was cleared with the submission.
    page.goto(live_server.url + survey.answer_url())
    expect(page.locator("[data-testid=refusal]")).to_contain_text("您已填写过本问卷")
    draft = page.evaluate(
        f"localStorage.getItem('luodi-survey-{survey.pk}-u{users[Role.TRAINEE].pk}')"
    )
    assert draft is None
    assert [e for e in errors if "Failed to load resource" not in e] == []
