"""Application stories (学以致用): staff enter and edit them, a follow-up answer makes one,
staff promote one into the case library; each reader sees the stories of the cadres they
reach, on the list, its export, the course page and the personal archive."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import L, R, S, T, V
from luodi.accounts.models import Role, User
from luodi.curriculum.models import TeachingCase
from luodi.lib import audit
from luodi.training.models import ApplicationStory, StorySource
from luodi.training.services import stories

pytestmark = pytest.mark.django_db


def story_of(college, cadre, **kw):
    defaults = {
        "training_class": college.finished,
        "course": college.course,
        "teacher": college.teacher,
        "problem": "小区停车难，居民矛盾多",
        "applied": "用课上学的议事协商，召开居民议事会",
        "outcome": "划定错时停车位，投诉减少",
    }
    return stories.story_create(cadre=cadre, by=None, **{**defaults, **kw})


# ---- services ----------------------------------------------------------------------------------


def test_staff_enter_a_story_in_the_cadres_community(college, users):
    cadre = college.cadres_dalian[0]
    story = story_of(college, cadre)
    assert story.community == cadre.community
    assert story.source == StorySource.STAFF
    assert audit.recent("story.create")[-1]["object"] == f"training.applicationstory:{story.pk}"
    stories.story_update(story=story, outcome="投诉减少一半", by=users[Role.STAFF])
    story.refresh_from_db()
    assert story.outcome == "投诉减少一半"
    assert audit.recent("story.update")[-1]["details"]["fields"] == "outcome"


def test_it_refuses_a_class_the_cadre_did_not_take_part_in(college, make):
    other_class = make.training_class(college.class_type)
    with pytest.raises(ValidationError) as refused:
        story_of(college, college.cadres_dalian[0], training_class=other_class)
    assert "training_class" in refused.value.error_dict
    assert not ApplicationStory.objects.exists()


def test_it_refuses_a_course_not_taught_in_the_class(college, make):
    course = make.course(college.category, title="未在本班讲授的课程")
    with pytest.raises(ValidationError) as refused:
        story_of(college, college.cadres_dalian[0], course=course)
    assert "course" in refused.value.error_dict


def test_a_follow_up_answer_makes_a_story_from_the_follow_up(college, users):
    story = stories.story_from_follow_up(
        cadre=college.cadres_shenyang[0],
        training_class=college.finished,
        applied="网格化管理",
        outcome="楼栋长队伍建起来了",
        still_needed="数据平台操作培训",
        by=None,
    )
    assert story.source == StorySource.FOLLOW_UP
    assert (story.applied, story.outcome, story.still_needed) == (
        "网格化管理",
        "楼栋长队伍建起来了",
        "数据平台操作培训",
    )
    assert story.training_class == college.finished
    assert story.community == college.cadres_shenyang[0].community


def test_a_follow_up_that_applied_nothing_makes_no_story(college):
    story = stories.story_from_follow_up(
        cadre=college.cadres_shenyang[0],
        training_class=college.finished,
        applied=" ",
        outcome="",
        still_needed="还需要调解方面的课程",
        by=None,
    )
    assert story is None
    assert not ApplicationStory.objects.exists()


def test_a_follow_up_half_answered_is_refused(college, make):
    with pytest.raises(ValidationError):
        stories.story_from_follow_up(
            cadre=college.cadres_shenyang[0],
            training_class=college.finished,
            applied="网格化管理",
            outcome="",
            still_needed="",
            by=None,
        )
    stranger = make.cadre(college.communities_dalian[1])
    with pytest.raises(ValidationError):  # not a trainee of that class
        stories.story_from_follow_up(
            cadre=stranger,
            training_class=college.finished,
            applied="网格化管理",
            outcome="有效",
            still_needed="",
            by=None,
        )


def test_promoting_makes_a_case_of_the_course_and_community(college, users):
    story = story_of(college, college.cadres_dalian[0])
    case = stories.story_promote(story=story, by=users[Role.STAFF])
    story.refresh_from_db()
    assert story.case == case
    assert case.community == story.community
    assert list(case.courses.all()) == [college.course]
    assert case.title == "拥警社区：小区停车难，居民矛盾多"
    assert "问题：小区停车难" in case.summary
    assert "成效：划定错时停车位" in case.summary
    event = audit.recent("story.promote")[-1]
    assert event["details"]["case"] == str(case.pk)


def test_promoting_twice_is_refused_with_the_case_named(college, users):
    story = story_of(college, college.cadres_dalian[0])
    case = stories.story_promote(story=story, by=users[Role.STAFF], title="停车难的协商解法")
    with pytest.raises(ValidationError) as refused:
        stories.story_promote(story=story, by=users[Role.STAFF], title="另一个标题")
    assert "停车难的协商解法" in refused.value.messages[0]
    assert TeachingCase.objects.count() == 1
    story.refresh_from_db()
    assert story.case == case


def test_a_title_already_in_the_case_library_is_refused(college, users):
    TeachingCase.objects.create(title="停车难的协商解法", summary="已有")
    story = story_of(college, college.cadres_dalian[0])
    with pytest.raises(ValidationError) as refused:
        stories.story_promote(story=story, by=users[Role.STAFF], title="停车难的协商解法")
    assert "title" in refused.value.error_dict
    story.refresh_from_db()
    assert story.case is None


# ---- pages and scope ---------------------------------------------------------------------------


def test_a_liaison_of_another_city_cannot_see_a_story(client_as, college):
    shenyang = story_of(college, college.cadres_shenyang[0], problem="沈阳的问题")
    dalian = story_of(college, college.cadres_dalian[0], problem="大连的问题")
    client = client_as(L)  # Dalian's liaison
    assert client.get(reverse("training:story-detail", args=[shenyang.pk])).status_code == 404
    assert client.get(reverse("training:story-detail", args=[dalian.pk])).status_code == 200
    body = client.get(reverse("training:story-list")).content.decode()
    assert "大连的问题" in body
    assert "沈阳的问题" not in body
    assert college.cadres_shenyang[0].name not in body


def test_the_list_filters_by_city_class_and_course(client_as, college, make):
    story_of(college, college.cadres_shenyang[0], problem="沈阳的问题")
    story_of(college, college.cadres_dalian[0], problem="大连的问题")
    client = client_as(S)
    url = reverse("training:story-list")
    body = client.get(url, {"city": college.dalian.pk}).content.decode()
    assert "大连的问题" in body
    assert "沈阳的问题" not in body
    other = make.training_class(college.class_type)
    assert "大连的问题" not in client.get(url, {"class": other.pk}).content.decode()
    assert "大连的问题" in client.get(url, {"course": college.course.pk}).content.decode()


def test_the_list_takes_the_same_queries_for_any_number_of_stories(client_as, college):
    client = client_as(S)
    counts = []
    for cadres in (college.cadres_dalian[:1], college.cadres_dalian[1:] + college.cadres_shenyang):
        for cadre in cadres:
            story_of(college, cadre)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("training:story-list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 14


def test_the_export_has_the_listed_stories_with_phones_masked(client_as, college):
    story_of(college, college.cadres_shenyang[0], problem="沈阳的问题")
    story_of(college, college.cadres_dalian[0], problem="大连的问题")
    response = client_as(L).get(reverse("training:story-list-xlsx"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    cells = [str(v) for row in rows for v in row if v]
    assert "大连的问题" in cells
    assert "沈阳的问题" not in cells
    phone = college.cadres_dalian[0].phone
    assert phone not in cells
    assert college.cadres_dalian[0].masked_phone in cells


def test_the_course_page_shows_the_stories_the_user_reaches(client_as, college):
    story_of(college, college.cadres_shenyang[0], problem="沈阳的问题")
    story_of(college, college.cadres_dalian[0], problem="大连的问题")
    url = reverse("curriculum:course-detail", args=[college.course.pk])
    assert "沈阳的问题" in client_as(V).get(url).content.decode()
    body = client_as(L).get(url).content.decode()
    assert "大连的问题" in body
    assert "沈阳的问题" not in body
    assert "大连的问题" not in client_as(T).get(url).content.decode()  # no cadres for teachers
    assert "大连的问题" in client_as(R).get(url).content.decode()  # the trainee's own


def test_the_personal_archive_shows_the_cadres_stories(client_as, college):
    story_of(college, college.cadres_dalian[0], problem="大连的问题")
    body = client_as(R).get(reverse("archive:my-archive")).content.decode()
    assert "大连的问题" in body
    url = reverse("archive:cadre-detail", args=[college.cadres_dalian[0].pk])
    body = client_as(S).get(url).content.decode()
    assert "大连的问题" in body
    assert reverse("training:story-new", args=[college.cadres_dalian[0].pk]) in body


def test_staff_enter_a_story_through_the_form(client_as, college):
    cadre = college.cadres_dalian[0]
    url = reverse("training:story-new", args=[cadre.pk])
    client = client_as(S)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "training_class": college.finished.pk,
            "course": college.course.pk,
            "problem": "垃圾分类推不动",
            "applied": "积分激励",
            "outcome": "参与率提高",
        },
    )
    story = ApplicationStory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()
    assert story.created_by.role == Role.STAFF


def test_promoting_through_the_page_prefills_and_refuses_a_second_time(client_as, college):
    story = story_of(college, college.cadres_dalian[0])
    url = reverse("training:story-promote", args=[story.pk])
    client = client_as(S)
    assert "拥警社区：小区停车难" in client.get(url).content.decode()
    response = client.post(url, {"title": "停车难的协商解法", "summary": "问题与做法"})
    assert response.status_code == 302
    assert TeachingCase.objects.get().title == "停车难的协商解法"
    again = client.get(url)  # back to the story, with the reason
    assert again.status_code == 302
    assert TeachingCase.objects.count() == 1


def test_a_liaison_may_not_enter_or_promote(client_as, college):
    story = story_of(college, college.cadres_dalian[0])
    client = client_as(L)
    assert client.post(reverse("training:story-promote", args=[story.pk])).status_code == 403
    url = reverse("training:story-new", args=[college.cadres_dalian[0].pk])
    assert client.post(url, {"applied": "x", "outcome": "y"}).status_code == 403
    assert not TeachingCase.objects.exists()
    assert User.objects.filter(role=Role.LIAISON).exists()
