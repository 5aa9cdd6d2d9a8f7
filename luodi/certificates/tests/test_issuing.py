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
    # 6, the audit row and the history entries (one INSERT each), and the class type the
    # audit row's text of the class would read: refused before it reaches the database
    # (luodi.lib.audit._text_of), but counted by the capture; and for the trainees' notice,
    # their accounts and the class's title (its type); and the college settings (the
    # numbers' prefix).
    assert counts[0] == counts[1] <= 12, counts


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
