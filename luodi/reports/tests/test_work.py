"""Each role's "my work" page: what it shows, that it keeps to the user's reach (another
class's or city's items never appear), and that it costs the same queries however much work
is waiting."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.faculty.models import ReviewStatus
from luodi.lib import audit
from luodi.reports import work as work_module
from luodi.training.models import (
    Attendance,
    AttendanceStatus,
    ClassQuota,
    ClassStatus,
    EnrolmentStatus,
    LeaveRequest,
    Reflection,
)

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def work(college, make):
    """Beside the stock college (its head teacher heads the finished and the running class):
    a class of another head teacher running today with a Shenyang trainee who asked for leave,
    a class ended yesterday but not completed (stock head teacher, two trainees, one of whom
    wrote a reflection), an enrolling class with a quota per city and a nomination from each,
    and a pending teacher scheduled in the running class."""
    today = timezone.localdate()
    other_head = make.teacher(name="别班主任")
    other = make.training_class(
        college.class_type,
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=1),
        status=ClassStatus.IN_PROGRESS,
        head_teacher=other_head,
    )
    other_session = make.session(other, college.course, other_head, day=1, venue="别班教室")
    outsider = make.enrol(other, college.cadres_shenyang[1], status=EnrolmentStatus.ENROLLED)
    LeaveRequest.objects.create(enrolment=outsider, reason="别班请假").sessions.add(other_session)

    ended = make.training_class(
        college.class_type,
        start_date=today - dt.timedelta(days=3),
        end_date=today - dt.timedelta(days=1),
        status=ClassStatus.IN_PROGRESS,
        head_teacher=college.teacher,
    )
    make.session(ended, college.course, college.teacher, day=0)
    wrote = make.enrol(ended, college.cadres_dalian[1], status=EnrolmentStatus.ENROLLED)
    Reflection.objects.create(enrolment=wrote, text="心得")
    silent = make.enrol(ended, college.cadres_shenyang[0], status=EnrolmentStatus.ENROLLED)

    enrolling = make.training_class(
        college.class_type,
        start_date=today + dt.timedelta(days=30),
        status=ClassStatus.ENROLLING,
        head_teacher=college.teacher,
    )
    ClassQuota.objects.create(training_class=enrolling, city=college.dalian, quota=5)
    ClassQuota.objects.create(training_class=enrolling, city=college.shenyang, quota=7)
    nominated_dl = make.enrol(enrolling, college.cadres_dalian[1], status=EnrolmentStatus.NOMINATED)
    make.enrol(enrolling, college.cadres_shenyang[1], status=EnrolmentStatus.NOMINATED)

    pending = make.teacher(name="待审老师", review_status=ReviewStatus.PENDING, reviewed_on=None)
    make.session(college.running, college.course, pending, day=2, venue="审查教室")
    return SimpleNamespace(
        today=today,
        other=other,
        other_session=other_session,
        outsider=outsider,
        ended=ended,
        silent=silent,
        enrolling=enrolling,
        nominated_dl=nominated_dl,
    )


# ---- the staff's to-do list ----------------------------------------------------------------


def test_the_to_do_list_counts_each_kind_of_work_with_a_link(client_as, college, work):
    response = client_as(Role.STAFF).get(reverse("reports:work-todo"))
    items = {item.key: item for item in response.context["items"]}
    assert items["nominations"].count == 2
    assert items["nominations"].rows[0][2] == reverse(
        "training:class-manage", args=[work.enrolling.pk]
    )
    assert items["leave"].count == 1
    assert items["leave"].rows[0][2] == reverse("checkin:class-leave", args=[work.other.pk])
    assert [row[0] for row in items["completion"].rows] == [work.ended]
    # The stock finished class's four completed trainees have no certificate yet.
    assert items["certificates"].count == 4
    assert items["certificates"].rows[0][2] == reverse(
        "certificates:class", args=[college.finished.pk]
    )
    assert [(row[0], row[1]) for row in items["reviews"].rows] == [(college.running, 1)]
    html = response.content.decode()
    assert reverse("training:timetable-edit", args=[college.running.pk]) in html


def test_staff_confirm_a_classs_nominations_at_once_from_the_to_do_list(
    client_as, college, work, settings
):
    client = client_as(Role.STAFF)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the English message is asserted
    manage = client.get(reverse("training:class-manage", args=[work.enrolling.pk]))
    confirm = reverse("training:nominations-confirm", args=[work.enrolling.pk])
    assert confirm in manage.content.decode()
    before = len(audit.recent("enrolment.move"))
    response = client.post(confirm, follow=True)
    assert "2 nominations confirmed." in response.content.decode()
    statuses = set(work.enrolling.enrolments.values_list("status", flat=True))
    assert statuses == {EnrolmentStatus.ENROLLED}
    assert len(audit.recent("enrolment.move")) == before + 2
    work.enrolling.refresh_from_db()
    assert work.enrolling.seats_taken == 2  # a nomination already held its seat
    items = {i.key: i for i in client.get(reverse("reports:work-todo")).context["items"]}
    assert items["nominations"].count == 0


def test_a_liaison_cannot_confirm_nominations(client_as, work):
    response = client_as(Role.LIAISON).post(
        reverse("training:nominations-confirm", args=[work.enrolling.pk])
    )
    assert response.status_code == 403
    assert work.nominated_dl.__class__.objects.get(pk=work.nominated_dl.pk).status == (
        EnrolmentStatus.NOMINATED
    )


def test_the_to_do_list_forgets_work_once_done(client_as, college, work):
    from luodi.certificates.services import certificates_issue_for_class

    certificates_issue_for_class(training_class=college.finished, by=None)
    work.ended.status = ClassStatus.FINISHED
    work.ended.save()
    response = client_as(Role.STAFF).get(reverse("reports:work-todo"))
    items = {item.key: item for item in response.context["items"]}
    assert items["certificates"].count == 0
    assert items["completion"].count == 0


def test_the_to_do_list_costs_the_same_queries_however_much_waits(
    client_as, college, make, work, django_assert_max_num_queries
):
    client = client_as(Role.STAFF)
    url = reverse("reports:work-todo")
    few = _queries(client, url)
    for n in range(4):
        tc = make.training_class(
            college.class_type,
            start_date=work.today - dt.timedelta(days=10 + n),
            status=ClassStatus.IN_PROGRESS,
        )
        make.session(tc, college.course, college.teacher, venue=f"教室{n}")
        make.enrol(tc, college.cadres_dalian[0])
        make.enrol(tc, college.cadres_dalian[1], status=EnrolmentStatus.NOMINATED)
    assert _queries(client, url) == few
    with django_assert_max_num_queries(12):
        client.get(url)


# ---- a head teacher's classes --------------------------------------------------------------


def test_the_head_teacher_sees_their_classes_and_todays_sessions(client_as, college, work):
    response = client_as(Role.HEAD_TEACHER).get(reverse("reports:work-classes"))
    result = response.context["work"]
    assert college.running in result.classes
    assert work.ended in result.classes
    assert work.other not in result.classes
    today = [s.training_class for s in result.today]
    assert today == [college.running]
    html = response.content.decode()
    (session,) = result.today
    assert reverse("checkin:screen", args=[session.pk]) in html
    assert reverse("checkin:roll-call", args=[session.pk]) in html
    assert reverse("checkin:screen", args=[work.other_session.pk]) not in html


def test_the_head_teacher_sees_missing_reflections_and_no_other_class(client_as, college, work):
    response = client_as(Role.HEAD_TEACHER).get(reverse("reports:work-classes"))
    result = response.context["work"]
    assert [e.pk for e in result.missing_reflections] == [work.silent.pk]
    # The other head teacher's trainee and leave request stay out of sight.
    assert result.pending_leave == []
    assert work.outsider.cadre.name not in response.content.decode()


def test_the_head_teacher_sees_trainees_near_the_leave_limit(client_as, college, work):
    enrolment = college.running.enrolments.get()
    Attendance.objects.filter(enrolment=enrolment).update(status=AttendanceStatus.LEAVE)
    response = client_as(Role.HEAD_TEACHER).get(reverse("reports:work-classes"))
    (risk,) = response.context["work"].at_risk
    assert risk.enrolment == enrolment
    assert risk.over_limit  # all of a 3-hour class on leave: beyond 1/7
    assert enrolment.cadre.name in response.content.decode()


def test_a_trainee_below_three_quarters_of_the_limit_is_not_at_risk(client_as, college, make, work):
    # 7 sessions of 3 hours: the limit is 3 hours; 2 hours on leave is below 3/4 of it.
    tc = college.running
    for n in range(6):
        make.session(
            tc,
            college.course,
            None,
            day=0,
            venue=f"教室{n}",
            start_time=dt.time(6 + 2 * n),
            end_time=dt.time(7 + 2 * n),
        )
    enrolment = tc.enrolments.get()
    session = tc.sessions.exclude(attendances__enrolment=enrolment).first()
    session.hours = Decimal(2)
    session.save()
    Attendance.objects.create(enrolment=enrolment, session=session, status=AttendanceStatus.LEAVE)
    response = client_as(Role.HEAD_TEACHER).get(reverse("reports:work-classes"))
    assert response.context["work"].at_risk == []


def test_the_head_teachers_page_costs_the_same_queries_with_more_classes(
    client_as, college, make, work
):
    client = client_as(Role.HEAD_TEACHER)
    url = reverse("reports:work-classes")
    few = _queries(client, url)
    for n in range(3):
        tc = make.training_class(
            college.class_type,
            start_date=work.today - dt.timedelta(days=1),
            end_date=work.today,
            status=ClassStatus.IN_PROGRESS,
            head_teacher=college.teacher,
        )
        make.session(tc, college.course, None, day=1, venue=f"教室{n}")
        enrolment = make.enrol(tc, college.cadres_dalian[1], status=EnrolmentStatus.ENROLLED)
        LeaveRequest.objects.create(enrolment=enrolment, reason="病假")
    assert _queries(client, url) == few


# ---- a teacher's sessions ------------------------------------------------------------------


@pytest.fixture
def teacher_user(users, college, make):
    """The stock teacher account, made the teacher of a session today, one in two days and one
    last week; another teacher teaches a session today too."""
    me = make.teacher(name="任课本人")
    users[Role.TEACHER].teacher = me
    users[Role.TEACHER].save()
    today = timezone.localdate()
    tc = make.training_class(
        college.class_type,
        start_date=today - dt.timedelta(days=7),
        end_date=today + dt.timedelta(days=2),
        status=ClassStatus.IN_PROGRESS,
        head_teacher=college.teacher,
    )
    sessions = SimpleNamespace(
        today=make.session(tc, college.course, me, day=7, venue="今天教室"),
        later=make.session(tc, college.course, me, day=9, venue="后天教室"),
        past=make.session(tc, college.course, me, day=0, venue="上周教室"),
        theirs=make.session(tc, college.course, college.teacher, day=7, slot="afternoon"),
    )
    return SimpleNamespace(user=users[Role.TEACHER], sessions=sessions, training_class=tc)


def test_the_teacher_sees_their_own_sessions_only(client_as, teacher_user):
    response = client_as(Role.TEACHER).get(reverse("reports:work-sessions"))
    result = response.context["work"]
    s = teacher_user.sessions
    assert (result.today, result.upcoming, result.past) == ([s.today], [s.later], [s.past])
    html = response.content.decode()
    assert reverse("checkin:screen", args=[s.today.pk]) in html
    assert reverse("checkin:screen", args=[s.theirs.pk]) not in html


def test_the_teacher_runs_the_screen_and_roll_call_of_their_own_session_only(
    client_as, teacher_user
):
    client = client_as(Role.TEACHER)
    s = teacher_user.sessions
    assert client.get(reverse("checkin:screen", args=[s.today.pk])).status_code == 200
    assert client.get(reverse("checkin:roll-call", args=[s.today.pk])).status_code == 200
    assert client.get(reverse("checkin:screen", args=[s.theirs.pk])).status_code == 403
    # The class's other pages stay the head teacher's.
    tc = teacher_user.training_class
    assert client.get(reverse("checkin:class-attendance", args=[tc.pk])).status_code == 403
    assert client.get(reverse("checkin:class-leave", args=[tc.pk])).status_code == 403


# ---- a liaison's city ----------------------------------------------------------------------


def test_the_liaison_sees_their_citys_quotas_nominations_and_trainees(client_as, college, work):
    response = client_as(Role.LIAISON).get(reverse("reports:work-city"))
    result = response.context["work"]
    assert [(c, c.city_quota, c.city_used) for c in result.open_classes] == [(work.enrolling, 5, 1)]
    assert [e.pk for e in result.nominations.rows] == [work.nominated_dl.pk]
    # The running class's and the ended, not yet completed one's Dalian trainees.
    assert {e.cadre for e in result.in_progress.rows} == set(college.cadres_dalian)
    assert not result.nominations.more
    assert not result.in_progress.more
    assert response.context["city"] == college.dalian
    assert response.context["summary"].person_times == 2  # Dalian's two completed trainees
    html = response.content.decode()
    for cadre in college.cadres_shenyang:
        assert cadre.name not in html


def test_the_liaison_sees_open_classes_without_quotas_but_not_those_shut_to_their_city(
    client_as, college, make, work
):
    free = make.training_class(
        college.class_type,
        start_date=work.today + dt.timedelta(days=60),
        status=ClassStatus.ENROLLING,
    )
    shut = make.training_class(
        college.class_type,
        start_date=work.today + dt.timedelta(days=70),
        status=ClassStatus.ENROLLING,
    )
    ClassQuota.objects.create(training_class=shut, city=college.shenyang, quota=9)
    response = client_as(Role.LIAISON).get(reverse("reports:work-city"))
    shown = {c: c.city_quota for c in response.context["work"].open_classes}
    assert shown == {work.enrolling: 5, free: None}
    assert reverse("training:nominate", args=[free.pk]) in response.content.decode()


def test_the_liaisons_page_costs_the_same_queries_with_more_nominations(
    client_as, college, make, work
):
    client = client_as(Role.LIAISON)
    url = reverse("reports:work-city")
    few = _queries(client, url)
    for n in range(3):
        tc = make.training_class(
            college.class_type,
            start_date=work.today + dt.timedelta(days=40 + n * 5),
            status=ClassStatus.ENROLLING,
        )
        ClassQuota.objects.create(training_class=tc, city=college.dalian, quota=3)
        make.enrol(tc, college.cadres_dalian[0], status=EnrolmentStatus.NOMINATED)
    assert _queries(client, url) == few


# ---- a supervisor reads, never writes ------------------------------------------------------


def test_the_supervisor_reads_attendance_without_the_running_tools(client_as, college):
    client = client_as(Role.SUPERVISOR)
    response = client.get(reverse("checkin:class-attendance", args=[college.running.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    session = college.running.sessions.get()
    assert reverse("checkin:roll-call", args=[session.pk]) not in html
    assert reverse("checkin:class-leave", args=[college.running.pk]) not in html
    assert client.get(reverse("checkin:roll-call", args=[session.pk])).status_code == 403


def test_the_supervisor_reads_certificates_but_cannot_issue_them(client_as, college):
    client = client_as(Role.SUPERVISOR)
    response = client.get(reverse("certificates:class", args=[college.finished.pk]))
    assert response.status_code == 200
    assert reverse("certificates:class-issue", args=[college.finished.pk]) not in (
        response.content.decode()
    )
    issue = client.post(reverse("certificates:class-issue", args=[college.finished.pk]))
    assert issue.status_code == 403


def test_a_long_list_on_the_city_page_shows_its_first_rows_and_the_total(
    client_as, college, make, work, monkeypatch
):
    """A province's nominations (staff) can run to thousands: the page shows the first rows
    and says how many there are, each class's roster having them all."""
    monkeypatch.setattr(work_module, "CITY_ROWS_SHOWN", 2)
    for _ in range(3):
        make.enrol(work.enrolling, make.cadre(college.communities_dalian[1]), status="nominated")
    response = client_as(Role.LIAISON).get(reverse("reports:work-city"))
    nominations = response.context["work"].nominations
    assert len(nominations.rows) == 2
    assert nominations.total == 4  # the one of the fixture and three more
    assert nominations.more
    assert "4" in response.content.decode().split('data-testid="nominations-more"')[1][:200]


def test_certificates_to_issue_are_those_of_classes_not_yet_archived(client_as, college, work):
    """An archived class's records are closed: its missing certificates are not on the list
    (which thereby reads the open classes only, not the whole history)."""
    from luodi.training.services.planning import class_set_status

    client = client_as(Role.STAFF)
    items = {i.key: i for i in client.get(reverse("reports:work-todo")).context["items"]}
    assert [row[0] for row in items["certificates"].rows] == [college.finished]
    class_set_status(training_class=college.finished, status=ClassStatus.ARCHIVED, by=None)
    items = {i.key: i for i in client.get(reverse("reports:work-todo")).context["items"]}
    assert items["certificates"].count == 0


def test_a_long_to_do_list_shows_the_earliest_classes_and_links_the_rest(
    client_as, college, make, work, monkeypatch
):
    """A province's staff may have hundreds of classes with nominations waiting: each kind
    lists the earliest classes and links the class list (of that status) for the others;
    its count is still the whole."""
    monkeypatch.setattr(work_module.ToDo, "SHOWN", 1)
    later = make.training_class(
        college.class_type,
        start_date=work.today + dt.timedelta(days=60),
        status=ClassStatus.ENROLLING,
        head_teacher=college.teacher,
    )
    make.enrol(later, college.cadres_dalian[0], status=EnrolmentStatus.NOMINATED)
    response = client_as(Role.STAFF).get(reverse("reports:work-todo"))
    items = {item.key: item for item in response.context["items"]}
    nominations = items["nominations"]
    assert nominations.count == 3
    assert [row[0] for row in nominations.shown] == [work.enrolling]
    assert nominations.more == 1
    html = response.content.decode()
    assert reverse("training:class-manage", args=[work.enrolling.pk]) in html
    assert reverse("training:class-manage", args=[later.pk]) not in html
    more = html.split('data-testid="todo-more"')[1][:300]
    assert f"{reverse('training:class-list')}?status=enrolling" in more


def test_staff_see_the_earliest_classes_they_run_counted_and_the_number_of_the_rest(
    client_as, college, work, monkeypatch
):
    """Staff run every class: the list shows the earliest with their trainees counted (for
    those rows only) and says how many more there are; the trainees without a reflection and
    near the leave limit are of those classes; the leave waiting is of them all."""
    monkeypatch.setattr(work_module, "SHOWN_CLASSES", 2)
    response = client_as(Role.STAFF).get(reverse("reports:work-classes"))
    result = response.context["work"]
    every = [college.running, work.ended, work.other, work.enrolling]
    assert len(result.classes) == 2
    assert set(result.classes) < set(every) | {college.finished}
    assert result.more_classes >= 2
    for shown in result.classes:
        assert shown.enrolled_count == shown.enrolments.on_roster().count()
    # The other head teacher's class is not among those shown, its leave request is counted.
    assert [(c, n) for c, n in result.pending_leave] == [(work.other, 1)]
    assert 'data-testid="more-classes"' in response.content.decode()
    shown = set(result.classes)
    assert {e.training_class for e in result.missing_reflections} <= shown
    assert {r.enrolment.training_class for r in result.at_risk} <= shown
    # With every class shown, the class ended yesterday lists its trainee without a reflection.
    monkeypatch.setattr(work_module, "SHOWN_CLASSES", 30)
    result = client_as(Role.STAFF).get(reverse("reports:work-classes")).context["work"]
    assert work.silent in result.missing_reflections


def test_the_city_page_lists_the_first_open_classes_and_counts_the_rest(
    client_as, college, make, work, monkeypatch
):
    monkeypatch.setattr(work_module, "CITY_ROWS_SHOWN", 1)
    make.training_class(
        college.class_type,
        start_date=work.today + dt.timedelta(days=90),
        status=ClassStatus.ENROLLING,
        head_teacher=college.teacher,
    )  # no quotas: open to every city
    response = client_as(Role.LIAISON).get(reverse("reports:work-city"))
    result = response.context["work"]
    assert result.open_classes == [work.enrolling]
    assert result.more_open_classes == 1
    assert 'data-testid="more-open-classes"' in response.content.decode()


def test_the_certificates_due_are_kept_until_a_certificate_is_issued_or_revoked(
    college, users, django_assert_num_queries
):
    from luodi.certificates.services import certificate_revoke, certificates_issue_for_class

    assert work_module.certificates_due() == {college.finished.pk: 4}
    with django_assert_num_queries(2):  # the data version and the kept figure
        assert work_module.certificates_due() == {college.finished.pk: 4}
    staff = users[Role.STAFF]
    (first, *_rest) = certificates_issue_for_class(training_class=college.finished, by=staff)
    assert work_module.certificates_due() == {}
    certificate_revoke(certificate=first, by=staff, reason="姓名有误")
    assert work_module.certificates_due() == {college.finished.pk: 1}
