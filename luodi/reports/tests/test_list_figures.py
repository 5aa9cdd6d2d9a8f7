"""Each list computes its extra figures (counts) for the rows of the page it shows only,
after paging: the figures of every row shown, on page 1 and page 2, are those of that row,
and no list counts the whole table before paging."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.cadres.models import Cadre
from luodi.curriculum.models import Course
from luodi.faculty.models import ReviewStatus, Teacher
from luodi.regions.models import Community
from luodi.training.models import Enrolment, Session, TimeSlot, TrainingClass
from luodi.training.selectors import ENROLMENT_ORDER

pytestmark = pytest.mark.django_db

PAGED = re.compile(r"LIMIT \d+( OFFSET \d+)?$")  # a page's query (not an EXISTS' LIMIT 1)


@pytest.fixture
def small_pages(settings):
    settings.LUODI_PAGE_SIZE = 2


def rows_of(client, url, page, **filters):
    response = client.get(url, {"page": page, **filters})
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def both_pages(client, url):
    first, second = rows_of(client, url, 1), rows_of(client, url, 2)
    assert len(first) == 2
    assert second, "the test needs rows on page 2"
    return first + second


def test_class_list_counts_each_shown_class_roster(client_as, college, make, small_pages):
    # a third class with one trainee on its roster and one only nominated (not counted)
    extra = make.training_class(college.class_type, head_teacher=college.teacher)
    make.enrol(extra, college.cadres_dalian[1])
    make.enrol(extra, college.cadres_shenyang[0], status="nominated")
    shown = both_pages(client_as(Role.STAFF), reverse("training:class-list"))
    figures = {c.pk: c.enrolled_count for c in shown}
    assert figures[college.finished.pk] == 4
    assert figures[college.running.pk] == 1
    assert figures[extra.pk] == 1
    assert set(figures) == set(TrainingClass.objects.values_list("pk", flat=True))


def test_class_api_counts_each_shown_class_roster(client_as, college, make):
    extra = make.training_class(college.class_type, head_teacher=college.teacher)
    make.enrol(extra, college.cadres_dalian[1])
    make.enrol(extra, college.cadres_shenyang[0])
    client = client_as(Role.STAFF)
    items = []
    for page in (1, 2):
        answer = client.get("/api/v1/classes", {"per_page": 2, "page": page})
        assert answer.status_code == 200, answer.content
        items += answer.json()["items"]
    figures = {i["id"]: i["enrolled"] for i in items}
    assert figures == {college.finished.pk: 4, college.running.pk: 1, extra.pk: 2}


def test_community_list_counts_each_shown_community_cadres(client_as, college, make, small_pages):
    make.cadre(college.communities_shenyang[1])
    make.cadre(college.communities_shenyang[1])
    shown = both_pages(client_as(Role.STAFF), reverse("regions:community-list"))
    figures = {c.pk: c.cadre_count for c in shown}
    expected = {c.pk: Cadre.objects.filter(community=c).count() for c in Community.objects.all()}
    assert figures == expected
    assert figures[college.communities_shenyang[1].pk] == 3  # on page 2 (by code)


def test_course_list_counts_each_shown_course_sessions(client_as, college, make, small_pages):
    for slot in (TimeSlot.AFTERNOON, TimeSlot.EVENING):
        course = make.course(college.category)
        make.session(college.running, course, college.teacher, day=2, slot=slot)
    shown = both_pages(client_as(Role.STAFF), reverse("curriculum:course-list"))
    figures = {c.pk: c.session_count for c in shown}
    expected = {c.pk: Session.objects.filter(course=c).count() for c in Course.objects.all()}
    assert figures == expected
    assert figures[college.course.pk] == 4


def test_teacher_list_counts_each_shown_teacher_sessions(client_as, college, make, small_pages):
    other = make.teacher()
    make.session(college.running, college.course, other, day=2)
    make.teacher(review_status=ReviewStatus.PENDING)
    shown = both_pages(client_as(Role.STAFF), reverse("faculty:teacher-list"))
    figures = {t.pk: (t.session_count, t.cleared_today) for t in shown}
    expected = {
        t.pk: (Session.objects.filter(teacher=t).count(), t.review_status == ReviewStatus.PASSED)
        for t in Teacher.objects.all()
    }
    assert figures == expected
    assert figures[college.teacher.pk] == (4, True)


def test_teacher_list_filters_by_clearance_without_the_figures(client_as, college, make):
    pending = make.teacher(review_status=ReviewStatus.PENDING)
    client = client_as(Role.STAFF)
    url = reverse("faculty:teacher-list")
    not_cleared = rows_of(client, url, 1, cleared="no")
    cleared = rows_of(client, url, 1, cleared="yes")
    assert [t.pk for t in not_cleared] == [pending.pk]
    assert pending.pk not in {t.pk for t in cleared}
    assert college.teacher.pk in {t.pk for t in cleared}


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("training:class-list", "training_enrolment"),
        ("regions:community-list", "cadres_cadre"),
        ("curriculum:course-list", "training_session"),
        ("faculty:teacher-list", "training_session"),
    ],
)
def test_list_counts_only_the_rows_it_shows(client_as, college, name, table):
    """The query that pages does not join the counted table: the count is a separate query
    over the page's ids."""
    client = client_as(Role.STAFF)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name)).status_code == 200
    paging = [q["sql"] for q in ctx.captured_queries if PAGED.search(q["sql"])]
    assert paging, "no paged query"
    assert not any(f'"{table}"' in sql for sql in paging), paging
    counting = [q["sql"] for q in ctx.captured_queries if f'"{table}"' in q["sql"]]
    assert any(" IN (" in sql for sql in counting), counting


@pytest.mark.parametrize("per_page", [1, 2, 3, 5, 50])
def test_the_enrolment_api_pages_match_the_whole_list_in_order(client_as, college, make, per_page):
    """The enrolment API reads a page class by class (``selectors.enrolment_window``): every
    page holds exactly the rows of the whole list's order at its place."""
    for week in (3, 1, 2):  # classes not created in date order, one of them empty
        extra = make.training_class(
            college.class_type, start_date=dt.date(2024, 1, 1) + dt.timedelta(weeks=week)
        )
        for cadre in college.cadres_shenyang[: week - 1]:
            make.enrol(extra, cadre)
    expected = list(Enrolment.objects.order_by(*ENROLMENT_ORDER).values_list("pk", flat=True))
    client = client_as(Role.STAFF)
    shown, page = [], 1
    while True:
        answer = client.get("/api/v1/enrolments", {"per_page": per_page, "page": page}).json()
        assert answer["count"] == len(expected)
        if not answer["items"]:
            break
        shown += [item["id"] for item in answer["items"]]
        page += 1
    assert shown == expected
    assert page - 1 == -(-len(expected) // per_page)


def test_the_enrolment_api_window_keeps_the_filters(client_as, college):
    client = client_as(Role.LIAISON)  # Dalian's
    answer = client.get("/api/v1/enrolments", {"per_page": 1, "page": 2}).json()
    dalian = list(
        Enrolment.objects.filter(city=college.dalian)
        .order_by(*ENROLMENT_ORDER)
        .values_list("pk", flat=True)
    )
    assert answer["count"] == len(dalian) == 3
    assert [i["id"] for i in answer["items"]] == [dalian[1]]
