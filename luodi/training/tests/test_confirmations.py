"""Destructive and bulk actions show what will change and ask first (issue 8 §4): the first
POST writes nothing and lists the changes, the confirmed one acts and says so."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.training.models import ClassStatus, EnrolmentStatus, Reflection, TrainingClass
from luodi.training.services import completion

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(week, enrol_marked, college, make):
    """The week-long class in progress: two trainees who will complete, one without a
    reflection, one nomination never confirmed."""
    tc, sessions = week
    done = [enrol_marked(tc, c, sessions, []) for c in college.cadres_dalian]
    short = enrol_marked(tc, college.cadres_shenyang[0], sessions, [], reflection=False)
    nominee = make.enrol(tc, college.cadres_shenyang[1], status=EnrolmentStatus.NOMINATED)
    return tc, done, short, nominee


def test_the_preview_counts_each_move_of_the_results(graded):
    tc = graded[0]
    found = completion.result_changes(tc)
    moves = {(c.before, c.after): c.count for c in found.changes}
    assert moves == {
        (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED): 2,
        (EnrolmentStatus.ENROLLED, EnrolmentStatus.NOT_COMPLETED): 1,
        (EnrolmentStatus.NOMINATED, EnrolmentStatus.WITHDRAWN): 1,
    }


def test_recomputing_shows_the_changes_first_and_writes_only_when_confirmed(client_as, graded):
    tc, done, short, _nominee = graded
    client = client_as(Role.STAFF)
    url = reverse("training:class-completion", args=[tc.pk])
    client.post(url, {"confirmed": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    Reflection.objects.filter(enrolment=done[0]).delete()  # pass → fail on recomputing
    Reflection.objects.create(enrolment=short, text="补交的心得")  # fail → pass
    page = client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    changes = page.context["confirm"].changes
    assert sorted(changes) == [
        f"1 trainee: Completed → Not completed ({done[0].cadre.name})",
        f"1 trainee: Not completed → Completed ({short.cadre.name})",
    ]
    done[0].refresh_from_db()
    assert done[0].status == EnrolmentStatus.COMPLETED  # nothing written yet
    response = client.post(url, {"confirmed": "1"}, follow=True)
    done[0].refresh_from_db()
    short.refresh_from_db()
    assert (done[0].status, short.status) == ("not_completed", "completed")
    assert any(m.level_tag == "success" for m in response.context["messages"])


def test_a_status_change_asks_first(client_as, college, make):
    tc = make.training_class(college.class_type, status=ClassStatus.PLANNED)
    url = reverse("training:class-status", args=[tc.pk])
    client = client_as(Role.STAFF)
    page = client.post(url, {"status": "enrolling"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.context["confirm"].fields == {"status": "enrolling"}
    tc.refresh_from_db()
    assert tc.status == ClassStatus.PLANNED
    client.post(url, {"status": "enrolling", "confirmed": "1"})
    tc.refresh_from_db()
    assert tc.status == ClassStatus.ENROLLING


def test_a_status_not_offered_is_refused_without_a_preview(client_as, college, make):
    tc = make.training_class(college.class_type, status=ClassStatus.PLANNED)
    response = client_as(Role.STAFF).post(
        reverse("training:class-status", args=[tc.pk]), {"status": "archived"}
    )
    assert response.status_code == 302
    assert TrainingClass.objects.get(pk=tc.pk).status == ClassStatus.PLANNED


def test_a_withdrawal_says_the_place_goes_back_before_it_happens(client_as, college):
    enrolment = college.running.enrolments.get()
    url = reverse("training:enrolment-action", args=[college.running.pk, enrolment.pk])
    client = client_as(Role.STAFF)
    page = client.post(url, {"action": "withdraw"}, HTTP_ACCEPT_LANGUAGE="en")
    text = " ".join(page.context["confirm"].changes)
    assert enrolment.cadre.name in text
    assert "大连市" in text  # whose quota gets the place back
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    client.post(url, {"action": "withdraw", "confirmed": "1"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN


def test_other_moves_need_no_confirmation(client_as, college):
    enrolment = college.running.enrolments.get()
    url = reverse("training:enrolment-action", args=[college.running.pk, enrolment.pk])
    client_as(Role.STAFF).post(url, {"action": "waitlist"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WAITLISTED


def test_the_confirmation_page_reposts_to_the_same_address(client_as, college, make):
    tc = make.training_class(college.class_type, status=ClassStatus.PLANNED)
    url = reverse("training:class-status", args=[tc.pk])
    html = client_as(Role.STAFF).post(url, {"status": "enrolling"}).content.decode()
    assert f'action="{url}"' in html
    assert 'name="confirmed" value="1"' in html
    assert reverse("training:class-manage", args=[tc.pk]) in html  # cancel


def test_the_preview_counts_results_whose_hours_alone_change(graded):
    tc, done, _short, _nominee = graded
    completion.class_complete(training_class=tc, by=None)
    assert completion.result_changes(tc).changes == []
    tc.sessions.filter(pk=tc.sessions.first().pk).update(hours=2)  # 21 h → 20 h
    found = completion.result_changes(tc)
    assert found.changes == []
    assert found.hours_only == len(done)  # the completed ones; the others credit no hours
