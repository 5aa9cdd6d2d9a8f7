"""The events the audit log holds beside the services' own: refusals, views and exports of
personal data, and changes to what a user may do."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from luodi.accounts.models import Role, User
from luodi.audit.models import AuditEvent
from luodi.certificates.services import certificates_issue_for_class

pytestmark = pytest.mark.django_db


def _events(name):
    return list(AuditEvent.objects.filter(event=name).order_by("id"))


# ---- refusals -------------------------------------------------------------------------------


def test_every_403_is_recorded_once_with_path_and_user(client_as):
    client = client_as(Role.TEACHER)
    assert client.get(reverse("cadres:cadre-list")).status_code == 403
    assert client.post(reverse("training:class-plan"), {}).status_code == 403
    denials = _events("access.denied")
    assert [(d.username, d.details["path"], d.details["method"]) for d in denials] == [
        ("teacher", "/cadres/", "GET"),
        ("teacher", reverse("training:class-plan"), "POST"),
    ]
    assert {d.outcome for d in denials} == {"denied"}


def test_the_api_403_is_recorded(client_as):
    response = client_as(Role.TRAINEE).get("/api/v1/stats/summary")
    assert response.status_code == 403
    (denial,) = _events("access.denied")
    assert (denial.username, denial.details["path"]) == ("trainee", "/api/v1/stats/summary")


def test_an_admin_page_refused_to_staff_is_recorded(client_as):
    response = client_as(Role.STAFF).get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 403
    assert [d.username for d in _events("access.denied")] == ["staff"]


def test_an_object_out_of_reach_is_recorded_as_a_404(client_as, college):
    shenyang_cadre = college.cadres_shenyang[0]
    response = client_as(Role.LIAISON).get(
        reverse("archive:cadre-detail", args=[shenyang_cadre.pk])
    )
    assert response.status_code == 404
    (denial,) = _events("access.denied")
    assert (denial.username, denial.details["status"]) == ("liaison", "404")
    assert denial.details["view"] == "archive:cadre-detail"


def test_unknown_addresses_and_anonymous_visitors_are_not_recorded(client, client_as):
    assert client.get("/cadres/").status_code == 302  # to the login page
    assert client_as(Role.STAFF).get("/no-such-page/").status_code == 404
    assert _events("access.denied") == []


# ---- personal data --------------------------------------------------------------------------


def test_viewing_a_cadres_archive_is_recorded_with_the_cadre(client_as, college):
    cadre = college.cadres_dalian[1]
    assert (
        client_as(Role.STAFF).get(reverse("archive:cadre-detail", args=[cadre.pk])).status_code
        == 200
    )
    (view,) = _events("personal.view")
    assert (view.username, view.object_type, view.object_id) == (
        "staff",
        "cadres.cadre",
        str(cadre.pk),
    )
    assert view.details["what"] == "archive"


def test_the_cadre_list_records_what_was_searched(client_as):
    assert (
        client_as(Role.SUPERVISOR).get(reverse("cadres:cadre-list"), {"q": "宋"}).status_code == 200
    )
    (view,) = _events("personal.view")
    assert (view.details["what"], view.details["q"]) == ("cadre-list", "宋")


def test_a_roster_is_recorded_only_when_the_user_sees_names(client_as, college):
    url = reverse("training:class-detail", args=[college.finished.pk])
    assert (
        client_as(Role.TEACHER).get(url).status_code == 200
    )  # a teacher who heads no class: no names
    assert _events("personal.view") == []
    assert client_as(Role.STAFF).get(url).status_code == 200
    (view,) = _events("personal.view")
    assert (view.object_type, view.object_id) == (
        "training.trainingclass",
        str(college.finished.pk),
    )
    assert (view.details["what"], view.details["rows"]) == ("roster", "4")


def test_exporting_a_class_archive_is_recorded(client_as, college):
    url = reverse("reports:class-archive-xlsx", args=[college.finished.pk])
    assert client_as(Role.STAFF).get(url).status_code == 200
    (export,) = _events("personal.export")
    assert export.details["what"] == "class-archive-xlsx"
    assert export.object_id == str(college.finished.pk)


def test_downloading_a_certificate_is_recorded_with_its_holder(client_as, college, users):
    (certificate, *_) = certificates_issue_for_class(
        training_class=college.finished, by=users[Role.STAFF]
    )
    response = client_as(Role.STAFF).get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    (export,) = _events("personal.export")
    assert (export.object_type, export.object_id) == (
        "certificates.certificate",
        str(certificate.pk),
    )
    assert export.details["cadre"] == str(certificate.enrolment.cadre_id)


def test_downloading_a_document_job_is_recorded_as_an_export(client_as, college):
    client = client_as(Role.STAFF)
    certificates_issue_for_class(training_class=college.finished, by=None)
    client.post(reverse("reports:class-archive-pdf", args=[college.finished.pk]))
    job_start = _events("job.start")[-1]
    response = client.get(reverse("jobs:download", args=[job_start.object_id]))
    assert response.status_code == 200
    (export,) = _events("personal.export")
    assert export.details["what"] == "reports.class-archive-pdf"
    assert export.details["subject"] == f"training.trainingclass:{college.finished.pk}"


# ---- what a user may do ---------------------------------------------------------------------


def _change_user(client, user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "city": user.city_id or "",
        "cadre": user.cadre_id or "",
        "teacher": user.teacher_id or "",
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    data.update(changes)
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_role_change_in_the_admin_is_recorded_with_old_and_new_values(client_as, users, college):
    teacher = users[Role.TEACHER]
    _change_user(
        client_as(Role.ADMIN), teacher, role=Role.LIAISON, city=college.dalian.pk, is_staff="on"
    )
    (change,) = _events("user.role_changed")
    assert change.username == "admin"
    assert (change.object_type, change.object_id) == ("accounts.user", str(teacher.pk))
    assert change.details["role"] == "teacher → liaison"
    assert change.details["city_id"] == f"None → {college.dalian.pk}"
    assert change.details["is_staff"] == "False → True"
    assert "is_active" not in change.details
    assert _events("user.permissions_changed") == []


def test_deactivating_a_user_and_changing_groups_is_recorded(client_as, users):
    group = Group.objects.create(name="审计员")
    staff = users[Role.STAFF]
    _change_user(client_as(Role.ADMIN), staff, is_active="", groups=[group.pk])
    (change,) = _events("user.role_changed")
    assert change.details == {"is_active": "True → False"}
    (groups,) = _events("user.permissions_changed")
    assert groups.details == {"groups": "[] → ['审计员']"}


def test_an_unchanged_save_records_no_role_change(client_as, users):
    _change_user(client_as(Role.ADMIN), users[Role.SUPERVISOR])
    assert _events("user.role_changed") == []


def test_a_new_user_is_recorded_with_its_role(client_as):
    response = client_as(Role.ADMIN).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomer",
            "password1": "a-long-Passw0rd-x",
            "password2": "a-long-Passw0rd-x",
            "usable_password": "true",
            "role": Role.SUPERVISOR,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (created,) = _events("user.created")
    assert created.object_id == str(User.objects.get(username="newcomer").pk)
    assert created.details["role"] == "supervisor"
    assert "a-long-Passw0rd-x" not in str(AuditEvent.objects.values_list("details", flat=True))
