import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from luodi.audit.models import AuditEvent
from luodi.curriculum.models import TeachingCase, TeachingMethod
from luodi.faculty.models import ReviewStatus
from luodi.needs.plan import class_hours
from luodi.needs.services import TimetableItem, plan_to_timetable
from luodi.training.models import ClassStatus, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(college, make):
    start = timezone.localdate() + dt.timedelta(days=60)
    return make.training_class(
        college.class_type, start_date=start, status=ClassStatus.PLANNED
    )  # three days


@pytest.fixture
def courses(college, make):
    case = make.course(college.category, title="案例课", method=TeachingMethod.CASE_ANALYSIS)
    TeachingCase.objects.create(title="罗湖案例", summary="协商议事").courses.add(case)
    return {
        "lecture": make.course(college.category, title="讲座课"),
        "long": make.course(college.category, title="长课", default_hours=Decimal(6)),
        "case": case,
        "site": make.course(college.category, title="现场课", method=TeachingMethod.ON_SITE),
    }


def test_a_plan_becomes_sessions_in_the_morning_and_afternoon_slots(
    college, planned, courses, topics, users
):
    staff = users["staff"]
    teacher = college.teacher
    items = [
        TimetableItem(courses["lecture"], teacher),
        TimetableItem(courses["long"], teacher),
        TimetableItem(courses["case"], teacher),
        TimetableItem(courses["site"], teacher, field_site=college.site),
    ]
    sessions = plan_to_timetable(
        training_class=planned, items=items, topic_ids=[topics.a.pk, topics.c.pk], by=staff
    )
    assert class_hours(planned) == Decimal(18)
    stored = list(Session.objects.filter(training_class=planned))
    assert [(s.date - planned.start_date).days for s in stored] == [0, 0, 1, 1, 2]
    assert len(sessions) == 5
    assert [s.course.title for s in stored] == ["讲座课", "长课", "长课", "案例课", "现场课"]
    assert [s.slot for s in stored] == ["morning", "afternoon", "morning", "afternoon", "morning"]
    assert sum(s.hours for s in stored) == Decimal(15)
    assert stored[3].case.title == "罗湖案例"
    assert stored[4].field_site == college.site
    assert set(planned.target_needs.all()) == {topics.a, topics.c}
    assert AuditEvent.objects.filter(event="class.plan_to_timetable", user=staff).exists()


def test_it_fills_only_free_slots(college, planned, courses, users, make):
    make.session(planned, college.course, college.teacher, day=0)  # the first morning
    plan_to_timetable(
        training_class=planned,
        items=[TimetableItem(courses["lecture"], None)],
        topic_ids=[],
        by=users["staff"],
    )
    added = Session.objects.get(training_class=planned, course=courses["lecture"])
    assert (added.date, added.slot) == (planned.start_date, "afternoon")


def test_it_refuses_a_teacher_without_political_review_and_keeps_nothing(
    college, planned, courses, topics, users, make
):
    pending = make.teacher(name="待审老师", review_status=ReviewStatus.PENDING)
    items = [
        TimetableItem(courses["lecture"], college.teacher),
        TimetableItem(courses["case"], pending),
    ]
    with pytest.raises(ValidationError) as refused:
        plan_to_timetable(
            training_class=planned, items=items, topic_ids=[topics.a.pk], by=users["staff"]
        )
    assert "待审老师 has no political review on record" in " ".join(refused.value.messages)
    assert "案例课" in refused.value.messages[0]
    assert not planned.sessions.exists()
    assert not planned.target_needs.exists()


def test_it_refuses_a_plan_longer_than_the_class(college, planned, courses, users, make):
    many = [make.course(college.category, title=f"课{i}") for i in range(7)]
    with pytest.raises(ValidationError, match="no free morning or afternoon"):
        plan_to_timetable(
            training_class=planned,
            items=[TimetableItem(c, None) for c in many],
            topic_ids=[],
            by=users["staff"],
        )
    assert not planned.sessions.exists()
