"""Every list, detail and report page costs the same number of queries however many rows
it shows (no N+1): measured with few rows, then with many more."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.curriculum.models import Course
from luodi.faculty.models import ExpertiseTag
from luodi.training.models import TimeSlot

pytestmark = pytest.mark.django_db


def grow(college, make, n):
    """Add n of everything: classes with sessions and trainees, cadres, courses, teachers."""
    c = college
    tag = ExpertiseTag.objects.get_or_create(name="社区治理")[0]
    for _ in range(n):
        community = make.community(c.streets[0])
        cadre = make.cadre(community)
        teacher = make.teacher()
        teacher.expertise.add(tag)
        course = make.course(c.category)
        course.teachers.add(teacher, c.teacher)
        start = dt.date(2023, 1, 2) + dt.timedelta(days=7 * make.next())
        extra = make.training_class(c.class_type, start_date=start, head_teacher=teacher)
        make.session(extra, course, teacher)
        make.session(extra, course, teacher, slot=TimeSlot.AFTERNOON)
        make.enrol(extra, cadre)
        make.enrol(extra, c.cadres_dalian[0])
        # grow the stock class's roster and timetable too
        make.session(
            c.finished, course, teacher, day=2, slot=TimeSlot.EVENING, venue=f"教室{teacher.pk}"
        )
        make.enrol(c.finished, cadre)


PAGES = [
    ("dashboard", lambda c: reverse("dashboard")),
    ("statistics", lambda c: reverse("reports:statistics")),
    ("to-do list", lambda c: reverse("reports:work-todo")),
    ("head teacher's classes", lambda c: reverse("reports:work-classes")),
    ("liaison's city", lambda c: reverse("reports:work-city")),
    ("class list", lambda c: reverse("training:class-list")),
    ("class detail", lambda c: c.finished.get_absolute_url()),
    ("cadre list", lambda c: reverse("cadres:cadre-list")),
    ("cadre archive", lambda c: c.cadres_dalian[0].get_absolute_url()),
    ("course list", lambda c: reverse("curriculum:course-list")),
    ("course detail", lambda c: c.course.get_absolute_url()),
    ("teacher list", lambda c: reverse("faculty:teacher-list")),
    ("teacher detail", lambda c: c.teacher.get_absolute_url()),
    ("community list", lambda c: reverse("regions:community-list")),
    ("community detail", lambda c: c.communities_dalian[0].get_absolute_url()),
    ("class manage", lambda c: reverse("training:class-manage", args=[c.finished.pk])),
    ("class completion", lambda c: reverse("training:class-completion", args=[c.finished.pk])),
    ("timetable edit", lambda c: reverse("training:timetable-edit", args=[c.finished.pk])),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("page", "url"), PAGES, ids=[p for p, _ in PAGES])
def test_query_count_does_not_grow_with_rows(client_as, college, make, page, url):
    client = client_as(Role.STAFF)
    grow(college, make, 2)
    few = count_queries(client, url(college))
    grow(college, make, 12)
    many = count_queries(client, url(college))
    assert many == few, f"{page}: {few} queries with few rows, {many} with many"
    assert Course.objects.count() > 12
