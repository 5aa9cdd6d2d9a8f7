from decimal import Decimal

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.faculty.models import ReviewStatus
from luodi.training.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """The pages in English, so that texts read as their msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _query(college, planned):
    return {"class": planned.pk, "city": college.dalian.pk}


def test_the_analysis_page_ranks_the_groups_needs(
    client_as, college, scene, django_assert_max_num_queries
):
    client = client_as(Role.STAFF)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("needs:analysis"), {"city": college.dalian.pk, "show": "1"})
    body = page.content.decode()
    names = ("化解矛盾纠纷", "网格化管理", "应急处置")
    order = [body.index(f"<strong>{name}</strong>") for name in names]
    assert order == sorted(order)
    assert "拥警社区居委会" in body  # the findings behind grid management, linked
    # The planned class is chosen with the class picker, narrowed to the classes not running.
    assert 'data-picker="' + reverse("training:class-pick") + '?status=planned%2Cenrolling"' in body


def test_the_plan_page_suggests_courses_within_the_hours(client_as, college, scene):
    planned, disputes, grid, consult = scene
    body = client_as(Role.STAFF).get(reverse("needs:plan"), _query(college, planned))
    text = body.content.decode()
    # One day: 6 hours, two 3-hour courses, the best covering needs with a non-lecture.
    assert disputes.title in text
    assert grid.title in text
    assert f'name="course" value="{consult.pk}"' not in text
    assert "张平 · no ratings yet" in text


def test_without_a_class_the_plan_page_asks_for_one(client_as, college, scene):
    """By a picker that searches the classes not yet running (a province plans hundreds):
    the page itself lists none of them."""
    client = client_as(Role.STAFF)
    page = client.get(reverse("needs:plan"))
    assert page.status_code == 200
    html = page.content.decode()
    picker = reverse("training:class-pick") + "?status=planned%2Cenrolling"
    assert f'data-picker="{picker}"' in html
    assert scene[0].title not in html
    pick = reverse("training:class-pick")
    plannable = {"status": "planned,enrolling"}
    found = client.get(pick, plannable | {"q": scene[0].title}).json()["results"]
    assert [r["id"] for r in found] == [scene[0].pk]
    running = client.get(pick, plannable | {"q": college.running.title}).json()["results"]
    assert college.running.pk not in [r["id"] for r in running]


def test_staff_adjust_the_plan_and_turn_it_into_a_timetable(client_as, college, scene, topics):
    planned, disputes, grid, consult = scene
    client = client_as(Role.STAFF)
    data = _query(college, planned) | {"course": [grid.pk], "add": consult.pk}
    page = client.post(reverse("needs:plan"), data | {"action": "update"})
    text = page.content.decode()
    assert f'name="course" value="{consult.pk}" checked' in text
    assert f'name="course" value="{disputes.pk}"' not in text
    data = _query(college, planned) | {"course": [consult.pk, grid.pk], "action": "timetable"}
    response = client.post(reverse("needs:plan"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:timetable-edit", args=[planned.pk])
    sessions = Session.objects.filter(training_class=planned)
    assert [s.course for s in sessions] == [consult, grid]
    assert sum(s.hours for s in sessions) == Decimal(6)
    # The class targets the counted needs its courses cover (consultation scores a little).
    assert set(planned.target_needs.all()) == {topics.b, topics.c}


def test_a_refused_teacher_is_named_and_nothing_is_written(client_as, college, scene, make):
    planned, disputes, _grid, _consult = scene
    pending = make.teacher(name="待审老师", review_status=ReviewStatus.PENDING)
    disputes.teachers.add(pending)
    data = _query(college, planned) | {
        "course": [disputes.pk],
        f"teacher-{disputes.pk}": pending.pk,
        "action": "timetable",
    }
    page = client_as(Role.STAFF).post(reverse("needs:plan"), data)
    assert page.status_code == 200
    errors = page.content.decode().split('data-testid="plan-errors"')[1].split("</div>")[0]
    assert "矛盾纠纷调解" in errors  # the course
    assert "待审老师" in errors  # the refused teacher
    assert not planned.sessions.exists()


def test_only_a_class_not_yet_running_gets_a_plan(client_as, college, scene):
    query = {"class": college.running.pk, "city": college.dalian.pk}
    assert client_as(Role.STAFF).get(reverse("needs:plan"), query).status_code == 404


def test_the_plan_builds_the_timetable_automatically_in_one_click(
    client_as, college, scene, topics, django_capture_on_commit_callbacks
):
    """The solver places the plan's courses (a one-day class: morning and afternoon); the
    timetable changes only when staff accept the proposal."""
    from luodi.timetabling.models import Draft, DraftStatus
    from luodi.timetabling.services import draft_accept

    planned, _disputes, grid, consult = scene
    client = client_as(Role.STAFF)
    data = _query(college, planned) | {"course": [consult.pk, grid.pk], "action": "solve"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("needs:plan"), data)
    draft = Draft.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PROPOSED, draft.reasons
    assert {p["slot"] for p in draft.proposal} == {"morning", "afternoon"}
    assert not Session.objects.filter(training_class=planned).exists()
    assert set(planned.target_needs.all()) == {topics.b, topics.c}
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "协商议事专题" in page
    assert "网格化管理研讨" in page
    draft_accept(draft=draft, by=draft.created_by)
    assert Session.objects.filter(training_class=planned).count() == 2
