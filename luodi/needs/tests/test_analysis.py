import datetime as dt

import pytest
from django.utils import timezone

from luodi.needs.analysis import Group, rank_topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(college, respond, record):
    """Dalian: disputes needed most (5, 5, 4), consultation middling, grid management low in
    the questionnaire but in both findings. Shenyang wants consultation."""
    dl, sy = college.dalian, college.shenyang
    respond(dl, {"a": 5, "b": 3, "c": 2}, problem="邻里之间化解矛盾纠纷最难")
    respond(dl, {"a": 5, "b": 4, "c": 2})
    respond(dl, {"a": 4, "b": 2, "c": 1})
    respond(sy, {"a": 1, "b": 5}, post="director", problem="社区协商议事没人来")
    respond(sy, {"a": 1, "b": 5}, post="director")


def test_it_ranks_a_citys_needs_by_the_combined_score(college, topics, answers):
    ranks = rank_topics(Group(city_ids=(college.dalian.pk,)))
    # disputes: 0.6 × (½ × 3.667/4 + ½ × 1) + 0.25 × 1/2 findings + 0.15 × 1/2 hits
    #   (one of the two findings is tagged with it; only the problem answer names it)
    # grid: 0.6 × (½ × 0.667/4 + 0) + 0.25 × 2/2 + 0.15 × 2/2 (both findings name it)
    # consultation: 0.6 × (½ × 2/4 + ½ × 1/3); emergencies: nothing
    assert [(r.topic.name, r.score) for r in ranks] == [
        ("化解矛盾纠纷", 77.5),
        ("网格化管理", 45.0),
        ("社区协商议事", 25.0),
        ("应急处置", 0.0),
    ]


def test_another_group_ranks_differently(college, topics, answers):
    ranks = rank_topics(Group(city_ids=(college.shenyang.pk,)))
    assert ranks[0].topic == topics.b
    assert rank_topics(Group(posts=("director",)))[0].topic == topics.b


def test_it_shows_the_evidence_behind_each_rank(college, topics, answers, record):
    ranks = {r.topic.name: r for r in rank_topics(Group(city_ids=(college.dalian.pk,)))}
    disputes = ranks["化解矛盾纠纷"]
    assert disputes.respondents == 3
    assert disputes.mean == pytest.approx(14 / 3)
    assert disputes.share_high_percent == 100.0
    assert disputes.quotes == ["邻里之间化解矛盾纠纷最难"]
    assert [f.text for f in disputes.findings] == ["网格化管理信息不通"]
    grid = ranks["网格化管理"]
    assert (grid.finding_count, grid.keyword_hits) == (2, 2)
    assert {f.record for f in grid.findings} == {record}
    assert grid.share_high_percent == 0.0
    assert (ranks["应急处置"].mean, ranks["应急处置"].respondents) == (None, 0)


def test_it_takes_only_recent_secretaries_for_new_secretaries(college, topics, respond, noon):
    today = timezone.localdate()
    new, old = college.cadres_dalian
    new.post_since = today - dt.timedelta(days=30)
    old.post_since = today - dt.timedelta(days=3000)
    for cadre in (new, old):
        cadre.save(update_fields=["post_since"])
    respond(college.dalian, {"d": 5}, cadre=new)
    respond(college.dalian, {"a": 5}, cadre=old)
    respond(college.dalian, {"b": 5})  # anonymous: no date of taking office
    ranks = rank_topics(Group(new_secretaries=True), today=today)
    assert [r.topic for r in ranks if r.respondents] == [topics.d]


def test_it_ranks_with_a_constant_number_of_queries(
    college, answers, respond, django_assert_max_num_queries
):
    group = Group(city_ids=(college.dalian.pk,))
    with django_assert_max_num_queries(7):
        rank_topics(group)
    for _ in range(20):
        respond(college.dalian, {"a": 3, "b": 3, "c": 3, "d": 3}, problem="应急处置经验少")
    with django_assert_max_num_queries(7):
        rank_topics(group)
