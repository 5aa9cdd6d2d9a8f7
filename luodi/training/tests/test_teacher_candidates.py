"""From trainee to teacher: alumni who stood out and are not teachers yet, and promoting one
to a part-time teacher linked to their training archive."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import S
from luodi.faculty.models import ReviewStatus, Teacher, TeacherKind
from luodi.lib import audit
from luodi.lib.paging import with_extras
from luodi.training.models import Enrolment, Reflection
from luodi.training.services.stories import story_create
from luodi.training.teacher_candidates import candidate_extras, candidates

pytestmark = pytest.mark.django_db


@pytest.fixture
def alumni(college):
    """宋娟 wrote an outstanding reflection; a Shenyang cadre has an application story; the
    other two did neither."""
    outstanding = college.cadres_dalian[0]
    enrolment = Enrolment.objects.get(training_class=college.finished, cadre=outstanding)
    Reflection.objects.create(
        enrolment=enrolment, text="心得" * 200, outstanding=True, marked_at=timezone.now()
    )
    plain = Enrolment.objects.get(training_class=college.finished, cadre=college.cadres_dalian[1])
    Reflection.objects.create(enrolment=plain, text="心得" * 200)
    storyteller = college.cadres_shenyang[0]
    story_create(
        cadre=storyteller,
        training_class=college.finished,
        course=college.course,
        teacher=college.teacher,
        applied="议事协商",
        outcome="矛盾化解",
        by=None,
    )
    return outstanding, storyteller


def test_candidates_are_alumni_who_stood_out_and_are_not_teachers(users, alumni):
    outstanding, storyteller = alumni
    found = with_extras(candidates(users[S]), candidate_extras)
    assert found == [outstanding, storyteller]  # the outstanding reflection first
    assert (found[0].outstanding, found[0].story_count) == (1, 0)
    assert (found[1].outstanding, found[1].story_count) == (0, 1)


def test_promoting_makes_a_part_time_teacher_linked_to_the_archive(client_as, users, alumni):
    outstanding, storyteller = alumni
    client = client_as(S)
    page = client.get(reverse("archive:teacher-candidates")).content.decode()
    assert outstanding.name in page
    assert storyteller.name in page

    response = client.post(reverse("archive:cadre-promote", args=[outstanding.pk]))

    teacher = Teacher.objects.get(cadre=outstanding)
    assert response["Location"] == teacher.get_absolute_url()
    assert (teacher.name, teacher.kind, teacher.review_status) == (
        outstanding.name,
        TeacherKind.PART_TIME,
        ReviewStatus.PENDING,  # reviewed before they are scheduled
    )
    assert outstanding.community.name in teacher.source_unit
    event = audit.recent("teacher.promoted")[-1]
    assert (event["username"], event["details"]["cadre"]) == ("staff", str(outstanding.pk))
    assert list(candidates(users[S])) == [storyteller]
    detail = client.get(teacher.get_absolute_url()).content.decode()
    assert reverse("archive:cadre-detail", args=[outstanding.pk]) in detail


def test_promoting_a_teacher_twice_is_refused(client_as, alumni):
    outstanding, _storyteller = alumni
    client = client_as(S)
    client.post(reverse("archive:cadre-promote", args=[outstanding.pk]))
    response = client.post(reverse("archive:cadre-promote", args=[outstanding.pk]), follow=True)
    assert Teacher.objects.filter(cadre=outstanding).count() == 1
    assert "already a teacher" in response.content.decode()


def test_the_candidates_page_takes_the_same_queries_for_more_alumni(
    client_as, college, alumni, make, django_assert_max_num_queries
):
    client = client_as(S)
    url = reverse("archive:teacher-candidates")
    client.get(url)
    with django_assert_max_num_queries(12) as before:
        client.get(url)
    for _ in range(5):
        cadre = make.cadre(college.communities_dalian[0])
        story_create(cadre=cadre, applied="议事协商", outcome="矛盾化解", by=None)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert len(client.get(url).context["page"]) == 7


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read the pages' English wording; the UI's default is Chinese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
