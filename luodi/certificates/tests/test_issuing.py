"""Issuing and revoking certificates of completion."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, Q
from django.test.utils import CaptureQueriesContext

from luodi.accounts.models import Role
from luodi.certificates import services
from luodi.certificates.models import Certificate
from luodi.lib import audit
from luodi.training.models import AttendanceStatus, EnrolmentStatus

pytestmark = pytest.mark.django_db

SERIAL = re.compile(r"^LN-(\d{4})-(\d{4,})-(\d{5})-([0-9A-HJKMNP-TV-Z]{13})$")


def test_it_issues_a_certificate_to_a_completed_trainee(college, users):
    enrolment = college.finished.enrolments.first()
    certificate = services.certificate_issue(enrolment=enrolment, by=users[Role.STAFF])
    match = SERIAL.match(certificate.serial)
    assert match, certificate.serial
    assert match[1] == str(college.finished.year)
    assert int(match[2]) == college.finished.pk
    assert int(match[3]) == certificate.sequence == 1
    assert certificate.hours == 9  # three sessions of 3 hours, all attended
    assert certificate.issued_by == users[Role.STAFF]
    assert certificate.issued_at is not None
    assert not certificate.is_revoked


def test_it_prints_the_hours_credited_when_the_result_recorded_them(college):
    enrolment = college.finished.enrolments.first()
    enrolment.hours_credited = 7.5
    enrolment.save()
    certificate = services.certificate_issue(enrolment=enrolment, by=None)
    assert str(certificate.hours) == "7.5"


def test_issuing_twice_returns_the_same_certificate(college, users):
    enrolment = college.finished.enrolments.first()
    first = services.certificate_issue(enrolment=enrolment, by=users[Role.STAFF])
    again = services.certificate_issue(enrolment=enrolment, by=users[Role.ADMIN])
    assert again.pk == first.pk
    assert again.serial == first.serial
    assert Certificate.objects.count() == 1
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


@pytest.mark.parametrize(
    "status",
    [EnrolmentStatus.ENROLLED, EnrolmentStatus.NOT_COMPLETED, EnrolmentStatus.WITHDRAWN],
)
def test_it_refuses_a_trainee_who_did_not_complete(college, status):
    enrolment = college.finished.enrolments.first()
    enrolment.status = status
    enrolment.save()
    with pytest.raises(ValidationError) as refused:
        services.certificate_issue(enrolment=enrolment, by=None)
    assert refused.value.code == "not_completed"
    assert not Certificate.objects.exists()


def test_bulk_issue_covers_completed_trainees_only_and_numbers_them(college):
    not_completed = college.finished.enrolments.last()
    not_completed.status = EnrolmentStatus.NOT_COMPLETED
    not_completed.save()
    issued = services.certificates_issue_for_class(training_class=college.finished, by=None)
    assert len(issued) == 3
    assert not_completed.pk not in {c.enrolment_id for c in issued}
    assert [c.sequence for c in issued] == [1, 2, 3]
    assert len({c.serial for c in issued}) == 3
    # nobody left: a second run issues nothing and changes nothing
    assert services.certificates_issue_for_class(training_class=college.finished, by=None) == []
    # a trainee whose result is corrected later gets the next number
    not_completed.status = EnrolmentStatus.COMPLETED
    not_completed.save()
    (late,) = services.certificates_issue_for_class(training_class=college.finished, by=None)
    assert late.sequence == 4


def _class_of(make, college, size):
    """A class of ``size`` completed trainees, on its own dates with its own teacher."""
    training_class = make.training_class(
        college.class_type, start_date=dt.date(2025, 3, size % 28 + 1)
    )
    session = make.session(training_class, college.course, make.teacher())
    community = college.communities_dalian[1]
    for i in range(size):
        status = AttendanceStatus.LATE if i % 3 else AttendanceStatus.PRESENT
        make.enrol(training_class, make.cadre(community), attend={session.pk: status})
    return training_class


def test_bulk_issue_takes_the_same_queries_for_any_class_size(college, make):
    counts = []
    for size in (2, 25):
        training_class = _class_of(make, college, size)
        with CaptureQueriesContext(connection) as queries:
            issued = services.certificates_issue_for_class(training_class=training_class, by=None)
        assert len(issued) == size
        counts.append(len(queries))
    # The savepoint and its release; the class locked, its last number, the college settings
    # (the numbers' prefix), the enrolments; the certificates written (one executemany), read
    # back by their enrolments (their ids and serials), their history entries (one
    # executemany, with the content type); for the notice, the trainees' accounts and the
    # class's title (its type); the audit row; and the certificates as instances for the
    # caller: 14, whatever the size.
    assert counts[0] == counts[1] <= 14, counts


def test_serials_cannot_be_guessed_by_counting():
    serials = {services.make_serial(year=2026, class_id=310, sequence=42) for _ in range(50)}
    assert len(serials) > 40  # 32**4 random tails
    assert all(s.startswith("LN-2026-0310-00042-") for s in serials)


def test_revoking_requires_a_reason_and_records_it(college, users):
    certificate = services.certificate_issue(enrolment=college.finished.enrolments.first(), by=None)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            services.certificate_revoke(
                certificate=certificate, by=users[Role.STAFF], reason=reason
            )
        assert refused.value.error_dict["revoke_reason"][0].code == "reason_required"
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    services.certificate_revoke(
        certificate=certificate, by=users[Role.STAFF], reason=" 身份信息有误 "
    )
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoke_reason == "身份信息有误"
    assert certificate.revoked_by == users[Role.STAFF]
    with pytest.raises(ValidationError) as refused:
        services.certificate_revoke(certificate=certificate, by=None, reason="再次")
    assert refused.value.code == "already_revoked"
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "身份信息有误"


def test_the_database_refuses_a_revocation_without_reason(college):
    certificate = services.certificate_issue(enrolment=college.finished.enrolments.first(), by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(revoked_at=certificate.issued_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(revoke_reason="无撤销时间")
    assert Certificate.objects.filter(Q(revoked_at__isnull=True), revoke_reason="").count() == 1


def test_a_certificate_keeps_its_enrolment_from_being_deleted(college):
    enrolment = college.finished.enrolments.first()
    services.certificate_issue(enrolment=enrolment, by=None)
    with pytest.raises(ProtectedError):
        enrolment.delete()


def test_issuing_for_many_classes_numbers_each_class_and_records_each(college, make):
    """The many-class issue (the demo's five years) numbers within each class, continuing
    after the numbers already issued, in roster order, with a history entry per certificate
    and an audit event per class; the same certificates as class by class."""
    from auditlog.models import LogEntry

    first, second = _class_of(make, college, 3), _class_of(make, college, 2)
    (earlier, *_rest) = first.enrolments.order_by("pk")
    services.certificate_issue(enrolment=earlier, by=None)
    ids = services.certificates_issue_for_classes(classes=[second, first], by=None)
    issued = Certificate.objects.filter(pk__in=ids)
    numbers = issued.order_by("sequence").values_list("sequence", flat=True)
    assert list(numbers.filter(enrolment__training_class=first)) == [2, 3]
    assert list(numbers.filter(enrolment__training_class=second)) == [1, 2]
    for certificate in issued:
        klass = certificate.enrolment.training_class
        number = f"LN-{klass.year}-{klass.pk:04d}-{certificate.sequence:05d}-"
        assert certificate.serial.startswith(number)
        assert certificate.hours == certificate.enrolment.hours_credited
    entries = LogEntry.objects.get_for_objects(issued).filter(action=LogEntry.Action.CREATE)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(ids)
    assert {e.changes["serial"][1] for e in entries} == set(issued.values_list("serial", flat=True))
    events = audit.recent("certificate.issue_class")[-2:]
    assert {(e["object"], e["details"]["count"]) for e in events} == {
        (f"training.trainingclass:{first.pk}", "2"),
        (f"training.trainingclass:{second.pk}", "2"),
    }
    assert services.certificates_issue_for_classes(classes=[first, second], by=None) == []
