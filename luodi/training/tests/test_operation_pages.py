"""The class-operations pages, driven as staff and liaisons would."""

import datetime as dt

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.training.models import ClassQuota, ClassStatus, Session, TrainingClass

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["class-manage", "enrolment-bulk", "timetable-edit", "class-completion"]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", [*STAFF_PAGES, "class-plan", "nominate"])
def test_only_planners_reach_the_operation_pages(client, users, college, role, page):
    client.force_login(users[role])
    args = [] if page == "class-plan" else [college.running.pk]
    response = client.get(reverse(f"training:{page}", args=args))
    allowed = {Role.ADMIN, Role.STAFF} | ({Role.LIAISON} if page == "nominate" else set())
    assert response.status_code == (200 if role in allowed else 403), (role, page)


def test_staff_plan_a_class_with_quotas_and_see_holiday_warnings(client_as, college):
    client = client_as(Role.STAFF)
    form = {
        "class_type": college.class_type.pk,
        "start_date": "2026-09-29",
        "end_date": "2026-10-02",
        "venue": "学院报告厅",
        "capacity": 50,
        "head_teacher": college.teacher.pk,
        f"city_{college.dalian.pk}": 20,
        f"city_{college.shenyang.pk}": 30,
        "record_of_past": "on",
    }
    first = client.post(reverse("training:class-plan"), form)
    assert "2026-10-01" in first.content.decode()  # the National Day warning, before saving
    assert not TrainingClass.objects.filter(start_date=dt.date(2026, 9, 29)).exists()
    form["accept_warnings"] = "1"
    response = client.post(reverse("training:class-plan"), form, follow=True)
    training_class = TrainingClass.objects.get(start_date=dt.date(2026, 9, 29))
    assert response.redirect_chain[-1][0] == reverse(
        "training:class-manage", args=[training_class.pk]
    )
    assert "2026-10-01" in response.content.decode()  # the National Day warning
    assert training_class.quotas.count() == 2


def test_planning_refuses_quotas_over_capacity_in_chinese(client_as, college):
    form = {
        "class_type": college.class_type.pk,
        "start_date": "2026-09-07",
        "end_date": "2026-09-11",
        "venue": "学院报告厅",
        "capacity": 10,
        f"city_{college.dalian.pk}": 20,
        "record_of_past": "on",
    }
    response = client_as(Role.STAFF).post(reverse("training:class-plan"), form)
    assert response.status_code == 200
    assert "名额" in response.content.decode()
    assert not TrainingClass.objects.filter(start_date=dt.date(2026, 9, 7)).exists()


def test_a_liaison_nominates_from_the_page(client_as, college):
    tc = college.running
    TrainingClass.objects.filter(pk=tc.pk).update(status=ClassStatus.ENROLLING)
    ClassQuota.objects.create(training_class=tc, city=college.dalian, quota=5)
    client = client_as(Role.LIAISON)
    url = reverse("training:nominate", args=[tc.pk])
    found = client.get(url, {"q": college.cadres_dalian[1].name}).context["rows"]
    assert [row["cadre"] for row in found] == [college.cadres_dalian[1]]
    client.post(url, {"cadre": college.cadres_dalian[1].pk})
    assert tc.enrolments.filter(cadre=college.cadres_dalian[1], status="nominated").exists()
    # another city's cadre is not even found
    response = client.post(url, {"cadre": college.cadres_shenyang[0].pk})
    assert response.status_code == 404


def test_the_timetable_page_flags_a_conflict_before_saving(client_as, college, make):
    parallel = make.training_class(college.class_type, start_date=college.finished.start_date)
    session = college.sessions[0]
    form = {
        "date": session.date.isoformat(),
        "slot": "morning",
        "start_time": "09:00",
        "end_time": "10:30",
        "course": college.course.pk,
        "teacher": college.teacher.pk,
        "method": "lecture",
        "hours": "1.5",
        "venue": parallel.venue,
        "check": "1",
    }
    client = client_as(Role.STAFF)
    url = reverse("training:timetable-edit", args=[parallel.pk])
    response = client.post(url, form, headers={"HX-Request": "true"})
    assert "张平" in response.content.decode()
    assert response.context["problems"]
    del form["check"]
    client.post(url, form)
    assert not Session.objects.filter(training_class=parallel).exists()
    form["teacher"] = make.teacher().pk
    client.post(url, form)
    assert Session.objects.filter(training_class=parallel).count() == 1


def test_bulk_enrolment_page_shows_the_report(client_as, college):
    url = reverse("training:enrolment-bulk", args=[college.running.pk])
    text = f"{college.cadres_shenyang[0].id_number}\n12345"
    response = client_as(Role.STAFF).post(url, {"id_numbers": text})
    report = response.context["report"]
    assert [bool(line.error) for line in report] == [False, True]
    assert not college.running.enrolments.filter(cadre=college.cadres_shenyang[0]).exists()


def test_completion_page_finishes_a_class_and_records_an_override(client_as, college):
    client = client_as(Role.STAFF)
    url = reverse("training:class-completion", args=[college.running.pk])
    client.post(url, {"confirmed": "1"})
    college.running.refresh_from_db()
    assert college.running.status == ClassStatus.FINISHED
    enrolment = college.running.enrolments.get()
    assert enrolment.status == "not_completed"  # no reflection submitted
    client.post(
        reverse("training:result-override", args=[college.running.pk, enrolment.pk]),
        {"status": "completed", "reason": "心得已交纸质版"},
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.override_reason) == ("completed", "心得已交纸质版")


def test_the_head_teacher_finds_check_in_and_roll_call_from_the_class_page(client_as, college):
    html = client_as(Role.HEAD_TEACHER).get(college.running.get_absolute_url()).content.decode()
    session = college.running.sessions.get()
    assert reverse("checkin:screen", args=[session.pk]) in html
    assert reverse("checkin:roll-call", args=[session.pk]) in html
    assert reverse("checkin:class-leave", args=[college.running.pk]) in html
    teacher_html = client_as(Role.TEACHER).get(college.running.get_absolute_url()).content
    assert reverse("checkin:screen", args=[session.pk]).encode() not in teacher_html
