"""The survey pages: staff draft and open a survey, a trainee answers it on the phone, a code
answers an open survey, the classroom screen turns into the evaluation QR code."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.curriculum.models import NeedTopic
from luodi.surveys import blueprints, services
from luodi.surveys.models import Audience, Purpose, QuestionKind, Response, Survey
from luodi.surveys.services import QuestionSpec

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """The pages in English, so the messages read as the msgids below."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def open_survey(users, college):
    survey = services.survey_create(
        by=users["staff"],
        title="课程满意度",
        purpose=Purpose.SATISFACTION,
        audience=Audience.CLASS,
        training_class=college.running,
        questions=[
            QuestionSpec(kind=QuestionKind.RATING, text="总体满意度", scale=(1, 5)),
            QuestionSpec(kind=QuestionKind.LONG_TEXT, text="建议", required=False),
        ],
    )
    return services.survey_publish(survey=survey, by=users["staff"])


def test_staff_draft_a_satisfaction_survey_add_a_question_and_open_it(client_as, college):
    client = client_as(Role.STAFF)
    NeedTopic.objects.create(name="物业纠纷调解", category=college.category)
    college.running.target_needs.set(NeedTopic.objects.all())
    response = client.post(
        reverse("surveys:new"),
        {"start": "satisfaction", "training_class": college.running.pk, "anonymous": "on"},
    )
    survey = Survey.objects.get()
    assert response.url == survey.get_absolute_url()
    assert survey.questions.filter(role=blueprints.NEED_MET, options=["物业纠纷调解"]).exists()
    response = client.post(
        reverse("surveys:question-add", args=[survey.pk]),
        {"kind": "single", "text": "是否推荐同事参加", "options": "是\n否", "required": "on"},
    )
    assert survey.questions.last().text == "是否推荐同事参加"
    client.post(reverse("surveys:publish", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.published_at is not None
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "0 of 1 have answered." in page
    assert "<svg" in page  # the QR code to the answering page


def test_a_satisfaction_survey_needs_its_class(client_as):
    response = client_as(Role.STAFF).post(reverse("surveys:new"), {"start": "satisfaction"})
    assert response.status_code == 200
    assert "Choose the class this survey is about." in response.content.decode()
    assert not Survey.objects.exists()


def test_the_trainee_sees_it_due_answers_it_and_cannot_answer_twice(client_as, open_survey):
    client = client_as(Role.TRAINEE)
    home = client.get(reverse("checkin:home")).content.decode()
    assert open_survey.answer_url() in home
    rating = open_survey.questions.get(kind=QuestionKind.RATING)
    url = open_survey.answer_url()
    refused = client.post(url, {f"q{rating.pk}": "9"})
    assert refused.status_code == 400
    assert "Give a score from 1 to 5." in refused.content.decode()
    assert not Response.objects.exists()
    done = client.post(url, {f"q{rating.pk}": "5"})
    assert "Your answers have been received." in done.content.decode()
    assert Response.objects.get().answers.get().value == 5
    again = client.get(url).content.decode()
    assert "You have already answered this survey." in again
    assert open_survey.answer_url() not in client.get(reverse("checkin:home")).content.decode()


def test_a_closed_survey_says_when_it_closed(client_as, open_survey):
    open_survey.opens_at = timezone.now() - dt.timedelta(days=2)
    open_survey.closes_at = timezone.now() - dt.timedelta(days=1)
    open_survey.save()
    page = client_as(Role.TRAINEE).get(open_survey.answer_url()).content.decode()
    assert "This survey closed on" in page


def test_an_open_survey_is_answered_with_a_code_without_logging_in(client, users):
    survey = services.survey_create(
        by=users["staff"],
        title="社区走访问卷",
        purpose=Purpose.NEEDS,
        audience=Audience.OPEN,
        questions=[QuestionSpec(kind=QuestionKind.SHORT_TEXT, text="最需要的培训")],
    )
    survey = services.survey_publish(survey=survey, by=users["staff"])
    code = services.codes_issue(survey=survey, count=1, by=users["staff"])[0]
    url = reverse("surveys:code", args=[survey.pk])
    wrong = client.post(url, {"code": "ZZZZ-ZZZZ"}).content.decode()
    assert "This code is not valid for this survey, or has been used." in wrong
    form = client.post(url, {"code": code}).content.decode()
    assert "最需要的培训" in form
    question = survey.questions.get()
    client.post(url, {"code": code, "answering": "1", f"q{question.pk}": "矛盾调解"})
    assert Response.objects.get().answers.get().text == "矛盾调解"
    used = client.post(url, {"code": code}).content.decode()
    assert "This code is not valid for this survey, or has been used." in used


def test_the_check_in_screen_turns_into_the_evaluation_near_the_end(noon, client_as, college):
    session = college.running.sessions.get()
    session.date = noon.date()
    session.start_time = (noon - dt.timedelta(hours=2)).time()
    session.end_time = (noon + dt.timedelta(minutes=5)).time()
    session.save()
    client = client_as(Role.HEAD_TEACHER)
    screen = client.get(reverse("checkin:screen", args=[session.pk])).content.decode()
    assert reverse("surveys:session-evaluation", args=[session.pk]) in screen
    assert 'hx-trigger="load"' in screen
    switched = client.post(
        reverse("surveys:session-evaluation", args=[session.pk]), HTTP_HX_REQUEST="true"
    )
    assert switched["HX-Redirect"] == reverse("surveys:screen", args=[session.pk])
    evaluation = Survey.objects.get(session=session)
    page = client.get(reverse("surveys:screen", args=[session.pk])).content.decode()
    assert 'data-testid="evaluation-qr"' in page
    assert "0<small>/1</small>" in page
    assert evaluation.is_open()


def test_the_check_in_screen_does_not_switch_early(noon, client_as, college):
    session = college.running.sessions.get()
    session.date = noon.date()
    session.start_time = (noon - dt.timedelta(minutes=10)).time()
    session.end_time = (noon + dt.timedelta(hours=2)).time()
    session.save()
    screen = client_as(Role.HEAD_TEACHER).get(reverse("checkin:screen", args=[session.pk]))
    assert 'hx-trigger="load"' not in screen.content.decode()


def test_an_evaluated_session_stays_on_the_timetable(noon, users, college):
    from django.core.exceptions import ValidationError

    from luodi.training.services.scheduling import session_delete

    session = college.running.sessions.get()
    session.date = noon.date()
    session.start_time = (noon - dt.timedelta(hours=2)).time()
    session.end_time = (noon - dt.timedelta(hours=1)).time()
    session.save()
    session.attendances.all().delete()  # only the evaluation holds it
    evaluation = blueprints.session_evaluation(session=session, by=users["staff"])
    rubric = evaluation.questions.get(role=blueprints.RUBRIC)
    scores = {f"q{rubric.pk}_{i}": "18" for i in range(5)}
    services.response_submit(survey=evaluation, data=scores, user=users["trainee"])
    with pytest.raises(ValidationError, match="evaluated by its trainees"):
        session_delete(session=session, by=users["staff"])


def test_an_evaluation_opened_early_says_when_it_opens(noon, client_as, college):
    session = college.running.sessions.get()
    session.date = noon.date()
    session.start_time = (noon + dt.timedelta(hours=1)).time()
    session.end_time = (noon + dt.timedelta(hours=3)).time()
    session.save()
    client = client_as(Role.HEAD_TEACHER)
    client.post(reverse("surveys:session-evaluation", args=[session.pk]))
    page = client.get(reverse("surveys:screen", args=[session.pk])).content.decode()
    assert "The evaluation opens when the session starts, at" in page
    assert 'data-testid="evaluation-qr"' not in page


def test_a_draft_open_survey_is_not_shown_to_anyone_with_its_address(client, users):
    survey = services.survey_create(
        by=users["staff"],
        title="未发布的问卷",
        purpose=Purpose.NEEDS,
        audience=Audience.OPEN,
        questions=[QuestionSpec(kind=QuestionKind.SHORT_TEXT, text="建议")],
    )
    assert client.get(reverse("surveys:code", args=[survey.pk])).status_code == 404
