"""Surveys answered through the services, for the results tests (imported by them)."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from luodi.accounts.models import Role, User
from luodi.surveys import blueprints, services
from luodi.surveys.models import Audience, Purpose, QuestionKind, Survey
from luodi.surveys.services import QuestionSpec


def reopen(survey: Survey) -> Survey:
    """Keep a survey about a past class open now, so that the tests can answer it."""
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=1), closes_at=None
    )
    survey.refresh_from_db()
    return survey


class Answering:
    """Trainees of a class who answer its surveys through ``services.response_submit``."""

    def __init__(self, make, college):
        self.make = make
        self.college = college
        self.cadres = list(college.cadres_dalian + college.cadres_shenyang)
        self.used: dict[int, int] = {}

    def trainee(self, survey: Survey, *, city: str = "dalian"):
        """A cadre of the survey's class not yet used for this survey, enrolled if needed."""
        n = self.used.get(survey.pk, 0)
        self.used[survey.pk] = n + 1
        while n >= len(self.cadres):
            community = (
                self.college.communities_dalian[0]
                if city == "dalian"
                else self.college.communities_shenyang[0]
            )
            cadre = self.make.cadre(community)
            self.make.enrol(survey.training_class, cadre)
            self.cadres.append(cadre)
        cadre = self.cadres[n]
        return User.objects.filter(cadre=cadre).first() or User.objects.create_user(
            username=f"trainee{cadre.pk}", password="x", role=Role.TRAINEE, cadre=cadre
        )

    def submit(self, survey: Survey, data: dict, **kw):
        answers = {k: v if isinstance(v, list) else [str(v)] for k, v in data.items()}
        return services.response_submit(
            survey=survey, data=answers, user=self.trainee(survey, **kw)
        )


@pytest.fixture
def answer_pages(monkeypatch):
    """Publishing links the answering page; on a branch without it, a stand-in link."""
    try:
        reverse("surveys:answer", args=[1])
    except NoReverseMatch:
        monkeypatch.setattr(Survey, "answer_url", lambda self: f"/surveys/{self.pk}/answer/")


@pytest.fixture
def answering(make, college):
    return Answering(make, college)


@pytest.fixture
def evaluation(college, users, answer_pages):
    """The evaluation of the finished class's first session (anonymous), open now."""
    return reopen(blueprints.session_evaluation(session=college.sessions[0], by=users[Role.STAFF]))


def rubric(survey: Survey, *scores: int, comment: str = "") -> dict:
    matrix = survey.questions.get(role=blueprints.RUBRIC)
    data = {f"q{matrix.pk}_{i}": s for i, s in enumerate(scores)}
    if comment:
        data[f"q{survey.questions.get(role=blueprints.COMMENT).pk}"] = comment
    return data


@pytest.fixture
def mixed(college, users, answer_pages):
    """A named class survey with one question of each kind, published and open."""
    survey = services.survey_create(
        by=users[Role.STAFF],
        title="课程反馈",
        purpose=Purpose.SATISFACTION,
        audience=Audience.CLASS,
        anonymous=False,
        training_class=college.finished,
        questions=[
            QuestionSpec(kind=QuestionKind.SINGLE, text="是否推荐", options=["是", "否"]),
            QuestionSpec(
                kind=QuestionKind.MULTIPLE,
                text="喜欢的方式",
                options=["讲授", "研讨", "现场"],
                required=False,
            ),
            QuestionSpec(kind=QuestionKind.RATING, text="总体满意度", scale=(1, 5)),
            QuestionSpec(
                kind=QuestionKind.MATRIX, text="各项评价", options=["内容", "组织"], scale=(1, 5)
            ),
            QuestionSpec(kind=QuestionKind.LONG_TEXT, text="建议", required=False),
        ],
    )
    services.survey_publish(survey=survey, by=users[Role.STAFF])
    return reopen(survey)


def mixed_answer(survey: Survey, single, multiple, rating, matrix, text="") -> dict:
    q = {x.position: x.pk for x in survey.questions.all()}
    data = {
        f"q{q[1]}": single,
        f"q{q[2]}": [str(m) for m in multiple],
        f"q{q[3]}": rating,
        f"q{q[4]}_0": matrix[0],
        f"q{q[4]}_1": matrix[1],
    }
    if text:
        data[f"q{q[5]}"] = text
    return data
