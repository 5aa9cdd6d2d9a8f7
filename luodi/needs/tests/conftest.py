"""Need topics, a needs questionnaire and helpers to answer it, over ``conftest.college``."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from luodi.curriculum.models import NeedTopic, TeachingMethod
from luodi.needs.models import Finding, RecordKind, ResearchRecord
from luodi.surveys.blueprints import NEED_LEVEL, PROBLEM
from luodi.surveys.models import (
    Answer,
    Audience,
    Purpose,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from luodi.training.models import ClassStatus

# Topic names that do not contain one another, so keyword hits are exact.
TOPIC_NAMES = ["化解矛盾纠纷", "社区协商议事", "网格化管理", "应急处置"]


@pytest.fixture
def topics(college):
    return SimpleNamespace(
        **{
            key: NeedTopic.objects.create(name=name, category=college.category, position=i)
            for i, (key, name) in enumerate(zip("abcd", TOPIC_NAMES, strict=True))
        }
    )


@pytest.fixture
def needs_survey(topics):
    survey = Survey.objects.create(
        title="需求调查", purpose=Purpose.NEEDS, audience=Audience.CADRES, anonymous=False
    )
    Question.objects.create(
        survey=survey,
        position=0,
        kind=QuestionKind.MATRIX,
        text="需要程度",
        options=TOPIC_NAMES,
        option_topics=[topics.a.pk, topics.b.pk, topics.c.pk, topics.d.pk],
        scale_min=1,
        scale_max=5,
        role=NEED_LEVEL,
    )
    Question.objects.create(
        survey=survey, position=1, kind=QuestionKind.LONG_TEXT, text="最难的问题", role=PROBLEM
    )
    return survey


@pytest.fixture
def respond(needs_survey, topics):
    """Record one response: ``levels`` maps a topic key (a–d) to its score."""
    level_q, problem_q = needs_survey.questions.order_by("position")
    order = {"a": 0, "b": 1, "c": 2, "d": 3}

    def answer(city, levels, *, post="secretary", problem="", cadre=None):
        response = Response.objects.create(survey=needs_survey, city=city, post=post, cadre=cadre)
        for key, value in levels.items():
            Answer.objects.create(response=response, question=level_q, item=order[key], value=value)
        if problem:
            Answer.objects.create(response=response, question=problem_q, text=problem)
        return response

    return answer


@pytest.fixture
def record(college, topics):
    """A Dalian visit with two findings on grid management, one also on disputes."""
    visit = ResearchRecord.objects.create(
        kind=RecordKind.VISIT,
        date=dt.date(2026, 3, 2),
        place="拥警社区居委会",
        city=college.dalian,
        community=college.communities_dalian[0],
        participants="社区书记、网格员",
        summary="走访了解网格工作",
    )
    first = Finding.objects.create(record=visit, position=0, text="网格化管理人手不足")
    first.topics.set([topics.c])
    second = Finding.objects.create(record=visit, position=1, text="网格化管理信息不通")
    second.topics.set([topics.c, topics.a])
    return visit


@pytest.fixture
def scene(college, make, topics, respond, record):
    """Dalian needs disputes and grid management; three courses cover them; a planned class."""
    respond(college.dalian, {"a": 5, "b": 2, "c": 3})
    respond(college.dalian, {"a": 5, "b": 1, "c": 2})
    disputes = make.course(college.category, title="矛盾纠纷调解")
    grid = make.course(college.category, title="网格化管理研讨", method=TeachingMethod.DISCUSSION)
    consult = make.course(college.category, title="协商议事专题")
    for course, topic in ((disputes, topics.a), (grid, topics.c), (consult, topics.b)):
        course.need_topics.add(topic)
        course.teachers.add(college.teacher)
    planned = make.training_class(
        college.class_type,
        start_date=timezone.localdate() + dt.timedelta(days=40),
        end_date=timezone.localdate() + dt.timedelta(days=40),
        status=ClassStatus.PLANNED,
    )
    return planned, disputes, grid, consult
