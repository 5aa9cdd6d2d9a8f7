"""Nominating (issue 8 §4): a cadre whose post does not fit the class type is warned, the
liaison can put names on the waiting list once the quota is used up, and a cadre already on
the list shows their status instead of another button."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.training.models import ClassQuota, ClassStatus, ClassType, EnrolmentStatus
from luodi.training.services.enrolment import enrolment_nominate
from luodi.training.services.planning import class_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_class(college):
    """Enrolling, one place for Dalian; the class type is for secretaries and deputies."""
    college.class_type.target_posts = ["secretary", "deputy_secretary"]
    college.class_type.save()
    tc, _ = class_plan(
        class_type=college.class_type,
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 3, 5),
        venue="学院报告厅",
        capacity=5,
        head_teacher=None,
        quotas={college.dalian: 1, college.shenyang: 1},
        by=None,
    )
    tc.status = ClassStatus.ENROLLING
    tc.save()
    return tc


def test_a_class_type_fits_its_target_posts_or_any_post_when_none_are_set():
    grid = ClassType(name="社区网格员培训班", target_posts=["grid_worker"])
    assert grid.fits_post("grid_worker")
    assert not grid.fits_post("director")
    assert ClassType(name="综合班").fits_post("director")


def test_target_posts_must_be_known_posts():
    with pytest.raises(ValidationError):
        ClassType(name="x", target_posts=["mayor"]).clean()


def test_the_page_warns_of_a_post_that_does_not_fit(client_as, college, open_class):
    director = college.cadres_dalian[1]
    director.post = "director"
    director.save()
    client = client_as(Role.LIAISON)
    url = reverse("training:nominate", args=[open_class.pk])
    page = client.get(url, {"q": director.name})
    (row,) = page.context["rows"]
    assert not row["fits"]
    assert 'data-testid="post-misfit"' in page.content.decode()
    response = client.post(url, {"cadre": director.pk}, follow=True)
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success", "warning"]  # nominated, with the warning
    assert open_class.enrolments.get(cadre=director).status == EnrolmentStatus.NOMINATED


def test_a_nominated_cadre_shows_nominated_not_another_button(client_as, college, open_class):
    cadre = college.cadres_dalian[0]
    client = client_as(Role.LIAISON)
    url = reverse("training:nominate", args=[open_class.pk])
    client.post(url, {"cadre": cadre.pk})
    html = client.get(url, {"q": cadre.name}).content.decode()
    assert 'data-testid="listed"' in html
    assert f'name="cadre" value="{cadre.pk}"' not in html


def test_beyond_the_quota_the_liaison_puts_names_on_the_waiting_list(
    client_as, college, open_class, users
):
    first, second = college.cadres_dalian
    enrolment_nominate(training_class=open_class, cadre=first, by=users[Role.LIAISON])
    client = client_as(Role.LIAISON)
    url = reverse("training:nominate", args=[open_class.pk])
    html = client.get(url, {"q": second.name}).content.decode()
    assert f'name="waitlist" value="{second.pk}"' in html  # no place left: the waiting list
    client.post(url, {"waitlist": second.pk})
    waiting = open_class.enrolments.get(cadre=second)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    quota = ClassQuota.objects.get(training_class=open_class, city=college.dalian)
    assert quota.used == 1  # a waiting-list place holds no seat


def test_the_waiting_list_is_refused_while_places_are_left(college, open_class, users):
    with pytest.raises(ValidationError, match="places left"):
        enrolment_nominate(
            training_class=open_class,
            cadre=college.cadres_dalian[0],
            by=users[Role.LIAISON],
            waitlist=True,
        )
