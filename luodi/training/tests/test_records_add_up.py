"""Records that always add up (issue 6 §1): seats, quotas, places at nomination, results, hours
and frozen classes stay consistent after overrides, moves, withdrawals and corrections."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from luodi.accounts.models import Role
from luodi.checkin.leave import leave_request_create
from luodi.checkin.services import attendance_mark
from luodi.reports import stats
from luodi.training.models import (
    AttendanceStatus,
    ClassQuota,
    ClassStatus,
    ClassType,
    EnrolmentStatus,
    TrainingClass,
)
from luodi.training.services.completion import (
    attendance_correct,
    class_complete,
    enrolment_override,
)
from luodi.training.services.enrolment import enrolment_move, enrolment_nominate
from luodi.training.services.planning import class_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(users):
    return users[Role.STAFF]


@pytest.fixture
def open_class(college, staff):
    tc, _ = class_plan(
        class_type=college.class_type,
        start_date=dt.date(2026, 12, 7),
        end_date=dt.date(2026, 12, 11),
        venue="学院报告厅",
        capacity=2,
        head_teacher=None,
        quotas={college.dalian: 1, college.shenyang: 1},
        by=staff,
        record_of_past=True,  # fixed dates, whatever day the tests run
    )
    TrainingClass.objects.filter(pk=tc.pk).update(status=ClassStatus.ENROLLING)
    tc.refresh_from_db()
    return tc


def _used(tc) -> dict:
    return {q.city.name: q.used for q in ClassQuota.objects.filter(training_class=tc)}


# §1.2 --------------------------------------------------------------------------------------


def test_an_override_refuses_a_trainee_who_never_had_a_result(
    week, college, make, staff, enrol_marked
):
    tc, sessions = week
    enrol_marked(tc, college.cadres_dalian[0], sessions, ["present"] * 7)
    waiting = make.enrol(tc, college.cadres_dalian[1], status=EnrolmentStatus.WAITLISTED)
    class_complete(training_class=tc, by=staff)
    with pytest.raises(ValidationError, match="Only a result decided at completion"):
        enrolment_override(enrolment=waiting, status="completed", reason="补录", by=staff)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.WAITLISTED


def test_an_override_into_a_seat_of_a_full_class_is_refused_with_a_message(
    week, college, make, staff, enrol_marked
):
    tc, sessions = week
    TrainingClass.objects.filter(pk=tc.pk).update(capacity=2)
    left = enrol_marked(tc, college.cadres_dalian[0], sessions, ["leave"] * 3 + ["present"] * 4)
    class_complete(training_class=tc, by=staff)
    left.refresh_from_db()
    assert left.status == EnrolmentStatus.WITHDRAWN
    # The withdrawal gave its seat back; two others fill the class of two.
    for cadre in college.cadres_shenyang:
        make.enrol(tc, cadre, status=EnrolmentStatus.COMPLETED)
    with pytest.raises(ValidationError, match="The class is full"):
        enrolment_override(enrolment=left, status="completed", reason="补学", by=staff)
    tc.refresh_from_db()
    left.refresh_from_db()
    assert (tc.seats_taken, left.status) == (2, EnrolmentStatus.WITHDRAWN)


# §1.3 --------------------------------------------------------------------------------------


def test_withdrawing_a_cadre_who_moved_frees_the_place_of_the_city_that_nominated_them(
    open_class, college, users, staff
):
    cadre = college.cadres_dalian[0]
    enrolment = enrolment_nominate(training_class=open_class, cadre=cadre, by=users[Role.LIAISON])
    cadre.community = college.communities_shenyang[0]  # moves to Shenyang
    cadre.save()
    assert _used(open_class) == {"大连市": 1, "沈阳市": 0}
    enrolment_move(enrolment=enrolment, action="withdraw", by=staff)
    assert _used(open_class) == {"大连市": 0, "沈阳市": 0}
    enrolment.refresh_from_db()
    assert enrolment.city == college.dalian


def test_figures_count_the_city_at_nomination_when_a_cadre_moves(college):
    before = stats.summary(city=college.dalian)
    cadre = college.cadres_dalian[0]  # completed the finished class while in Dalian
    cadre.community = college.communities_shenyang[0]
    cadre.save()
    assert stats.summary(city=college.dalian) == before
    rows = {r["city"]: r["person_times"] for r in stats.by_city()}
    assert rows[college.dalian] == before.person_times


# §1.4 --------------------------------------------------------------------------------------


def test_a_withdrawn_cadre_can_rejoin_through_the_same_seat_rules(
    open_class, college, users, staff
):
    liaison = users[Role.LIAISON]
    cadre = college.cadres_dalian[0]
    enrolment = enrolment_nominate(training_class=open_class, cadre=cadre, by=liaison)
    enrolment_move(enrolment=enrolment, action="withdraw", by=staff)
    other = enrolment_nominate(training_class=open_class, cadre=college.cadres_dalian[1], by=staff)
    with pytest.raises(ValidationError, match="quota for the class is used up"):
        enrolment_nominate(training_class=open_class, cadre=cadre, by=liaison)
    enrolment_move(enrolment=other, action="withdraw", by=staff)
    again = enrolment_nominate(training_class=open_class, cadre=cadre, by=liaison)
    assert again.pk == enrolment.pk
    assert again.status == EnrolmentStatus.NOMINATED
    open_class.refresh_from_db()
    assert open_class.seats_taken == 1
    assert _used(open_class)["大连市"] == 1


# §1.5 --------------------------------------------------------------------------------------


def test_only_a_completed_result_credits_hours(week, college, make, staff, enrol_marked):
    tc, sessions = week
    done = enrol_marked(tc, college.cadres_dalian[0], sessions, ["present"] * 7)
    short = enrol_marked(tc, college.cadres_dalian[1], sessions, ["absent"] * 2 + ["present"] * 5)
    class_complete(training_class=tc, by=staff)
    short.refresh_from_db()
    assert (short.status, short.hours_credited) == (EnrolmentStatus.NOT_COMPLETED, 0)
    enrolment_override(enrolment=done, status="withdrawn", reason="冒名顶替", by=staff)
    done.refresh_from_db()
    assert (done.status, done.hours_credited, done.credited_hours) == ("withdrawn", 0, 0)
    enrolment_override(enrolment=done, status="completed", reason="核实无误", by=staff)
    done.refresh_from_db()
    assert done.credited_hours == Decimal(21)


# §1.6 --------------------------------------------------------------------------------------


def test_a_finished_class_refuses_roll_call_and_leave(college, users):
    trainee = college.finished.enrolments.first()
    session = college.finished.sessions.first()
    with pytest.raises(ValidationError, match="This class is finished"):
        attendance_mark(
            session=session,
            enrolment=trainee,
            status=AttendanceStatus.ABSENT,
            by=users[Role.HEAD_TEACHER],
        )
    TrainingClass.objects.filter(pk=college.finished.pk).update(status=ClassStatus.ARCHIVED)
    trainee.status = EnrolmentStatus.ENROLLED  # even a record left enrolled by mistake
    with pytest.raises(ValidationError, match="This class is finished"):
        leave_request_create(enrolment=trainee, sessions=[session], reason="家中有事", by=None)


def test_a_correction_gives_its_reason_and_recomputes_the_result(
    week, college, make, staff, enrol_marked
):
    tc, sessions = week
    e = enrol_marked(tc, college.cadres_dalian[0], sessions, ["absent"] + ["present"] * 6)
    class_complete(training_class=tc, by=staff)
    e.refresh_from_db()
    assert (e.status, e.hours_credited) == (EnrolmentStatus.COMPLETED, 18)
    with pytest.raises(ValidationError, match="reason"):
        attendance_correct(session=sessions[1], enrolment=e, status="absent", reason="", by=staff)
    attendance_correct(
        session=sessions[1], enrolment=e, status="absent", reason="签到系补签", by=staff
    )
    e.refresh_from_db()
    assert (e.status, e.hours_credited) == (EnrolmentStatus.NOT_COMPLETED, 0)  # 15/21 < 80 %
    attendance_correct(
        session=sessions[0], enrolment=e, status="present", reason="病假条补交后核实在场", by=staff
    )
    e.refresh_from_db()
    assert (e.status, e.hours_credited) == (EnrolmentStatus.COMPLETED, 18)


# §1.7 --------------------------------------------------------------------------------------


def test_the_leave_limit_is_compared_exactly():
    one_seventh = ClassType(max_leave_numerator=1, max_leave_denominator=7)
    # 700 h × 0.143 = 100.1 h: the rounded decimal let 100.1 h of leave through.
    assert one_seventh.leave_exceeds(Decimal("100.1"), Decimal(700))
    assert not one_seventh.leave_exceeds(Decimal(100), Decimal(700))
    assert one_seventh.leave_exceeds(Decimal("10.5"), Decimal(70))
    assert not one_seventh.leave_exceeds(Decimal(10), Decimal(70))


def test_leave_of_exactly_one_seventh_completes(college, make, staff, enrol_marked):
    tc = make.training_class(
        college.class_type, start_date=dt.date(2025, 9, 1), status=ClassStatus.IN_PROGRESS
    )
    hours = [Decimal("10.5"), Decimal("9.5"), *[Decimal(10)] * 5]  # 70 h
    sessions = [
        make.session(tc, college.course, college.teacher, day=i // 3, slot=slot, hours=h)
        for i, (h, slot) in enumerate(
            zip(hours, ["morning", "afternoon", "evening"] * 3, strict=False)
        )
    ]
    ok = enrol_marked(
        tc, college.cadres_dalian[0], sessions, ["present", "leave"] + ["present"] * 5
    )
    out = enrol_marked(tc, college.cadres_dalian[1], sessions, ["leave"] + ["present"] * 6)
    class_complete(training_class=tc, by=staff)
    ok.refresh_from_db()
    out.refresh_from_db()
    assert ok.status == EnrolmentStatus.COMPLETED  # 9.5 h ≤ 10 h
    assert out.status == EnrolmentStatus.WITHDRAWN  # 10.5 h > 10 h


# §1.10 -------------------------------------------------------------------------------------


def test_the_class_list_roll_call_and_class_page_agree_on_the_roster(college, make, client_as):
    from luodi.checkin import roll_call

    tc = college.running
    make.enrol(tc, make.cadre(college.communities_dalian[0]), status=EnrolmentStatus.WAITLISTED)
    make.enrol(tc, make.cadre(college.communities_dalian[0]), status=EnrolmentStatus.WITHDRAWN)
    make.enrol(tc, make.cadre(college.communities_dalian[0]), status=EnrolmentStatus.NOMINATED)
    on_roster = set(tc.enrolments.on_roster().values_list("pk", flat=True))
    listed = TrainingClass.objects.with_counts().get(pk=tc.pk).enrolled_count
    session = tc.sessions.first()
    roll = {e.pk for e in roll_call.roster(session)}
    page = client_as(Role.STAFF).get(tc.get_absolute_url()).context["roster"]
    assert listed == len(on_roster) == roll_call.counts(session).expected
    assert roll == on_roster == {e.pk for e in page}


def test_staff_correct_a_finished_classs_attendance_on_the_completion_page(college, client_as):
    from django.urls import reverse

    from luodi.lib import audit

    tc = college.finished
    enrolment = tc.enrolments.order_by("pk").first()
    session = tc.sessions.first()
    url = reverse("training:attendance-correction", args=[tc.pk])
    page = client_as(Role.STAFF).get(reverse("training:class-completion", args=[tc.pk]))
    assert 'id="correction"' in page.content.decode()
    data = {"enrolment": enrolment.pk, "session": session.pk, "status": "absent", "reason": ""}
    client_as(Role.STAFF).post(url, data)
    assert enrolment.attendances.get(session=session).status == "present"  # no reason, no change
    client_as(Role.STAFF).post(url, {**data, "reason": "当天实际缺勤"})
    assert enrolment.attendances.get(session=session).status == "absent"
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.NOT_COMPLETED  # 6 of 9 h < 80 %
    assert audit.recent("attendance.correct")[-1]["details"]["reason"] == "当天实际缺勤"
    assert client_as(Role.HEAD_TEACHER).post(url, data).status_code == 403


def test_a_finished_class_refuses_check_in(college):
    """A class set to finished before its results are recorded still refuses a late scan."""
    from luodi.checkin import tokens
    from luodi.checkin.services import OutsideWindow, session_check_in

    tc = college.running
    session = tc.sessions.first()
    trainee = tc.enrolments.filter(status=EnrolmentStatus.ENROLLED).first()
    TrainingClass.objects.filter(pk=tc.pk).update(status=ClassStatus.FINISHED)
    when = tokens.window(session).start
    with pytest.raises(OutsideWindow, match="check-in is closed"):
        session_check_in(
            session=session,
            cadre=trainee.cadre,
            token=tokens.token_for(session.pk, when),
            now=when,
        )
    assert not trainee.attendances.filter(session=session, checked_in_at__isnull=False).exists()
