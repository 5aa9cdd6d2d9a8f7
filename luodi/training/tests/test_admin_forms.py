"""Staff maintain records in the Django admin; bad input is refused in their language and
nothing is saved."""

import datetime as dt

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.cadres.models import Cadre
from luodi.lib.personal import make_id_number
from luodi.training.models import Session, TrainingClass

pytestmark = pytest.mark.django_db

NUMBER = make_id_number("210202", "19850607", 331)


def _cadre_form(college, **kw):
    return {
        "name": "刘洋",
        "gender": "M",
        "birth_date": "1985-06-07",
        "ethnicity": "汉族",
        "id_number": NUMBER,
        "phone": "13612345678",
        "community": college.communities_dalian[0].pk,
        "post": "grid_worker",
        "started_on": "2010-01-01",
        "political_status": "party_member",
        "education": "college",
        **kw,
    }


def test_staff_add_a_cadre_in_the_admin(client_as, college):
    response = client_as(Role.STAFF).post(reverse("admin:cadres_cadre_add"), _cadre_form(college))
    assert response.status_code == 302
    cadre = Cadre.objects.get(name="刘洋")
    assert cadre.name_initials == "ly"


@pytest.mark.parametrize(
    ("field", "value", "chinese"),
    [
        ("id_number", NUMBER[:-1] + ("1" if NUMBER[-1] != "1" else "2"), "校验"),
        ("phone", "1361234567", "手机"),
    ],
)
def test_admin_refuses_bad_numbers_in_chinese(client_as, college, field, value, chinese):
    client = client_as(Role.STAFF)
    response = client.post(
        reverse("admin:cadres_cadre_add"), _cadre_form(college, **{field: value})
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert chinese in str(errors[field])
    assert not Cadre.objects.filter(name="刘洋").exists()


def test_admin_refuses_a_duplicate_term_and_saves_nothing(client_as, college):
    before = TrainingClass.objects.count()
    response = client_as(Role.STAFF).post(
        reverse("admin:training_trainingclass_add"),
        {
            "class_type": college.class_type.pk,
            "year": 2024,
            "term": college.finished.term,
            "start_date": "2024-09-02",
            "end_date": "2024-09-06",
            "venue": "教室",
            "capacity": 60,
            "status": "planned",
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "期" in str(response.context["adminform"].form.errors)
    assert TrainingClass.objects.count() == before


def test_admin_refuses_a_session_outside_the_class_dates(client_as, college):
    before = Session.objects.count()
    day = college.finished.end_date + dt.timedelta(days=3)
    response = client_as(Role.STAFF).post(
        reverse("admin:training_session_add"),
        {
            "training_class": college.finished.pk,
            "date": day.isoformat(),
            "slot": "morning",
            "start_time": "08:30",
            "end_time": "11:30",
            "course": college.course.pk,
            "teacher": college.teacher.pk,
            "venue": "教室",
            "method": "lecture",
            "hours": "3",
        },
    )
    assert response.status_code == 200
    assert "日期" in str(response.context["adminform"].form.errors)
    assert Session.objects.count() == before


def test_admin_refuses_a_double_booked_teacher_with_a_message(client_as, college, make):
    parallel = make.training_class(college.class_type, start_date=college.finished.start_date)
    taken = college.sessions[0]
    response = client_as(Role.STAFF).post(
        reverse("admin:training_session_add"),
        {
            "training_class": parallel.pk,
            "date": taken.date.isoformat(),
            "slot": "morning",
            "start_time": "09:00",
            "end_time": "10:00",
            "course": college.course.pk,
            "teacher": college.teacher.pk,
            "venue": "另一教室",
            "method": "lecture",
            "hours": "1",
        },
    )
    assert response.status_code == 200
    assert college.teacher.name in str(response.context["adminform"].form.errors)
    assert not parallel.sessions.exists()


def test_the_admin_changes_enrolments_only_through_the_services(client_as, college, make):
    """Issue 6 §1.8: editing an enrolment's status in the admin bypassed the seat counters."""
    from luodi.training.models import ClassStatus, Enrolment, EnrolmentStatus

    tc = college.running
    TrainingClass.objects.filter(pk=tc.pk).update(status=ClassStatus.ENROLLING)
    enrolment = make.enrol(tc, make.cadre(college.communities_dalian[0]), status="enrolled")
    tc.refresh_from_db()
    seats = tc.seats_taken
    staff = client_as(Role.STAFF)
    change = reverse("admin:training_enrolment_change", args=[enrolment.pk])
    assert staff.post(change, {"status": "waitlisted"}).status_code == 403
    changelist = reverse("admin:training_enrolment_changelist")
    response = staff.post(
        changelist, {"action": "enrolment_waitlist", "_selected_action": [enrolment.pk]}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    tc.refresh_from_db()
    assert (enrolment.status, tc.seats_taken) == (EnrolmentStatus.WAITLISTED, seats - 1)
    # A move the rules refuse is a message, not an error page.
    response = staff.post(
        changelist,
        {"action": "enrolment_confirm", "_selected_action": [enrolment.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "的参训记录不能进行此项操作" in response.content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.WAITLISTED


def test_the_admin_refuses_a_capacity_below_the_seats_taken(client_as, college):
    tc = college.finished
    url = reverse("admin:training_trainingclass_change", args=[tc.pk])
    page = client_as(Role.STAFF).get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update({"capacity": 1, "start_date": tc.start_date, "end_date": tc.end_date})
    for prefix in ("quotas", "sessions"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client_as(Role.STAFF).post(url, data)
    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors
    tc.refresh_from_db()
    assert tc.capacity == 60
