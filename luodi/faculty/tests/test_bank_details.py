"""Bank details for honoraria: encrypted at rest, masked on the page, revealed in full one
teacher at a time by those who may see full numbers, on record."""

import pytest
from django.db import connection
from django.urls import reverse

from conftest import H, S, T
from luodi.faculty import services
from luodi.lib import audit

pytestmark = pytest.mark.django_db

ACCOUNT = "6222021234567890123"


@pytest.fixture
def banked(college):
    teacher = college.teacher
    teacher.bank_name = "中国工商银行"
    teacher.bank_account = ACCOUNT
    services.teacher_save(teacher=teacher, by=None, changed=["bank_account"])
    return teacher


def test_the_account_is_encrypted_at_rest(banked):
    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_account FROM faculty_teacher WHERE id = %s", [banked.pk])
        (stored,) = cursor.fetchone()
    assert ACCOUNT not in stored
    banked.refresh_from_db()
    assert banked.bank_account == ACCOUNT


def test_the_page_shows_the_account_masked(client_as, banked):
    page = client_as(S).get(banked.get_absolute_url()).content.decode()
    assert "***************0123" in page
    assert ACCOUNT not in page
    assert reverse("faculty:teacher-reveal", args=[banked.pk]) in page


def test_the_edit_form_never_sends_the_number_and_blank_keeps_it(client_as, banked):
    client = client_as(S)
    banked.phone = "13904110101"
    services.teacher_save(teacher=banked, by=None)
    form = client.get(reverse("faculty:teacher-edit", args=[banked.pk])).content.decode()
    assert ACCOUNT not in form
    assert "13904110101" not in form
    response = client.post(
        reverse("faculty:teacher-edit", args=[banked.pk]),
        {
            "name": banked.name,
            "kind": banked.kind,
            "source_unit": banked.source_unit,
            "title_band": "senior",
            "bank_name": "中国银行",
            "bank_account": "",
        },
    )
    assert response.status_code == 302
    banked.refresh_from_db()
    assert (banked.bank_name, banked.bank_account, banked.title_band, banked.phone) == (
        "中国银行",
        ACCOUNT,
        "senior",
        "13904110101",
    )
    assert audit.recent("teacher.changed")[-1]["details"]["fields"] == "title_band,bank_name"


def test_revealing_the_account_shows_it_and_is_on_record(client_as, users, banked):
    response = client_as(S).post(reverse("faculty:teacher-reveal", args=[banked.pk]))
    assert response.status_code == 200
    assert ACCOUNT in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = audit.recent("personal.reveal")[-1]
    assert event["details"]["fields"] == "bank_account,phone"
    assert (event["object"], event["username"]) == (f"faculty.teacher:{banked.pk}", "staff")


@pytest.mark.parametrize("role", [H, T])
def test_those_who_may_not_see_full_numbers_are_refused(client_as, banked, role):
    response = client_as(role).post(reverse("faculty:teacher-reveal", args=[banked.pk]))
    assert response.status_code == 403
    assert audit.recent("personal.reveal") == []
