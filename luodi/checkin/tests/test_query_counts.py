"""The head teacher's pages cost the same number of queries however big the class is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.checkin.leave import leave_request_create
from luodi.training.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db

PAGES = {
    "class-attendance": lambda f: reverse("checkin:class-attendance", args=[f.training_class.pk]),
    "class-leave": lambda f: reverse("checkin:class-leave", args=[f.training_class.pk]),
    "screen": lambda f: reverse("checkin:screen", args=[f.session.pk]),
    "roll-call": lambda f: reverse("checkin:roll-call", args=[f.session.pk]),
}


def grow(fixed, college, make, n):
    """n more trainees, each with attendance, a pending and a decided leave request."""
    for i in range(n):
        cadre = make.cadre(college.communities_shenyang[i % 2])
        e = Enrolment.objects.create(
            **Enrolment.place_of(cadre),
            training_class=fixed.training_class,
            cadre=cadre,
            status=EnrolmentStatus.ENROLLED,
        )
        Attendance.objects.create(enrolment=e, session=fixed.sessions[0], status="present")
        Attendance.objects.create(enrolment=e, session=fixed.sessions[2], status="leave")
        leave_request_create(enrolment=e, sessions=fixed.sessions[1:2], reason="社区工作", by=None)
        decided = leave_request_create(
            enrolment=e, sessions=fixed.sessions[2:], reason="病假", by=None
        )
        decided.status, decided.decided_at = "approved", decided.created_at
        decided.save()


@pytest.mark.parametrize("page", list(PAGES))
def test_queries_do_not_grow_with_the_class(client_as, fixed, college, make, page):
    client = client_as(Role.HEAD_TEACHER)
    url = PAGES[page](fixed)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(fixed, college, make, 2)
    few = count()
    grow(fixed, college, make, 12)
    assert count() == few
    assert Attendance.objects.filter(status=AttendanceStatus.LEAVE).count() == 14
