"""audit.record: one row per event, with the request's IP and user, scrubbed of secrets and
full ID and phone numbers; rolled back with a refused action, refusals themselves kept."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseForbidden
from django.test import RequestFactory

from luodi.accounts.models import Role
from luodi.audit.middleware import AuditMiddleware
from luodi.audit.models import AuditEvent
from luodi.lib import audit

pytestmark = pytest.mark.django_db


def _request(user=None, **meta):
    request = RequestFactory().get("/somewhere", **meta)
    request.user = user or AnonymousUser()
    return request


def test_it_writes_one_row_per_event(users, college):
    admin, cadre = users[Role.ADMIN], college.cadres_dalian[0]
    audit.record("test.event", by=admin, obj=cadre, outcome="ok", note="hello")
    row = AuditEvent.objects.get(event="test.event")
    assert (row.user, row.username, row.outcome) == (admin, "admin", "ok")
    assert (row.object_type, row.object_id) == ("cadres.cadre", str(cadre.pk))
    assert row.object_repr == str(cadre)
    assert row.details == {"note": "hello"}
    assert row.ip == ""  # no request: a command or a background job
    assert audit.recent("test.event")[-1]["details"] == {"note": "hello"}


def test_it_takes_ip_and_user_from_the_request_being_served(users):
    staff = users[Role.STAFF]
    with audit.bind_request(_request(staff, REMOTE_ADDR="10.1.2.3")):
        audit.record("test.event")
    row = AuditEvent.objects.get(event="test.event")
    assert (row.user, row.ip) == (staff, "10.1.2.3")


def test_an_explicit_actor_wins_over_the_request_user(users):
    with audit.bind_request(_request(users[Role.STAFF], REMOTE_ADDR="10.1.2.3")):
        audit.record("test.event", by=users[Role.ADMIN])
    assert AuditEvent.objects.get(event="test.event").username == "admin"


def test_an_anonymous_request_leaves_the_user_empty():
    with audit.bind_request(_request(REMOTE_ADDR="10.9.9.9")):
        audit.record("test.event")
    row = AuditEvent.objects.get(event="test.event")
    assert (row.user, row.username, row.ip) == (None, "", "10.9.9.9")


def test_it_ignores_forwarded_for_unless_proxies_are_configured(settings):
    request = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert audit.client_ip(request) == "127.0.0.1"
    settings.LUODI_PROXY_COUNT = 1  # one reverse proxy: the address it saw, not the client's claim
    assert audit.client_ip(request) == "203.0.113.7"
    settings.LUODI_PROXY_COUNT = 2
    assert audit.client_ip(request) == "6.6.6.6"
    settings.LUODI_PROXY_COUNT = 3  # fewer hops than proxies: the socket's address
    assert audit.client_ip(request) == "127.0.0.1"
    settings.LUODI_PROXY_COUNT = 1
    forged = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert audit.client_ip(forged) == "127.0.0.1"  # not an address: the socket's


def test_it_never_stores_a_password_token_secret_or_full_number(college):
    cadre = college.cadres_dalian[0]
    audit.record(
        "test.event",
        password="hunter2-secret",
        new_password1="hunter3",
        api_token="luodi_abcdef",
        client_secret="s3cr3t",
        note=f"ID {cadre.id_number} phone {cadre.phone}",
        nested={"rows": [cadre.id_number], "token": "luodi_xyz"},
        phone=cadre.phone,
    )
    row = AuditEvent.objects.get(event="test.event")
    text = str(row.details) + row.object_repr
    for secret in ("hunter2", "hunter3", "luodi_abcdef", "s3cr3t", "luodi_xyz"):
        assert secret not in text
    assert cadre.id_number not in text
    assert cadre.phone not in text
    assert row.details["password"] == audit.REMOVED
    assert row.details["api_token"] == audit.REMOVED
    assert cadre.id_number[:4] + "**********" + cadre.id_number[-4:] in row.details["note"]
    assert row.details["phone"] == cadre.phone[:3] + "****" + cadre.phone[-4:]
    # The in-memory copy tests read is scrubbed just the same.
    assert cadre.id_number not in str(audit.recent("test.event")[-1])


def test_a_hostile_path_is_recorded_without_its_nul_characters(client_as):
    response = client_as(Role.STAFF).get("/checkin/s/1/%00/")  # the trainee's check-in URL
    assert response.status_code == 403
    assert AuditEvent.objects.get(event="access.denied").details["path"] == "/checkin/s/1//"
    audit.record("test.event", note="a\x00b")
    assert AuditEvent.objects.get(event="test.event").details == {"note": "ab"}


def test_an_id_number_in_the_object_is_masked():
    class Thing:
        pk = 7

        class _meta:  # stands in for a model's options
            label_lower = "tests.thing"

        def __str__(self):
            return "210203198001011234 / 13912345678"

    entry = audit.record("test.event", obj=Thing())
    assert entry["object_repr"] == "2102**********1234 / 139****5678"
    assert AuditEvent.objects.get(event="test.event").object_repr == entry["object_repr"]


class Refused(Exception):
    pass


def _change_then_refuse():
    with transaction.atomic():
        audit.record("test.changed")
        raise Refused


def test_a_refused_action_rolls_back_its_audit_row_with_it():
    with pytest.raises(Refused):
        _change_then_refuse()
    assert not AuditEvent.objects.filter(event="test.changed").exists()


def test_a_denial_is_recorded_by_the_middleware_with_path_user_and_ip(client, users):
    client.force_login(users[Role.TRAINEE])
    response = client.get("/cadres/")
    assert response.status_code == 403
    row = AuditEvent.objects.get(event="access.denied")
    assert (row.user, row.username, row.outcome) == (users[Role.TRAINEE], "trainee", "denied")
    assert row.details["path"] == "/cadres/"
    assert row.details["status"] == "403"
    assert row.ip == "127.0.0.1"


def test_a_denial_outlives_the_transaction_the_refused_action_rolled_back(users):
    def view(request):
        try:
            with transaction.atomic():
                audit.record("test.changed")  # the change, recorded, then refused
                raise PermissionDenied
        except PermissionDenied:
            return HttpResponseForbidden()

    response = AuditMiddleware(view)(_request(users[Role.STAFF], REMOTE_ADDR="10.0.0.5"))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(event="test.changed").exists()
    denial = AuditEvent.objects.get(event="access.denied")
    assert (denial.username, denial.ip) == ("staff", "10.0.0.5")


def test_the_objects_text_is_its_name_unless_that_needs_a_query(college):
    from luodi.training.models import Enrolment

    cadre = college.cadres_dalian[0]
    assert audit.record("test.event", obj=cadre)["object_repr"] == str(cadre)
    # str(enrolment) reads the cadre and the class: not on the busy paths that record events.
    bare = Enrolment.objects.only("pk").get(pk=college.finished.enrolments.first().pk)
    entry = audit.record("test.event", obj=bare)
    assert entry["object_repr"] == f"{Enrolment._meta.verbose_name} {bare.pk}"
    assert entry["object"] == f"training.enrolment:{bare.pk}"
