"""Model-change history (django-auditlog): who changed which field of a cadre, an enrolment,
a certificate or a user, from what to what; ID and phone numbers only masked, passwords and
digests never; the actor and IP address from the request."""

import json

import pytest
from auditlog.models import LogEntry
from django.test import RequestFactory
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.audit.middleware import AuditMiddleware
from luodi.certificates.services import certificates_issue_for_class
from luodi.lib.personal import make_id_number, mask_id_number, mask_phone
from luodi.training.models import EnrolmentStatus
from luodi.training.services.completion import class_complete

pytestmark = pytest.mark.django_db


def _everything_stored(entries) -> str:
    return json.dumps(
        [
            [e.changes, e.changes_text, e.object_repr, e.serialized_data, e.additional_data]
            for e in entries
        ],
        ensure_ascii=False,
        default=str,
    )


def test_a_cadres_new_id_and_phone_numbers_are_recorded_masked(college):
    cadre = college.cadres_dalian[0]
    old_id, old_phone, old_digest = cadre.id_number, cadre.phone, cadre.id_number_digest
    cadre.id_number = make_id_number("210202", "19790505", 123)
    cadre.phone = "13700001111"
    cadre.save()
    cadre.refresh_from_db()
    entry = LogEntry.objects.get_for_object(cadre).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["id_number"] == [
        mask_id_number(old_id),
        mask_id_number(cadre.id_number),
    ]
    assert entry.changes_dict["phone"] == [mask_phone(old_phone), mask_phone("13700001111")]
    assert "id_number_digest" not in entry.changes_dict
    stored = _everything_stored(LogEntry.objects.get_for_object(cadre))
    for raw in (old_id, cadre.id_number, old_phone, "13700001111", old_digest):
        assert raw not in stored


def test_a_new_cadre_is_recorded_without_its_numbers(college, make):
    cadre = make.cadre(college.communities_dalian[0], name="新人")
    entry = LogEntry.objects.get_for_object(cadre).get(action=LogEntry.Action.CREATE)
    assert entry.changes_dict["name"] == ["None", "新人"]
    # Only the fields settings name: nothing added later (a digest, a key) slips in.
    assert set(entry.changes_dict) == {
        *("name", "gender", "birth_date", "ethnicity", "political_status", "education"),
        *("id_number", "phone", "community", "post", "started_on"),
    }
    stored = _everything_stored([entry])
    assert cadre.id_number not in stored
    assert cadre.phone not in stored
    assert cadre.id_number_digest not in stored


def test_an_enrolments_change_is_recorded_field_by_field(college):
    enrolment = college.finished.enrolments.first()
    enrolment.status = EnrolmentStatus.NOT_COMPLETED
    enrolment.save()
    entry = LogEntry.objects.get_for_object(enrolment).first()  # the newest
    assert entry.changes_dict["status"] == [
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.NOT_COMPLETED,
    ]


def test_results_written_in_bulk_get_one_history_entry_each(college, users):
    """class_complete writes results with one UPDATE per distinct result; the history still
    has an entry per trainee, by the user who completed the class."""
    running = college.running
    enrolment = running.enrolments.get()
    before = LogEntry.objects.get_for_object(enrolment).count()
    class_complete(training_class=running, by=users[Role.STAFF])
    enrolment.refresh_from_db()
    entries = LogEntry.objects.get_for_object(enrolment)
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.actor == users[Role.STAFF]
    assert entry.changes_dict["status"] == [EnrolmentStatus.ENROLLED, enrolment.status]


def test_issuing_a_certificate_is_recorded(college, users):
    (certificate, *_) = certificates_issue_for_class(
        training_class=college.finished, by=users[Role.STAFF]
    )
    (entry,) = LogEntry.objects.get_for_object(certificate)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == users[Role.STAFF]
    assert entry.changes_dict["serial"] == ["None", certificate.serial]


def test_the_actor_and_ip_come_from_the_request(college, users):
    cadre = college.cadres_dalian[1]

    def view(request):
        cadre.post = "deputy_secretary"
        cadre.save()
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().post("/x", REMOTE_ADDR="10.20.30.40")
    request.user = users[Role.STAFF]
    AuditMiddleware(view)(request)
    entry = LogEntry.objects.get_for_object(cadre).filter(action=LogEntry.Action.UPDATE).get()
    assert (entry.actor, entry.remote_addr) == (users[Role.STAFF], "10.20.30.40")


def test_a_users_changes_are_recorded_without_the_password(client_as, users):
    staff = users[Role.STAFF]
    client = client_as(Role.ADMIN)
    url = reverse("admin:auth_user_password_change", args=[staff.pk])
    response = client.post(
        url,
        {"password1": "N3w-pass-word-x", "password2": "N3w-pass-word-x", "usable_password": "true"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    entries = LogEntry.objects.get_for_object(staff)
    assert entries.exists()
    stored = _everything_stored(entries)
    assert "N3w-pass-word-x" not in stored
    assert staff.password not in stored
    assert all("password" not in e.changes_dict for e in entries)


def test_the_history_admin_is_read_only_and_for_administrators(client_as, college):
    cadre = college.cadres_dalian[0]
    cadre.post = "deputy_secretary"
    cadre.save()
    entry = LogEntry.objects.get_for_object(cadre).first()
    admin_client = client_as(Role.ADMIN)
    page = admin_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert cadre.id_number not in page.content.decode()
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
