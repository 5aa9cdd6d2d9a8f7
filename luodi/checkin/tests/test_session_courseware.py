"""Courseware belongs to a session: its teacher uploads it in the app (checked by content),
and only the trainees who attended that session get it, not those of the course's other
classes. Courseware uploaded for a course before stays with those who could reach it."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.checkin import trainee
from luodi.lib import audit
from luodi.lib.tests.test_uploads import EXE_BYTES, PDF_BYTES
from luodi.training.models import AttendanceStatus, Courseware

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def teacher(users, college, make):
    """The stock teacher account, teaching the first session of the finished class (which the
    stock trainee attended); the stock head teacher teaches the others."""
    me = make.teacher(name="课件老师")
    users[Role.TEACHER].teacher = me
    users[Role.TEACHER].save()
    session = college.sessions[0]
    session.teacher = me
    session.save()
    return me


def _upload(client, session, name="讲义.pdf", data=PDF_BYTES):
    return client.post(
        reverse("training:session-courseware", args=[session.pk]),
        {"title": "第一讲讲义", "file": SimpleUploadedFile(name, data)},
    )


def test_the_teacher_uploads_courseware_to_their_session(client_as, college, teacher, media):
    session = college.sessions[0]
    before = len(audit.recent("courseware.add"))
    response = _upload(client_as(Role.TEACHER), session)
    assert response.status_code == 302
    item = Courseware.objects.get()
    assert (item.session, item.course, item.title) == (session, session.course, "第一讲讲义")
    assert (media / item.file.name).read_bytes() == PDF_BYTES
    assert len(audit.recent("courseware.add")) == before + 1
    page = client_as(Role.TEACHER).get(reverse("training:session-courseware", args=[session.pk]))
    assert "第一讲讲义" in page.content.decode()
    # The stock trainee attended that session: they can download it.
    download = client_as(Role.TRAINEE).get(reverse("checkin:courseware", args=[item.pk]))
    assert download.status_code == 200


def test_the_teacher_cannot_upload_to_another_teachers_session(client_as, college, teacher):
    other = college.sessions[1]
    assert _upload(client_as(Role.TEACHER), other).status_code == 403
    assert not Courseware.objects.exists()


def test_an_upload_is_refused_by_its_content(client_as, college, teacher, media):
    response = _upload(client_as(Role.TEACHER), college.sessions[0], "讲义.pdf", EXE_BYTES)
    assert response.status_code == 200
    assert "is not of a kind Luodi accepts" in response.content.decode()
    assert not Courseware.objects.exists()
    assert not list(media.rglob("*.*"))


def test_another_classs_courseware_for_the_same_course_stays_with_that_class(
    client_as, college, make, media
):
    """The stock trainee attended the course in 2024; a new class of the same course gets its
    own slides, which the 2024 trainee never sees, while the new class's trainee does."""
    new = make.training_class(
        college.class_type, start_date=dt.date(2025, 9, 1), head_teacher=college.teacher
    )
    session = make.session(new, college.course, college.teacher, venue="新班教室")
    newcomer = make.enrol(new, college.cadres_shenyang[1])
    slides = Courseware.objects.create(
        session=session,
        course=college.course,
        title="新班课件",
        file=SimpleUploadedFile("s.pdf", PDF_BYTES),
    )
    mine = trainee.courseware_available_to(college.cadres_dalian[0])
    assert slides not in mine
    theirs = trainee.courseware_available_to(newcomer.cadre)
    assert list(theirs) == [slides]
    download = client_as(Role.TRAINEE).get(reverse("checkin:courseware", args=[slides.pk]))
    assert download.status_code == 404


def test_courseware_of_a_session_the_trainee_missed_is_not_theirs(college, make, media):
    cadre = college.cadres_dalian[1]
    session = college.sessions[0]
    session.attendances.filter(enrolment__cadre=cadre).update(status=AttendanceStatus.ABSENT)
    item = Courseware.objects.create(
        session=session, course=college.course, title="缺席课件", file="courseware/x.pdf"
    )
    assert item not in trainee.courseware_available_to(cadre)
    assert item in trainee.courseware_available_to(college.cadres_dalian[0])


def test_the_migration_gives_old_course_courseware_to_each_attended_session(college, make):
    """Old material of a course goes to the sessions of that course someone attended (the
    first keeps the row and its link, the others get copies of it with the same file);
    sessions nobody attended yet (a class to come) do not inherit it."""
    attach = importlib.import_module(
        "luodi.training.migrations.0011_attach_courseware_to_attended_sessions"
    ).attach
    coming = make.training_class(
        college.class_type, start_date=dt.date(2030, 9, 2), head_teacher=college.teacher
    )
    make.session(coming, college.course, college.teacher, venue="将来教室")
    old = Courseware.objects.create(course=college.course, title="旧课件", file="courseware/o.pdf")
    attended = {s.pk for s in college.sessions} | {college.running.sessions.get().pk}

    attach(apps, None)

    items = Courseware.objects.filter(title="旧课件")
    assert {i.session_id for i in items} == attended
    assert {i.file.name for i in items} == {"courseware/o.pdf"}
    old.refresh_from_db()
    assert old.session == college.sessions[0]
    # Everyone who could download it before still can.
    for cadre in college.cadres_dalian + college.cadres_shenyang:
        assert trainee.courseware_available_to(cadre).filter(title="旧课件").exists()
