"""The personal archive (一人一档) as a PDF a cadre can print: details with masked numbers,
every class with hours and result, certificates, hours per year against the target. The
trainee prints their own; staff any cadre within the archive page's reach."""

import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import A, H, L, R, S, T, V
from luodi.audit.models import AuditEvent
from luodi.certificates.services import certificates_issue_for_class
from luodi.training import selectors
from luodi.training.documents.personal_archive import personal_archive_pdf

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text with white space removed, so wrapped lines join up."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", result.stdout.decode())


def test_the_pdf_holds_details_classes_and_hours_against_the_target(college, settings):
    cadre = college.cadres_dalian[0]
    settings.LUODI_ANNUAL_HOURS_TARGETS = {cadre.post: 40}
    text = pdf_text(personal_archive_pdf(selectors.personal_archive(cadre)))
    assert "宋娟" in text
    assert "培训档案" in text
    assert "女" in text or "男" in text  # labels in Chinese whatever the page's language
    assert cadre.masked_id_number in text
    assert cadre.id_number not in text
    assert cadre.phone not in text
    assert college.finished.title in text
    assert college.running.title in text
    assert "该职务年度培训目标：40学时。" in text
    assert "未达标" in text  # 9 hours of 40
    assert "9.0" not in text  # hours written one way: 9


def test_a_certificate_is_listed_by_its_serial(college, users):
    certificates_issue_for_class(training_class=college.finished, by=users[S])
    cadre = college.cadres_dalian[0]
    serial = cadre.enrolments.get(training_class=college.finished).certificates.get().serial
    text = pdf_text(personal_archive_pdf(selectors.personal_archive(cadre)))
    assert serial.replace("-", "") in text.replace(
        "-", ""
    )  # pdftotext drops a hyphen at a line end


def test_a_cadre_with_no_class_gets_a_pdf_that_says_so(college, make):
    cadre = make.cadre(college.communities_dalian[0], name="新同志")
    archive = selectors.personal_archive(cadre)
    assert archive.total_hours == Decimal(0)
    assert "暂无参训记录" in pdf_text(personal_archive_pdf(archive))


def test_the_trainee_prints_their_own(client_as, college):
    response = client_as(R).get(reverse("archive:my-archive-pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "private" in response["Cache-Control"]
    assert "宋娟" in pdf_text(response.content)
    (event,) = AuditEvent.objects.filter(event="personal.export")
    assert event.details["what"] == "archive-pdf"


@pytest.mark.parametrize(
    ("role", "status"), [(A, 200), (S, 200), (V, 200), (H, 200), (L, 404), (T, 403), (R, 403)]
)
def test_staff_print_a_cadre_within_their_reach(client_as, college, role, status):
    """A Shenyang cadre of the head teacher's class: the Dalian liaison does not reach them."""
    cadre = college.cadres_shenyang[0]
    response = client_as(role).get(reverse("archive:cadre-archive-pdf", args=[cadre.pk]))
    assert response.status_code == status
    if status == 200:
        assert cadre.name in pdf_text(response.content)


def test_the_archive_page_links_its_pdf(client_as, college):
    cadre = college.cadres_dalian[0]
    body = client_as(S).get(reverse("archive:cadre-detail", args=[cadre.pk])).content
    assert reverse("archive:cadre-archive-pdf", args=[cadre.pk]).encode() in body
    body = client_as(R).get(reverse("archive:my-archive")).content
    assert reverse("archive:my-archive-pdf").encode() in body
