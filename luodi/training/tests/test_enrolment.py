import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from luodi.accounts.models import Role
from luodi.training.models import ClassQuota, ClassStatus, Enrolment, EnrolmentStatus
from luodi.training.services.enrolment import enrolment_bulk, enrolment_move, enrolment_nominate
from luodi.training.services.planning import class_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_class(college):
    tc, _ = class_plan(
        class_type=college.class_type,
        start_date=dt.date(2026, 12, 7),
        end_date=dt.date(2026, 12, 11),
        venue="学院报告厅",
        capacity=3,
        head_teacher=None,
        quotas={college.dalian: 2, college.shenyang: 1},
        by=None,
        record_of_past=True,  # fixed dates, whatever day the tests run
    )
    tc.status = ClassStatus.ENROLLING
    tc.save()
    return tc


def test_a_liaison_nominates_own_city_cadres_up_to_the_quota(open_class, users, college, make):
    liaison = users[Role.LIAISON]
    a, b = college.cadres_dalian
    assert enrolment_nominate(training_class=open_class, cadre=a, by=liaison).status == "nominated"
    enrolment_nominate(training_class=open_class, cadre=b, by=liaison)
    third = make.cadre(college.communities_dalian[0])
    with pytest.raises(ValidationError, match="quota"):
        enrolment_nominate(training_class=open_class, cadre=third, by=liaison)
    assert ClassQuota.objects.get(training_class=open_class, city=college.dalian).used == 2
    assert not Enrolment.objects.filter(training_class=open_class, cadre=third).exists()


def test_a_liaison_cannot_nominate_another_citys_cadre(open_class, users, college):
    with pytest.raises(ValidationError, match="own city"):
        enrolment_nominate(
            training_class=open_class, cadre=college.cadres_shenyang[0], by=users[Role.LIAISON]
        )


def test_nominations_wait_for_the_class_to_open(open_class, users, college):
    open_class.status = ClassStatus.PLANNED
    open_class.save()
    with pytest.raises(ValidationError, match="not open"):
        enrolment_nominate(
            training_class=open_class, cadre=college.cadres_dalian[0], by=users[Role.LIAISON]
        )


def test_staff_enrol_directly_and_capacity_holds(open_class, users, college, make):
    staff = users[Role.STAFF]
    ClassQuota.objects.filter(training_class=open_class).update(quota=3)
    for cadre in [*college.cadres_dalian, college.cadres_shenyang[0]]:
        assert enrolment_nominate(training_class=open_class, cadre=cadre, by=staff).status == (
            "enrolled"
        )
    with pytest.raises(ValidationError, match="full"):
        enrolment_nominate(training_class=open_class, cadre=college.cadres_shenyang[1], by=staff)
    open_class.refresh_from_db()
    assert open_class.seats_taken == 3


def test_the_same_cadre_is_refused_twice(open_class, users, college):
    cadre = college.cadres_dalian[0]
    enrolment_nominate(training_class=open_class, cadre=cadre, by=users[Role.STAFF])
    with pytest.raises(ValidationError, match="already"):
        enrolment_nominate(training_class=open_class, cadre=cadre, by=users[Role.STAFF])
    open_class.refresh_from_db()
    assert open_class.seats_taken == 1


def test_waitlist_frees_a_seat_and_admit_takes_it_again(open_class, users, college):
    staff = users[Role.STAFF]
    enrolment = enrolment_nominate(
        training_class=open_class, cadre=college.cadres_dalian[0], by=users[Role.LIAISON]
    )
    enrolment_move(enrolment=enrolment, action="confirm", by=staff)
    enrolment = enrolment_move(enrolment=enrolment, action="waitlist", by=staff)
    open_class.refresh_from_db()
    assert (open_class.seats_taken, enrolment.status) == (0, EnrolmentStatus.WAITLISTED)
    enrolment_move(enrolment=enrolment, action="admit", by=staff)
    open_class.refresh_from_db()
    assert open_class.seats_taken == 1
    enrolment_move(enrolment=enrolment, action="withdraw", by=staff)
    open_class.refresh_from_db()
    assert open_class.seats_taken == 0
    with pytest.raises(ValidationError):
        enrolment_move(enrolment=enrolment, action="confirm", by=staff)


def test_bulk_enrolment_reports_every_bad_line_and_writes_nothing(open_class, users, college):
    good = college.cadres_dalian[0].id_number
    text = "\n".join([good, "210202198001011", "", good, "110101199003076439"])
    lines, written = enrolment_bulk(training_class=open_class, text=text, by=users[Role.STAFF])
    assert not written
    assert [(line.number, bool(line.error)) for line in lines] == [
        (1, False),
        (2, True),
        (4, True),
        (5, True),
    ]
    assert "18" in lines[1].error
    assert not open_class.enrolments.exists()


def test_bulk_enrolment_enrols_the_whole_list(open_class, users, college):
    text = "\n".join(c.id_number for c in college.cadres_dalian)
    lines, written = enrolment_bulk(training_class=open_class, text=text, by=users[Role.STAFF])
    assert written
    assert all(not line.error for line in lines)
    assert open_class.enrolments.count() == 2


def test_bulk_enrolment_past_capacity_writes_nothing(open_class, users, college, make):
    cadres = [*college.cadres_dalian, *college.cadres_shenyang]
    ClassQuota.objects.filter(training_class=open_class).delete()
    text = "\n".join(c.id_number for c in cadres)
    lines, written = enrolment_bulk(training_class=open_class, text=text, by=users[Role.STAFF])
    assert not written
    assert "full" in lines[-1].error
    assert not open_class.enrolments.exists()


@pytest.mark.django_db(transaction=True)
def test_two_hundred_simultaneous_nominations_fill_exactly_sixty_places(college, users, make):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers")
    tc, _ = class_plan(
        class_type=college.class_type,
        start_date=dt.date(2026, 12, 14),
        end_date=dt.date(2026, 12, 18),
        venue="学院二楼",
        capacity=60,
        head_teacher=None,
        quotas={college.dalian: 60},
        by=None,
        record_of_past=True,  # fixed dates, whatever day the tests run
    )
    tc.status = ClassStatus.ENROLLING
    tc.save()
    cadres = [make.cadre(college.communities_dalian[i % 2]) for i in range(200)]
    liaison = users[Role.LIAISON]
    ok, refused, errors = [], [], []
    barrier = threading.Barrier(20)

    def nominate(batch):
        try:
            barrier.wait(timeout=30)
            for cadre in batch:
                try:
                    enrolment_nominate(training_class=tc, cadre=cadre, by=liaison)
                    ok.append(cadre.pk)
                except ValidationError:
                    refused.append(cadre.pk)
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=nominate, args=(cadres[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert (len(ok), len(refused)) == (60, 140)
    tc.refresh_from_db()
    assert tc.seats_taken == 60 == tc.enrolments.count()
    assert ClassQuota.objects.get(training_class=tc).used == 60
