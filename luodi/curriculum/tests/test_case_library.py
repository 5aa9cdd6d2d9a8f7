"""The case library: cases written by a teacher or promoted from an application story, their
pages, the filters, and full-text search in Chinese (words cut with jieba, matched with SQL
that SQLite and PostgreSQL both run)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.curriculum import services
from luodi.curriculum.models import CaseSource, NeedTopic, TeachingCase
from luodi.lib import audit
from luodi.training.services import stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(college, users):
    staff = users[Role.STAFF]
    disputes = NeedTopic.objects.create(name="化解矛盾纠纷", category=college.category)

    def case(title, text, **kw):
        return services.case_create(
            by=staff, title=title, summary=text, author=college.teacher, **kw
        )

    return {
        # 物业 and 纠纷 far apart, each once.
        "apart": case(
            "老旧小区的托底管理",
            "物业公司退出后，街道组建临时服务队。半年后居民之间的停车纠纷也少了。",
            community=college.communities_dalian[0],
            need_topics=[disputes],
            courses=[college.course],
        ),
        # Both words, several times, one of them in the title.
        "dense": case(
            "物业纠纷的调解",
            "业主与物业因收费起了纠纷，社区请物业和业主代表坐下来，纠纷当场化解。",
            place="浙江省杭州市",
            lessons="先听后说，依法依规。",
        ),
        # One of the two words.
        "one": case(
            "红色物业联建",
            "社区党组织与物业企业党支部联建。",
            community=college.communities_shenyang[0],
        ),
        "none": case("居家养老服务", "整合辖区资源，为老人提供助餐服务。", place="沈阳市"),
        "topic": disputes,
    }


def _titles(cases) -> list[str]:
    return [c.title for c in cases]


def test_a_search_finds_words_that_are_not_next_to_each_other(library):
    found = TeachingCase.objects.search("物业纠纷")
    assert library["apart"] in found
    assert library["none"] not in found


def test_cases_with_more_of_the_words_and_more_hits_rank_first(library):
    found = list(TeachingCase.objects.search("物业纠纷"))
    assert _titles(found) == ["物业纠纷的调解", "老旧小区的托底管理", "红色物业联建"]
    dense, apart, one = found
    assert (dense.matched, apart.matched, one.matched) == (2, 2, 1)
    assert dense.hits > apart.hits  # 物业 ×5 and 纠纷 ×4 (the title twice) against 1 and 1


def test_a_word_is_not_found_inside_another_word(library):
    # 物业 is inside 物业公司 (jieba's search mode indexes both) but 业公 is no word.
    assert list(TeachingCase.objects.search("业公")) == []
    assert library["apart"] in TeachingCase.objects.search("物业公司")


def test_the_search_covers_lessons_and_place(library):
    assert list(TeachingCase.objects.search("依法依规")) == [library["dense"]]
    assert list(TeachingCase.objects.search("杭州")) == [library["dense"]]


def test_a_query_of_nothing_but_punctuation_finds_nothing(library):
    assert list(TeachingCase.objects.search("，。、")) == []


def test_a_search_with_no_match_gives_a_friendly_empty_page(library, client_as):
    response = client_as(Role.TRAINEE).get(reverse("curriculum:case-list"), {"q": "火星殖民"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "No case mentions “火星殖民”" in body
    assert "Show all cases" in body


def test_the_list_page_searches_and_filters(library, college, client_as):
    client = client_as(Role.STAFF)

    def titles(**query):
        return _titles(client.get(reverse("curriculum:case-list"), query).context["page"])

    assert titles(q="物业纠纷") == ["物业纠纷的调解", "老旧小区的托底管理", "红色物业联建"]
    assert titles(q="物业纠纷", city=college.dalian.pk) == ["老旧小区的托底管理"]
    assert titles(topic=library["topic"].pk) == ["老旧小区的托底管理"]
    assert titles(course=college.course.pk) == ["老旧小区的托底管理"]
    assert titles(source=CaseSource.STORY) == []
    assert len(titles()) == 4
    # The course is chosen with the course picker: the page holds the chosen course only.
    url = reverse("curriculum:case-list")
    unfiltered = client.get(url).content.decode()
    picker = re.compile(r'<select name="course".*?</select>', re.S)
    (select,) = picker.findall(unfiltered)
    assert f'data-picker="{reverse("curriculum:course-pick")}"' in select
    assert college.course.title not in select
    (select,) = picker.findall(client.get(url, {"course": college.course.pk}).content.decode())
    assert f'<option value="{college.course.pk}" selected>{college.course.title}</option>' in select


def test_the_list_takes_the_same_queries_however_many_cases(
    library, college, client_as, users, django_assert_max_num_queries
):
    client = client_as(Role.STAFF)
    for i in range(6):
        services.case_create(
            by=users[Role.STAFF],
            title=f"物业案例{i}",
            summary="物业纠纷",
            author=college.teacher,
            place="大连",
            need_topics=[library["topic"]],
            courses=[college.course],
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("curriculum:case-list"), {"q": "物业纠纷"})
    assert len(response.context["page"]) == 9


def test_a_case_page_shows_its_text_lessons_links_and_sessions(library, college, client_as):
    case = library["dense"]
    session = college.sessions[0]
    session.case = case
    session.save()
    body = client_as(Role.HEAD_TEACHER).get(case.get_absolute_url()).content.decode()
    assert "先听后说" in body
    assert "浙江省杭州市" in body
    assert session.training_class.get_absolute_url() in body
    # A trainee reads the case but not the class's sessions.
    body = client_as(Role.TRAINEE).get(case.get_absolute_url()).content.decode()
    assert "先听后说" in body
    assert session.training_class.get_absolute_url() not in body


def test_a_teachers_case_needs_its_author(college, users):
    with pytest.raises(ValidationError) as refused:
        services.case_create(by=users[Role.STAFF], title="无名", summary="x", author=None)
    assert "author" in refused.value.message_dict


def test_staff_write_and_edit_a_case_on_its_form(college, client_as):
    client = client_as(Role.STAFF)
    data = {"title": "楼栋议事会", "summary": "每栋楼选出议事代表。", "author": college.teacher.pk}
    response = client.post(reverse("curriculum:case-new"), data)
    assert "Give the community or the place of the case." in response.content.decode()
    response = client.post(reverse("curriculum:case-new"), {**data, "place": "鞍山市"})
    case = TeachingCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert audit.recent()[-1]["event"] == "case.create"
    response = client.post(
        reverse("curriculum:case-edit", args=[case.pk]),
        {**data, "place": "鞍山市", "full_text": "议事代表每月收集楼栋居民的停车意见。"},
    )
    assert response.status_code == 302
    assert list(TeachingCase.objects.search("停车")) == [case]  # the search words follow
    assert audit.recent()[-1]["event"] == "case.update"


def test_a_promoted_story_becomes_a_searchable_case_from_a_story(college, users, make):
    from luodi.training.services.stories import story_create

    topic = NeedTopic.objects.create(name="停车管理", category=college.category)
    college.course.need_topics.add(topic)
    cadre = college.cadres_dalian[0]
    story = story_create(
        cadre=cadre,
        training_class=college.finished,
        course=college.course,
        problem="小区停车难，邻里常有争执",
        applied="议事协商划定车位",
        outcome="矛盾少了",
        by=users[Role.STAFF],
    )
    case = stories.story_promote(story=story, by=users[Role.STAFF])
    assert case.source == CaseSource.STORY
    assert list(case.need_topics.all()) == [topic]
    assert list(TeachingCase.objects.search("停车争执")) == [case]


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read the pages' English wording; the UI's default is Chinese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
