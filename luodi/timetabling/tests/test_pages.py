"""The term page schedules a half-year's classes together; the draft page refuses what it
cannot do in words."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.timetabling import views
from luodi.timetabling.models import Draft, DraftStatus
from luodi.training.models import ClassStatus, ClassType, TimeSlot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def two_classes(college, make):
    """Two 2-day classes on the same days in different rooms; one teacher teaches every
    morning of both as typed (a double booking the database would refuse is avoided by
    giving the second class afternoons)."""
    today = timezone.localdate()
    start = today + dt.timedelta(days=30)
    teacher = make.teacher(name="共享教师")
    classes = []
    for n, slot in enumerate((TimeSlot.MORNING, TimeSlot.AFTERNOON)):
        tc = make.training_class(
            college.class_type,
            start_date=start,
            end_date=start + dt.timedelta(days=1),
            status=ClassStatus.PLANNED,
        )
        for day in range(2):
            make.session(
                tc, make.course(college.category, title=f"课{n}{day}"), teacher, day=day, slot=slot
            )
        classes.append(tc)
    return classes, start, teacher


def test_a_term_is_scheduled_together_without_a_teacher_in_two_places(
    client_as, two_classes, django_capture_on_commit_callbacks
):
    classes, start, _teacher = two_classes
    client = client_as(Role.STAFF)
    query = {"year": start.year, "half": 1 if start.month <= 6 else 2}
    page = client.get(reverse("timetabling:term"), query).content.decode()
    assert all(c.title in page for c in classes)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("timetabling:term"), query | {"class": [c.pk for c in classes]}
        )
    draft = Draft.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PROPOSED
    assert len(draft.proposal) == 4
    assert len({(p["day"], p["slot"]) for p in draft.proposal}) == 4  # never twice at once
    assert set(draft.classes.all()) == set(classes)


def test_the_term_page_narrows_by_class_type_and_lists_the_earliest_classes(
    client_as, college, make, two_classes, monkeypatch
):
    """A province's half-year holds hundreds of classes: the page lists the earliest
    ``TERM_SHOWN``, says how many more start, and narrows by class type."""
    classes, start, _teacher = two_classes
    other_type = ClassType.objects.create(name="社区工作者能力提升班")
    # The same start as the two (the same half-year whatever today is), listed after them.
    other = make.training_class(other_type, start_date=start, status=ClassStatus.ENROLLING)
    client = client_as(Role.STAFF)
    url, query = reverse("timetabling:term"), {"year": start.year, "half": 1 + (start.month > 6)}
    monkeypatch.setattr(views, "TERM_SHOWN", 2)
    page = client.get(url, query).content.decode()
    assert [c for c, _n in client.get(url, query).context["rows"]] == classes
    assert "And 1 more class starts in this half-year" in page
    narrowed = client.get(url, query | {"class_type": other_type.pk})
    assert [c for c, _n in narrowed.context["rows"]] == [other]
    assert 'data-testid="more-classes"' not in narrowed.content.decode()
    assert f'name="class_type" value="{other_type.pk}"' in narrowed.content.decode()
    monkeypatch.setattr(views, "TERM_SHOWN", 60)
    every = client.get(url, query)
    assert [c for c, _n in every.context["rows"]] == [*classes, other]
    assert 'data-testid="more-classes"' not in every.content.decode()


def test_the_term_page_refuses_an_empty_choice(client_as, two_classes):
    _classes, start, _teacher = two_classes
    query = {"year": start.year, "half": 1 if start.month <= 6 else 2}
    page = client_as(Role.STAFF).post(reverse("timetabling:term"), query)
    assert "Choose at least one class that has a timetable." in page.content.decode()
    assert not Draft.objects.exists()


def test_a_class_without_sessions_is_sent_to_the_course_plan(client_as, college, make):
    tc = make.training_class(
        college.class_type,
        start_date=timezone.localdate() + dt.timedelta(days=30),
        status=ClassStatus.PLANNED,
    )
    response = client_as(Role.STAFF).post(reverse("timetabling:class-draft", args=[tc.pk]))
    assert response["Location"] == f"{reverse('needs:plan')}?class={tc.pk}"
    assert not Draft.objects.exists()


def test_accepting_a_draft_being_solved_is_refused_with_a_message(client_as, college, make, users):
    tc = make.training_class(
        college.class_type,
        start_date=timezone.localdate() + dt.timedelta(days=30),
        status=ClassStatus.PLANNED,
    )
    draft = Draft.objects.create(spec={"items": []}, status=DraftStatus.SOLVING)
    draft.classes.set([tc])
    client = client_as(Role.STAFF)
    response = client.post(reverse("timetabling:draft-accept", args=[draft.pk]), follow=True)
    assert "Only a proposed timetable can be accepted." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SOLVING
