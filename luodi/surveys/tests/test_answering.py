"""Answering surveys: every question kind and skip rule, refusals, anonymity, one response."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from luodi.accounts.models import Role, User
from luodi.curriculum.models import NeedTopic
from luodi.surveys import blueprints, services
from luodi.surveys.models import (
    Answer,
    Audience,
    Participation,
    Purpose,
    QuestionKind,
    Response,
    Survey,
)
from luodi.surveys.services import AnswerRefused, QuestionSpec

pytestmark = pytest.mark.django_db


def form(**fields) -> MultiValueDict:
    """A submitted form: ``q12=["1"]``; lists for several values."""
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in fields.items()})


SPECS = [
    QuestionSpec(kind=QuestionKind.SINGLE, text="单选", options=["是", "否"]),
    QuestionSpec(
        kind=QuestionKind.MULTIPLE, text="多选", options=["甲", "乙", "丙"], required=False
    ),
    QuestionSpec(kind=QuestionKind.RATING, text="评分", scale=(1, 5)),
    QuestionSpec(kind=QuestionKind.MATRIX, text="矩阵", options=["一", "二"], scale=(0, 20)),
    QuestionSpec(kind=QuestionKind.SHORT_TEXT, text="短文本", required=False),
    # Shown only when the first question was answered "是" (option 0).
    QuestionSpec(kind=QuestionKind.LONG_TEXT, text="长文本", show_if=0, show_if_options=[0]),
]


@pytest.fixture
def survey(users, college):
    survey = services.survey_create(
        by=users["staff"],
        title="测试问卷",
        purpose=Purpose.SATISFACTION,
        audience=Audience.CLASS,
        anonymous=True,
        training_class=college.running,
        questions=SPECS,
    )
    return services.survey_publish(survey=survey, by=users["staff"])


@pytest.fixture
def q(survey):
    return {question.text: question for question in survey.questions.all()}


def full(q, **extra):
    data = {
        f"q{q['单选'].pk}": "0",
        f"q{q['多选'].pk}": ["0", "2"],
        f"q{q['评分'].pk}": "4",
        f"q{q['矩阵'].pk}_0": "18",
        f"q{q['矩阵'].pk}_1": "20",
        f"q{q['短文本'].pk}": " 好 ",
        f"q{q['长文本'].pk}": "学到了议事协商的方法",
    }
    return form(**{**data, **extra})


def test_every_kind_is_stored_as_answered(survey, q, users):
    response = services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    stored = {(a.question.text, a.item, a.value, a.text) for a in response.answers.all()}
    assert stored == {
        ("单选", None, 0, ""),
        ("多选", None, 0, ""),
        ("多选", None, 2, ""),
        ("评分", None, 4, ""),
        ("矩阵", 0, 18, ""),
        ("矩阵", 1, 20, ""),
        ("短文本", None, None, "好"),
        ("长文本", None, None, "学到了议事协商的方法"),
    }


def test_a_skipped_question_is_not_required_and_its_answer_is_dropped(survey, q, users):
    data = full(q, **{f"q{q['单选'].pk}": "1"})  # "否": the long text is not shown
    response = services.response_submit(survey=survey, data=data, user=users["trainee"])
    assert not response.answers.filter(question=q["长文本"]).exists()
    data = full(q, **{f"q{q['长文本'].pk}": ""})  # "是" and the shown question left blank
    with pytest.raises(ValidationError) as refused:
        services.response_submit(survey=survey, data=data, user=users["trainee"])
    assert str(q["长文本"].pk) in refused.value.message_dict


@pytest.mark.parametrize(
    ("question", "field", "value", "message"),
    [
        ("单选", "", "7", "Choose one of the options given."),
        ("单选", "", ["0", "1"], "Choose only one option."),
        ("单选", "", "", "This question needs an answer."),
        ("多选", "", ["1", "x"], "Choose one of the options given."),
        ("评分", "", "6", "Give a score from 1 to 5."),
        ("评分", "", "四", "Give a score from 1 to 5."),
        ("矩阵", "_1", "21", "Give a score from 0 to 20."),
        ("矩阵", "_1", "", "Score every line."),
        ("短文本", "", "长" * 201, "Keep the answer within 200 characters."),
    ],
)
def test_bad_answers_are_refused_per_question_and_nothing_is_saved(
    survey, q, users, question, field, value, message
):
    data = full(q, **{f"q{q[question].pk}{field}": value})
    with pytest.raises(ValidationError) as refused:
        services.response_submit(survey=survey, data=data, user=users["trainee"])
    assert refused.value.message_dict == {str(q[question].pk): [message]}
    assert not Response.objects.exists()
    assert not Participation.objects.exists()


def test_an_anonymous_response_keeps_no_link_to_its_person(survey, q, users):
    services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    response = Response.objects.get()
    assert response.cadre_id is None
    assert response.submitted_at is None
    participation = Participation.objects.get()
    assert participation.user == users["trainee"]
    # No column of the response or its answers refers to the participant or to a time, and
    # the ids are random (UUIDs), not an order of arrival.
    for model in (Response, Answer):
        columns = {f.column for f in model._meta.concrete_fields}
        assert not columns & {"user_id", "cadre_id_participant", "created_at", "updated_at"}
    assert response.id.version == 4
    assert all(a.id.version == 4 for a in response.answers.all())
    # What is kept for filtering is the group: city, post, class.
    assert response.city == users["trainee"].cadre.community.city
    assert response.training_class_id == survey.training_class_id


def test_a_named_response_keeps_its_cadre_and_time(users, college, q, survey):
    survey.anonymous = False
    survey.save()
    response = services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    assert response.cadre == users["trainee"].cadre
    assert response.submitted_at is not None


def test_a_second_response_is_refused(survey, q, users):
    services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    with pytest.raises(AnswerRefused, match="already answered"):
        services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    assert Response.objects.count() == 1


def test_only_its_audience_answers(survey, q, users, college, make):
    stranger = User.objects.create_user(
        username="other", role=Role.TRAINEE, cadre=college.cadres_shenyang[0]
    )
    with pytest.raises(AnswerRefused, match="not addressed to you"):
        services.response_submit(survey=survey, data=full(q), user=stranger)
    with pytest.raises(AnswerRefused):
        services.response_submit(survey=survey, data=full(q), user=users["staff"])


def test_answers_before_opening_or_after_closing_are_refused(survey, q, users):
    survey.closes_at = timezone.now() - dt.timedelta(minutes=1)
    survey.opens_at = survey.closes_at - dt.timedelta(days=1)
    survey.save()
    with pytest.raises(AnswerRefused, match="closed on"):
        services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    survey.opens_at = timezone.now() + dt.timedelta(days=1)
    survey.closes_at = None
    survey.save()
    with pytest.raises(AnswerRefused, match="not open yet"):
        services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    survey.opens_at = timezone.now() - dt.timedelta(days=1)
    survey.published_at = None
    survey.save()
    with pytest.raises(AnswerRefused, match="not open yet"):
        services.response_submit(survey=survey, data=full(q), user=users["trainee"])


def test_questions_freeze_once_answered(survey, q, users):
    spec = QuestionSpec(kind=QuestionKind.SHORT_TEXT, text="新问题", required=False)
    services.question_add(survey=survey, spec=spec, by=users["staff"])
    services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    with pytest.raises(ValidationError, match="can no longer change"):
        services.question_add(survey=survey, spec=spec, by=users["staff"])
    with pytest.raises(ValidationError, match="can no longer change"):
        services.question_delete(question=q["评分"], by=users["staff"])
    with pytest.raises(ValidationError, match="can no longer change"):
        services.survey_replace_questions(survey=survey, questions=SPECS, by=users["staff"])
    assert survey.questions.count() == len(SPECS) + 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (QuestionSpec(kind="essay", text="x"), "Unknown question kind"),
        (QuestionSpec(kind=QuestionKind.SINGLE, text="x", options=["a"]), "needs its options"),
        (QuestionSpec(kind=QuestionKind.RATING, text="x", scale=(5, 5)), "needs a scale"),
        (QuestionSpec(kind=QuestionKind.RATING, text="  "), "has no text"),
        (
            QuestionSpec(kind=QuestionKind.LONG_TEXT, text="x", show_if=2, show_if_options=[0]),
            "only depend on an earlier choice question",
        ),
        (
            QuestionSpec(kind=QuestionKind.LONG_TEXT, text="x", show_if=0, show_if_options=[5]),
            "choose the answers that show it",
        ),
    ],
)
def test_a_bad_question_is_refused(survey, users, spec, message):
    with pytest.raises(ValidationError, match=message):
        services.question_add(survey=survey, spec=spec, by=users["staff"])


def test_one_time_codes_answer_once_and_only_their_digest_is_kept(users):
    survey = services.survey_create(
        by=users["staff"],
        title="开放问卷",
        purpose=Purpose.NEEDS,
        audience=Audience.OPEN,
        questions=[QuestionSpec(kind=QuestionKind.RATING, text="评分", scale=(1, 5))],
    )
    survey = services.survey_publish(survey=survey, by=users["staff"])
    codes = services.codes_issue(survey=survey, count=3, by=users["staff"])
    assert len(set(codes)) == 3
    stored = set(survey.codes.values_list("digest", flat=True))
    assert not any(c.replace("-", "") in d for c in codes for d in stored)
    question = survey.questions.get()
    data = form(**{f"q{question.pk}": "5"})
    services.response_submit(survey=survey, data=data, code=codes[0].lower())
    with pytest.raises(AnswerRefused, match="already been used"):
        services.response_submit(survey=survey, data=data, code=codes[0])
    with pytest.raises(AnswerRefused, match="not valid"):
        services.response_submit(survey=survey, data=data, code="AAAA-AAAA")
    services.response_submit(survey=survey, data=data, code=codes[1])
    assert Response.objects.filter(survey=survey, cadre__isnull=True).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_responses_of_one_person_record_one(users, college):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers")
    survey = services.survey_create(
        by=users["staff"],
        title="并发",
        purpose=Purpose.SATISFACTION,
        audience=Audience.CLASS,
        training_class=college.running,
        questions=[QuestionSpec(kind=QuestionKind.RATING, text="评分", scale=(1, 5))],
    )
    survey = services.survey_publish(survey=survey, by=users["staff"])
    data = form(**{f"q{survey.questions.get().pk}": "5"})
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[Exception] = []

    def answer():
        try:
            barrier.wait(timeout=30)
            services.response_submit(survey=survey, data=data, user=users["trainee"])
            outcomes.append("saved")
        except AnswerRefused:
            outcomes.append("refused")
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(outcomes) == ["refused", "saved"]
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == 1


def test_surveys_due_are_the_open_unanswered_ones_of_the_trainee(survey, q, users, college):
    other = services.survey_create(
        by=users["staff"],
        title="沈阳需求",
        purpose=Purpose.NEEDS,
        audience=Audience.CADRES,
        cities=[college.shenyang],
        questions=[QuestionSpec(kind=QuestionKind.RATING, text="评分", scale=(1, 5))],
    )
    services.survey_publish(survey=other, by=users["staff"])
    mine = services.survey_create(
        by=users["staff"],
        title="大连书记需求",
        purpose=Purpose.NEEDS,
        audience=Audience.CADRES,
        cities=[college.dalian],
        posts=["secretary"],
        questions=[QuestionSpec(kind=QuestionKind.RATING, text="评分", scale=(1, 5))],
    )
    services.survey_publish(survey=mine, by=users["staff"])
    assert [s.title for s in services.surveys_due(users["trainee"])] == ["测试问卷", "大连书记需求"]
    services.response_submit(survey=survey, data=full(q), user=users["trainee"])
    assert [s.title for s in services.surveys_due(users["trainee"])] == ["大连书记需求"]


def test_publishing_tells_the_class(users, college, django_capture_on_commit_callbacks):
    from luodi.notifications.models import Notification

    survey = services.survey_create(
        by=users["staff"],
        title="测试问卷",
        purpose=Purpose.SATISFACTION,
        audience=Audience.CLASS,
        training_class=college.running,
        questions=SPECS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_publish(survey=survey, by=users["staff"])

    notice = Notification.objects.get(user=users["trainee"])
    assert "测试问卷" in notice.text
    assert notice.url == survey.answer_url()


def test_the_templates_build_their_questions(users, college):
    topic = NeedTopic.objects.create(name="化解矛盾纠纷", category=college.category)
    college.finished.target_needs.add(topic)
    needs = blueprints.needs_questionnaire(by=users["staff"], cities=[college.dalian])
    matrix = needs.questions.get(role=blueprints.NEED_LEVEL)
    assert matrix.options == ["化解矛盾纠纷"]
    assert matrix.option_topics == [topic.pk]
    satisfaction = blueprints.class_satisfaction(training_class=college.finished, by=None)
    assert satisfaction.questions.get(role=blueprints.NEED_MET).option_topics == [topic.pk]
    follow = blueprints.follow_up(training_class=college.finished, by=None)
    assert not follow.anonymous
    assert follow.opens_at.date() >= college.finished.end_date + dt.timedelta(days=90)
    applied = follow.questions.get(role=blueprints.APPLIED)
    assert applied.show_if.role == blueprints.APPLIED_ANY
    assert applied.show_if_options == [0]
    session = college.sessions[0]
    evaluation = blueprints.session_evaluation(session=session, by=users["staff"])
    rubric = evaluation.questions.get(role=blueprints.RUBRIC)
    assert len(rubric.options) == 5
    assert (rubric.scale_min, rubric.scale_max) == (0, 20)
    assert evaluation.anonymous
    assert evaluation.published_at is not None
    assert blueprints.session_evaluation(session=session, by=users["staff"]) == evaluation
    assert Survey.objects.filter(session=session).count() == 1


def test_a_survey_that_opens_later_is_announced_once_when_it_opens(
    users, college, django_capture_on_commit_callbacks
):
    from luodi.notifications.models import Notification

    follow = blueprints.follow_up(training_class=college.running, by=users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_publish(survey=follow, by=users["staff"])
    assert not Notification.objects.filter(user=users["trainee"]).exists()  # months early
    assert services.surveys_announce() == 0
    opened = follow.opens_at + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.surveys_announce(opened) == 1
    notice = Notification.objects.get(user=users["trainee"])
    assert notice.url == follow.answer_url()
    assert services.surveys_announce(opened) == 0


def test_a_follow_up_that_says_what_was_applied_becomes_a_story(users, college):
    from luodi.training.models import ApplicationStory

    follow = blueprints.follow_up(
        training_class=college.running,
        by=users["staff"],
        opens_at=timezone.now() - dt.timedelta(days=1),
    )
    follow = services.survey_publish(survey=follow, by=users["staff"])
    q = {question.role: question for question in follow.questions.all()}
    data = form(
        **{
            f"q{q[blueprints.APPLIED_ANY].pk}": "0",
            f"q{q[blueprints.APPLIED].pk}": f"学了《{college.course.title}》，成立了楼院议事会",
            f"q{q[blueprints.OUTCOME].pk}": "停车纠纷化解",
            f"q{q[blueprints.STILL_NEEDED].pk}": "物业管理法规",
        }
    )
    services.response_submit(survey=follow, data=data, user=users["trainee"])
    story = ApplicationStory.objects.get()
    assert story.cadre == users["trainee"].cadre
    assert story.training_class == college.running
    assert story.course == college.course  # named in the answer
    assert (story.applied, story.outcome, story.still_needed) == (
        f"学了《{college.course.title}》，成立了楼院议事会",
        "停车纠纷化解",
        "物业管理法规",
    )
    assert story.source == "follow_up"


def test_a_follow_up_that_applied_nothing_makes_no_story(users, college):
    from luodi.training.models import ApplicationStory

    follow = blueprints.follow_up(
        training_class=college.running,
        by=users["staff"],
        opens_at=timezone.now() - dt.timedelta(days=1),
    )
    follow = services.survey_publish(survey=follow, by=users["staff"])
    q = {question.role: question for question in follow.questions.all()}
    data = form(**{f"q{q[blueprints.APPLIED_ANY].pk}": "1"})
    services.response_submit(survey=follow, data=data, user=users["trainee"])
    assert not ApplicationStory.objects.exists()
