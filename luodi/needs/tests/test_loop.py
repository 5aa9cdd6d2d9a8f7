"""Closing the loop of a class: need by need, demand before, coverage, met after, applied."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role, User
from luodi.curriculum.models import NeedTopic
from luodi.needs.loop import class_loop
from luodi.surveys import blueprints, services
from luodi.training.models import ApplicationStory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(users, college, make):
    """The finished class targeted two needs; its course covers the first only. Its four
    trainees answered the needs survey, the satisfaction survey and the follow-up."""
    covered = NeedTopic.objects.create(name="协商议事", category=college.category)
    missed = NeedTopic.objects.create(name="应急处置", category=college.category)
    college.course.need_topics.add(covered)
    college.finished.target_needs.set([covered, missed])
    trainees = college.cadres_dalian + college.cadres_shenyang
    accounts = [
        users[Role.TRAINEE]
        if c == users[Role.TRAINEE].cadre
        else User.objects.create_user(username=f"t{c.pk}", role=Role.TRAINEE, cadre=c)
        for c in trainees
    ]
    start = timezone.make_aware(dt.datetime.combine(college.finished.start_date, dt.time(9)))
    needs = blueprints.needs_questionnaire(
        by=users[Role.STAFF],
        audience="class",
        training_class=college.finished,
        opens_at=start - dt.timedelta(days=30),
        closes_at=start - dt.timedelta(days=1),
    )
    needs = services.survey_publish(survey=needs, by=users[Role.STAFF])
    level = needs.questions.get(role=blueprints.NEED_LEVEL)
    items = {t: level.option_topics.index(t.pk) for t in (covered, missed)}
    # Needed: 5, 5, 4, 2 for the covered need (mean 4, 3 of 4 high); 1 for the other.
    for account, score in zip(accounts, (5, 5, 4, 2), strict=True):
        data = {f"q{level.pk}_{i}": ["3"] for i in range(len(level.options))}
        data[f"q{level.pk}_{items[covered]}"] = [str(score)]
        data[f"q{level.pk}_{items[missed]}"] = ["1"]
        data[f"q{needs.questions.get(role=blueprints.PROBLEM).pk}"] = ["议事会开不起来"]
        services.response_submit(
            survey=needs, data=data, user=account, at=start - dt.timedelta(days=9)
        )
    satisfaction = blueprints.class_satisfaction(
        training_class=college.finished, by=users[Role.STAFF]
    )
    satisfaction = services.survey_publish(survey=satisfaction, by=users[Role.STAFF])
    met = satisfaction.questions.get(role=blueprints.NEED_MET)
    overall = satisfaction.questions.get(role=blueprints.OVERALL)
    at = satisfaction.opens_at + dt.timedelta(hours=1)
    # Met: 5, 4, 3 for the covered need (2 of 3 high), 2, 2, 2 for the other.
    for account, score in zip(accounts[:3], (5, 4, 3), strict=True):
        data = {f"q{overall.pk}": ["4"], f"q{met.pk}_0": [str(score)], f"q{met.pk}_1": ["2"]}
        services.response_submit(survey=satisfaction, data=data, user=account, at=at)
    follow = blueprints.follow_up(training_class=college.finished, by=users[Role.STAFF])
    follow = services.survey_publish(survey=follow, by=users[Role.STAFF])
    q = {question.role: question for question in follow.questions.all()}
    data = {
        f"q{q[blueprints.APPLIED_ANY].pk}": ["0"],
        f"q{q[blueprints.APPLIED].pk}": [f"学了《{college.course.title}》，办起了议事会"],
        f"q{q[blueprints.OUTCOME].pk}": ["停车难解决了"],
        f"q{q[blueprints.NEED_MET].pk}_0": ["5"],
        f"q{q[blueprints.NEED_MET].pk}_1": ["3"],
    }
    services.response_submit(
        survey=follow, data=data, user=accounts[0], at=follow.opens_at + dt.timedelta(days=1)
    )
    return covered, missed


def test_each_targeted_need_shows_demand_coverage_met_and_stories(scene, college, users):
    covered, missed = scene
    loop = class_loop(college.finished, users[Role.STAFF])
    rows = {row.topic: row for row in loop.needs}
    first, other = rows[covered], rows[missed]
    assert (first.demand.n, first.demand.mean, first.demand.share_high) == (4, 4.0, 0.75)
    assert (other.demand.n, other.demand.mean, other.demand.share_high) == (4, 1.0, 0.0)
    assert (first.sessions, first.hours) == (3, Decimal(9))  # all three sessions teach it
    assert (other.sessions, other.hours) == (0, Decimal(0))
    assert (first.met.n, first.met.high) == (3, 2)
    assert (other.met.n, other.met.high) == (3, 0)
    assert (first.helped.n, first.helped.high, other.helped.high) == (1, 1, 0)
    story = ApplicationStory.objects.get()
    assert first.stories == [story]
    assert other.stories == []
    assert loop.other_stories == []
    assert loop.hours == Decimal(9)


def test_the_loop_costs_the_same_queries_however_many_answers(
    scene, college, users, django_assert_max_num_queries
):
    with django_assert_max_num_queries(11):
        class_loop(college.finished, users[Role.STAFF])


def test_the_page_shows_the_loop_and_a_liaison_sees_only_their_citys_stories(
    scene, client_as, college, settings
):
    client = client_as(Role.STAFF)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("needs:class-loop", args=[college.finished.pk])).content.decode()
    assert "协商议事" in page
    assert "not covered" in page  # the missed need
    assert "75.0%" in page
    assert ApplicationStory.objects.get().cadre.name in page
    refused = client_as(Role.LIAISON).get(reverse("needs:class-loop", args=[college.finished.pk]))
    assert refused.status_code == 403
