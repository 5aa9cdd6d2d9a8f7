"""The trainee's phone pages: home, courseware downloads and the reflection."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.checkin.trainee import reflection_length, reflection_save
from luodi.training.models import Attendance, AttendanceStatus, Courseware, Reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def courseware(settings, tmp_path, college, make):
    """Slides of the stock course, and of a course the trainee never attended."""
    settings.MEDIA_ROOT = tmp_path
    slides = Courseware.objects.create(
        session=college.sessions[0],
        course=college.course,
        title="社区治理课件",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides"),
    )
    other_course = make.course(college.category, title="物业管理纠纷调处")
    unseen = Courseware.objects.create(
        course=other_course, title="物业课件", file=SimpleUploadedFile("p.pdf", b"%PDF-1.4 p")
    )
    return {"slides": slides, "unseen": unseen}


def _download(client, item):
    return client.get(reverse("checkin:courseware", args=[item.pk]))


def test_home_lists_my_classes_newest_first(client_as, college, fixed):
    response = client_as(Role.TRAINEE).get(reverse("checkin:home"))
    assert response.status_code == 200
    classes = [e.training_class for e in response.context["enrolments"]]
    assert classes == sorted(classes, key=lambda c: c.start_date, reverse=True)
    assert {college.finished, college.running, fixed.training_class} == set(classes)
    html = response.content.decode()
    assert reverse("checkin:leave-new", args=[fixed.trainee.pk]) in html
    assert reverse("checkin:reflection", args=[fixed.trainee.pk]) in html


def test_home_shows_todays_sessions_with_their_check_in_state(client_as, live):
    def state():
        response = client_as(Role.TRAINEE).get(reverse("checkin:home"))
        (today,) = [t for t in response.context["today"] if t.session == live.session]
        return today.state

    assert state() == "open"
    Attendance.objects.create(
        enrolment=live.trainee, session=live.session, status=AttendanceStatus.LEAVE
    )
    assert state() == "leave"


def test_home_costs_the_same_queries_with_more_classes(client_as, college, make, courseware):
    client = client_as(Role.TRAINEE)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("checkin:home")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(4):
        extra = make.training_class(college.class_type, head_teacher=college.teacher)
        make.session(extra, college.course, None, venue=f"教室{make.next()}")
        make.enrol(extra, college.cadres_dalian[0])
    assert count() == few


def test_home_lists_courseware_of_attended_courses(client_as, courseware):
    response = client_as(Role.TRAINEE).get(reverse("checkin:home"))
    html = response.content.decode()
    assert reverse("checkin:courseware", args=[courseware["slides"].pk]) in html
    assert reverse("checkin:courseware", args=[courseware["unseen"].pk]) not in html


def test_attended_courseware_downloads_even_after_the_class(client_as, college, courseware):
    # 宋娟 was present at the finished class's sessions of the stock course.
    response = _download(client_as(Role.TRAINEE), courseware["slides"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    assert "attachment" in response["Content-Disposition"]


def test_courseware_of_a_course_not_attended_is_404(client_as, courseware):
    assert _download(client_as(Role.TRAINEE), courseware["unseen"]).status_code == 404


def test_courseware_of_a_session_missed_is_404(client_as, college, courseware):
    Attendance.objects.filter(enrolment__cadre=college.cadres_dalian[0]).update(
        status=AttendanceStatus.ABSENT
    )
    assert _download(client_as(Role.TRAINEE), courseware["slides"]).status_code == 404


def test_another_trainee_cannot_download_what_they_did_not_attend(
    client, other_trainee, college, courseware
):
    Attendance.objects.filter(enrolment__cadre=other_trainee.cadre).update(
        status=AttendanceStatus.LEAVE
    )
    client.force_login(other_trainee)
    assert _download(client, courseware["slides"]).status_code == 404


def test_a_trainee_submits_and_edits_one_reflection(client_as, fixed, settings):
    settings.LUODI_REFLECTION_MIN_LENGTH = 10
    client = client_as(Role.TRAINEE)
    url = reverse("checkin:reflection", args=[fixed.trainee.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "学会了协商议事的方法。"})
    assert response.status_code == 302
    response = client.post(url, {"text": "学会了协商议事的方法，回去就用。"})
    assert (
        Reflection.objects.get(enrolment=fixed.trainee).text == "学会了协商议事的方法，回去就用。"
    )
    assert Reflection.objects.count() == 1
    assert "回去就用" in client.get(url).content.decode()


def test_an_empty_reflection_is_refused_with_a_message(client_as, fixed):
    url = reverse("checkin:reflection", args=[fixed.trainee.pk])
    response = client_as(Role.TRAINEE).post(url, {"text": "   "})
    assert response.status_code == 200
    assert "Write your reflection" in response.content.decode()
    assert not Reflection.objects.exists()


def test_no_reflection_on_a_class_one_is_only_nominated_for(fixed):
    with pytest.raises(Exception, match="enrolled"):
        reflection_save(enrolment=fixed.nominated, text="心得", by=None)


def test_a_trainee_cannot_open_someone_elses_reflection(client_as, fixed):
    url = reverse("checkin:reflection", args=[fixed.other.pk])
    assert client_as(Role.TRAINEE).get(url).status_code == 404


# ---- issue 8 §4: a configurable minimum length, counted live on the page --------------------


def test_a_reflection_shorter_than_the_minimum_is_refused(fixed, settings):
    settings.LUODI_REFLECTION_MIN_LENGTH = 300
    with pytest.raises(ValidationError, match="at least 300") as refused:
        reflection_save(enrolment=fixed.trainee, text="学" * 299, by=None)
    assert refused.value.code == "too_short"
    assert reflection_save(enrolment=fixed.trainee, text="学" * 300, by=None).pk


def test_spaces_and_line_breaks_do_not_count_towards_the_minimum(fixed, settings):
    settings.LUODI_REFLECTION_MIN_LENGTH = 4
    assert reflection_length("学 到\n了 \u3000方法") == 5
    with pytest.raises(ValidationError):
        reflection_save(enrolment=fixed.trainee, text="学　 到\n\n 了", by=None)


def test_the_default_minimum_is_300_characters():
    from django.conf import settings

    assert settings.LUODI_REFLECTION_MIN_LENGTH == 300


def test_the_form_shows_the_minimum_with_a_live_counter(client_as, fixed, settings):
    settings.LUODI_REFLECTION_MIN_LENGTH = 250
    url = reverse("checkin:reflection", args=[fixed.trainee.pk])
    client = client_as(Role.TRAINEE)
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-min-length="250"' in html
    assert 'data-counter="reflection-counter"' in html
    assert 'id="reflection-counter"' in html
    assert "luodi/char-counter.js" in html
    assert "<script>" not in html  # no inline script (CSP)
    response = client.post(url, {"text": "学到了很多"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "5 characters written; at least 250 needed." in response.content.decode()
    assert not Reflection.objects.exists()
