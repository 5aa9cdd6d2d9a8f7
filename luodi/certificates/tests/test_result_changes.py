"""A certificate follows the result (issue 6 §1.5): a result that carries a valid certificate
does not change until the certificate is revoked, and a revoked certificate no longer verifies."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.certificates import services
from luodi.certificates.models import Certificate
from luodi.training.models import EnrolmentStatus
from luodi.training.services.completion import enrolment_override

pytestmark = pytest.mark.django_db


def test_a_certified_result_changes_only_after_the_certificate_is_revoked(college, users, client):
    staff = users[Role.STAFF]
    enrolment = college.finished.enrolments.first()
    certificate = services.certificate_issue(enrolment=enrolment, by=staff)
    with pytest.raises(ValidationError, match="Revoke it first"):
        enrolment_override(enrolment=enrolment, status="withdrawn", reason="冒名顶替", by=staff)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.hours_credited) == (EnrolmentStatus.COMPLETED, 9)
    services.certificate_revoke(certificate=certificate, by=staff, reason="冒名顶替")
    enrolment_override(enrolment=enrolment, status="withdrawn", reason="冒名顶替", by=staff)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.credited_hours) == (EnrolmentStatus.WITHDRAWN, 0)
    page = client.get(reverse("verify:certificate", args=[certificate.serial]))
    assert page.context["certificate"].is_revoked


def test_no_certificate_for_a_result_no_completion_recorded(college):
    enrolment = college.finished.enrolments.first()
    enrolment.hours_credited = None  # marked completed outside the completion service
    enrolment.save()
    with pytest.raises(ValidationError, match="Only a trainee who completed"):
        services.certificate_issue(enrolment=enrolment, by=None)
    assert services.certificates_issue_for_class(training_class=college.finished, by=None)
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_a_result_restored_to_completed_gets_a_new_certificate(college, users):
    staff = users[Role.STAFF]
    enrolment = college.finished.enrolments.first()
    first = services.certificate_issue(enrolment=enrolment, by=staff)
    services.certificate_revoke(certificate=first, by=staff, reason="冒名顶替")
    enrolment_override(enrolment=enrolment, status="withdrawn", reason="冒名顶替", by=staff)
    enrolment_override(enrolment=enrolment, status="completed", reason="复核：系误判", by=staff)
    second = services.certificate_issue(enrolment=enrolment, by=staff)
    assert second.pk != first.pk
    assert not second.is_revoked
    assert second.sequence > first.sequence
    assert services.certificate_issue(enrolment=enrolment, by=staff) == second  # not a third
    enrolment.refresh_from_db()
    assert enrolment.certificate == second
    assert [c.pk for c in enrolment.certificates.order_by("issued_at")] == [first.pk, second.pk]


def test_the_database_keeps_one_certificate_in_force_per_enrolment(college):
    from django.db import IntegrityError, transaction

    enrolment = college.finished.enrolments.first()
    certificate = services.certificate_issue(enrolment=enrolment, by=None)
    duplicate = Certificate(
        enrolment=enrolment,
        serial=certificate.serial + "X",
        sequence=certificate.sequence + 1,
        hours=certificate.hours,
        issued_at=certificate.issued_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
