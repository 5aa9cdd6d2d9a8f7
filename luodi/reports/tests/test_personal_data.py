"""Personal data: full numbers only on purpose and on record, a person's data export, and
anonymisation that keeps the figures whole (quality bar 5, issue 7 §3)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from luodi.accounts.models import Role, User
from luodi.cadres.models import Cadre
from luodi.certificates.services import certificate_issue
from luodi.lib import audit
from luodi.reports import stats
from luodi.reports.personal_data import anonymise_cadre
from luodi.training.models import (
    ApplicationStory,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    Reflection,
)
from luodi.training.services import reflections, stories


@pytest.fixture
def person(college, users):
    """宋娟: completed one class, enrolled in another, with a reflection, a leave request, a
    certificate and the stock trainee's account."""
    cadre = college.cadres_dalian[0]
    done = Enrolment.objects.get(cadre=cadre, status=EnrolmentStatus.COMPLETED)
    Reflection.objects.create(enrolment=done, text="宋娟的心得：学以致用。")
    LeaveRequest.objects.create(enrolment=done, reason="宋娟家中有事")
    certificate_issue(enrolment=done, by=users[Role.STAFF])
    return cadre


def _details_hold_no_number(cadre, event):
    entries = audit.recent(event)
    assert entries
    assert entries[-1]["object"] == f"cadres.cadre:{cadre.pk}"
    text = str(entries[-1])
    assert cadre.id_number not in text
    assert cadre.phone not in text


# ---- full numbers ---------------------------------------------------------------------------


def test_staff_see_a_full_number_only_by_asking_and_it_is_recorded(client_as, person):
    client = client_as(Role.STAFF)
    page = client.get(reverse("archive:cadre-detail", args=[person.pk])).content.decode()
    assert person.masked_id_number in page
    assert person.id_number not in page
    assert person.phone not in page
    assert "full-numbers/" in page
    url = reverse("archive:cadre-reveal", args=[person.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert person.id_number in body
    assert person.phone in body
    assert "no-store" in response["Cache-Control"]
    assert "<html" not in body  # an htmx fragment
    _details_hold_no_number(person, "personal.reveal")


@pytest.mark.parametrize("role", [Role.LIAISON, Role.HEAD_TEACHER, Role.SUPERVISOR])
def test_roles_without_the_permission_get_neither_the_button_nor_the_number(
    client_as, person, role
):
    client = client_as(role)
    page = client.get(reverse("archive:cadre-detail", args=[person.pk]))
    if page.status_code == 200:
        assert "full-numbers/" not in page.content.decode()
    response = client.post(reverse("archive:cadre-reveal", args=[person.pk]))
    assert response.status_code == 403
    assert person.id_number not in response.content.decode()


def test_the_archive_shows_the_age_not_the_birth_date(client_as, person):
    page = client_as(Role.STAFF).get(reverse("archive:cadre-detail", args=[person.pk]))
    assert person.birth_date.strftime("%Y-%m") not in page.content.decode()
    assert page.context["archive"].cadre.age == person.age > 18


def test_the_admin_change_form_never_shows_the_full_numbers_and_keeps_them(client_as, person):
    client = client_as(Role.ADMIN)
    url = reverse("admin:cadres_cadre_change", args=[person.pk])
    page = client.get(url).content.decode()
    assert person.id_number not in page
    assert person.phone not in page
    assert person.masked_id_number in page
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(community=person.community_id, birth_date="1980-01-01", started_on="2005-03-01")
    data.update(id_number="", phone="", ethnicity="汉族", name="宋娟")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fresh = Cadre.objects.get(pk=person.pk)
    assert (fresh.id_number, fresh.phone) == (person.id_number, person.phone)
    client.post(url, {**data, "phone": "13712345678"})
    assert Cadre.objects.get(pk=person.pk).phone == "13712345678"


def test_the_admin_finds_a_cadre_by_exact_id_or_phone_number(client_as, person, college):
    client = client_as(Role.STAFF)
    url = reverse("admin:cadres_cadre_changelist")
    for term in (person.id_number, person.phone):
        found = client.get(url, {"q": term}).context["cl"].result_list
        assert list(found) == [person]


# ---- a person's data export -----------------------------------------------------------------


def test_the_export_holds_everything_about_the_person(client_as, person):
    response = client_as(Role.STAFF).get(reverse("reports:cadre-data-export", args=[person.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    text = {
        ws.title: " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
        for ws in book.worksheets
    }
    assert person.id_number in text["个人信息"]
    assert person.phone in text["个人信息"]
    assert len(list(book["培训记录"].iter_rows())) == 1 + person.enrolments.count()
    assert "学以致用" in text["培训心得"]
    assert "家中有事" in text["请假"]
    done = person.enrolments.get(status=EnrolmentStatus.COMPLETED)
    assert done.certificates.get().serial in text["结业证书"]
    assert "trainee" in text["账号"]
    assert "password" not in " ".join(text.values()).lower()
    assert len(list(book["考勤"].iter_rows())) > 1
    _details_hold_no_number(person, "personal.export_subject")


def test_the_export_is_refused_without_the_permission(client_as, person):
    url = reverse("reports:cadre-data-export", args=[person.pk])
    assert client_as(Role.SUPERVISOR).get(url).status_code == 403


# ---- anonymisation --------------------------------------------------------------------------


def _figures(college):
    return [
        stats.summary().as_dict(),
        stats.summary(city=college.dalian).as_dict(),
        stats.by_year(),
        stats.by_city(),
    ]


def test_anonymisation_keeps_the_figures_and_forgets_the_person(college, users, person):
    before = _figures(college)
    hours = [e.hours_credited for e in person.enrolments.order_by("pk")]
    name, number, phone = person.name, person.id_number, person.phone
    anonymise_cadre(cadre=person, by=users[Role.ADMIN], reason="本人申请删除个人信息")
    assert _figures(college) == before
    assert [e.hours_credited for e in person.enrolments.order_by("pk")] == hours
    assert not Cadre.objects.search(name).exists()
    assert not Cadre.objects.with_id_number(number).exists()
    assert not Cadre.objects.with_phone(phone).exists()
    fresh = Cadre.objects.get(pk=person.pk)
    assert fresh.is_anonymised
    assert fresh.name == f"已匿名 #{person.pk}"
    assert (fresh.gender, fresh.community_id, fresh.post) == (
        person.gender,
        person.community_id,
        person.post,
    )
    assert fresh.birth_date.year == person.birth_date.year
    assert not Reflection.objects.filter(text__contains=name).exists()
    trainee = User.objects.get(pk=users[Role.TRAINEE].pk)
    assert not trainee.is_active
    assert trainee.cadre is None
    assert not trainee.has_usable_password()
    assert audit.recent("personal.anonymise")[-1]["details"]["reason"] == "本人申请删除个人信息"


def test_anonymisation_needs_a_reason_and_a_confirmation_and_happens_once(client_as, person):
    client = client_as(Role.STAFF)
    url = reverse("reports:cadre-anonymise", args=[person.pk])
    assert client.get(url).status_code == 200
    recorded = len(audit.recent("personal.anonymise"))
    refused = client.post(url, {"reason": "本人申请"})
    assert refused.status_code == 200
    assert not Cadre.objects.get(pk=person.pk).is_anonymised
    done = client.post(url, {"reason": "本人申请", "confirm": "on"})
    assert done.status_code == 302
    assert Cadre.objects.get(pk=person.pk).is_anonymised
    again = client.post(url, {"reason": "本人申请", "confirm": "on"}, follow=True)
    assert again.status_code == 200
    assert 'name="confirm"' not in again.content.decode()
    assert len(audit.recent("personal.anonymise")) == recorded + 1


def test_the_date_of_taking_up_the_post_is_exported_and_coarsened_on_anonymisation(
    client_as, users, person
):
    Cadre.objects.filter(pk=person.pk).update(post_since=dt.date(2021, 7, 15))
    response = client_as(Role.STAFF).get(reverse("reports:cadre-data-export", args=[person.pk]))
    rows = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(response.content))["个人信息"].iter_rows(
            values_only=True
        )
        if row and row[0]
    }
    assert rows["任现职时间"].date() == dt.date(2021, 7, 15)
    anonymise_cadre(cadre=Cadre.objects.get(pk=person.pk), by=users[Role.ADMIN], reason="本人申请")
    assert Cadre.objects.get(pk=person.pk).post_since == dt.date(2021, 1, 1)


def test_stories_and_reflection_attachments_are_exported_and_forgotten(
    client_as, college, users, person
):
    """The person's application stories are in their export; anonymising forgets their text,
    the reflection's attached file (a photo of a handwritten page names them) and comment."""
    done = Enrolment.objects.get(cadre=person, status=EnrolmentStatus.COMPLETED)
    stories.story_create(
        cadre=person,
        training_class=done.training_class,
        applied="宋娟的做法",
        outcome="成效",
        by=None,
    )
    reflection = Reflection.objects.get(enrolment=done)
    reflections.attachment_attach(
        reflection=reflection, file=SimpleUploadedFile("宋娟.pdf", b"%PDF-1.4"), by=None
    )
    reflection.save()
    stored = reflection.attachment.name
    book = load_workbook(
        io.BytesIO(
            client_as(Role.STAFF)
            .get(reverse("reports:cadre-data-export", args=[person.pk]))
            .content
        )
    )
    assert "宋娟的做法" in [c for row in book["学以致用"].iter_rows(values_only=True) for c in row]
    anonymise_cadre(cadre=person, by=users[Role.ADMIN], reason="本人申请删除个人信息")
    assert not ApplicationStory.objects.filter(applied__contains="宋娟").exists()
    reflection.refresh_from_db()
    assert not reflection.attachment
    assert not reflection.attachment_name
    assert not reflection.attachment.storage.exists(stored)
