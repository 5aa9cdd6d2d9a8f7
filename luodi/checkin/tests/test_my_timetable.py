"""A trainee reads the whole timetable of their own classes (the page and the PDF), never
another class's; their archive lists every year since their first training against the yearly
target, a year without training as below target."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.training.models import EnrolmentStatus

pytestmark = pytest.mark.django_db


def test_the_trainee_reads_their_classes_whole_timetable(client_as, college, make):
    tc = college.running
    make.session(tc, college.course, college.teacher, day=2, slot="afternoon", venue="第二教室")
    enrolment = tc.enrolments.get(cadre=college.cadres_dalian[0])
    client = client_as(Role.TRAINEE)
    home = client.get(reverse("checkin:home")).content.decode()
    url = reverse("checkin:timetable", args=[enrolment.pk])
    assert url in home
    response = client.get(url)
    assert response.status_code == 200
    sessions = [s for day in response.context["days"] for cell in day.slots() for s in cell]
    assert sessions == list(tc.sessions.order_by("date", "start_time"))
    assert "第二教室" in response.content.decode()
    pdf = client.get(reverse("exports:timetable-pdf", args=[tc.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_the_trainee_reads_no_other_classes_timetable(client_as, college, make):
    other = make.training_class(college.class_type, start_date=dt.date(2023, 4, 3))
    make.session(other, college.course, college.teacher)
    someone = make.enrol(other, college.cadres_shenyang[0])
    client = client_as(Role.TRAINEE)
    assert client.get(reverse("checkin:timetable", args=[someone.pk])).status_code == 404
    assert client.get(reverse("exports:timetable-pdf", args=[other.pk])).status_code == 403
    assert client.get(reverse("exports:timetable-xlsx", args=[other.pk])).status_code == 403


def test_a_withdrawn_trainee_no_longer_reads_the_timetable(client_as, college):
    college.running.enrolments.update(status=EnrolmentStatus.WITHDRAWN)
    response = client_as(Role.TRAINEE).get(
        reverse("exports:timetable-pdf", args=[college.running.pk])
    )
    assert response.status_code == 403


def test_the_archive_shows_a_year_without_training_as_below_target(
    client_as, college, make, settings
):
    settings.LUODI_ANNUAL_HOURS_TARGETS = {"secretary": 9}
    cadre = college.cadres_dalian[0]
    this_year = timezone.localdate().year
    response = client_as(Role.TRAINEE).get(reverse("archive:my-archive"))
    rows = {y.year: (y.hours, y.met) for y in response.context["archive"].hours_by_year}
    # The stock trainee trained in 2024 and is in class now: every year since is listed.
    assert sorted(rows) == list(range(2024, this_year + 1))
    assert rows[2024] == (9, True)
    for year in range(2025, this_year):
        assert rows[year] == (0, False)
    html = response.content.decode()
    assert html.count("status-not_completed") >= this_year - 2024
    assert cadre.name in html


def test_the_archive_of_someone_never_trained_shows_this_year_below_target(
    client_as, college, settings
):
    settings.LUODI_ANNUAL_HOURS_TARGETS = {"secretary": 9}
    cadre = college.cadres_shenyang[1]
    cadre.enrolments.all().delete()
    response = client_as(Role.STAFF).get(cadre.get_absolute_url())
    rows = response.context["archive"].hours_by_year
    assert [(y.year, y.hours, y.met) for y in rows] == [(timezone.localdate().year, 0, False)]
