"""Courseware from upload to download: checked by content in the admin, stored under a random
name that is never served directly, and handed to trainees only as an attachment after the
access check."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.lib import audit
from luodi.lib.tests.test_uploads import EXE_BYTES, HTML_BYTES, PDF_BYTES, XLSM_BYTES
from luodi.training.models import Attendance, AttendanceStatus, Courseware

pytestmark = pytest.mark.django_db

ADD = "admin:training_courseware_add"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, college, name, data, title="社区治理课件"):
    return client.post(
        reverse(ADD),
        {
            "session": college.sessions[0].pk,
            "title": title,
            "file": SimpleUploadedFile(name, data),
        },
    )


def test_staff_upload_a_pdf_stored_under_a_random_name(client_as, college, media):
    response = _upload(client_as(Role.STAFF), college, "讲义.pdf", PDF_BYTES)
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Courseware.objects.get()
    assert re.fullmatch(r"courseware/[0-9a-f]{32}/讲义\.pdf", item.file.name)
    assert (media / item.file.name).read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("讲义.pdf", EXE_BYTES, "is not of a kind Luodi accepts"),
        ("讲义.html", HTML_BYTES, "is not of a kind Luodi accepts"),
        ("成绩.xlsm", XLSM_BYTES, "Documents with macros"),
    ],
)
def test_the_admin_refuses_a_file_by_its_content_with_a_message(
    client_as, college, media, users, name, data, message
):
    before = len(audit.recent("upload.refused"))
    response = _upload(client_as(Role.STAFF), college, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Courseware.objects.exists()
    assert not list(media.rglob("*.*"))
    (event,) = audit.recent("upload.refused")[before:]
    assert event["user_id"] == users[Role.STAFF].pk


def test_the_admin_refuses_a_file_over_the_limit(client_as, college, media, settings):
    settings.LUODI_UPLOAD_MAX_MB = 1
    response = _upload(client_as(Role.STAFF), college, "big.pdf", PDF_BYTES + b"\0" * 2**20)
    assert response.status_code == 200
    assert "files may be at most 1 MB" in response.content.decode()
    assert not Courseware.objects.exists()


def test_editing_courseware_stored_before_the_checks_keeps_its_file(client_as, college, media):
    (media / "courseware/2024").mkdir(parents=True)
    (media / "courseware/2024/old.bin").write_bytes(b"whatever was uploaded then")
    item = Courseware.objects.create(
        session=college.sessions[0],
        course=college.course,
        title="旧课件",
        file="courseware/2024/old.bin",
    )
    url = reverse("admin:training_courseware_change", args=[item.pk])
    response = client_as(Role.STAFF).post(url, {"session": college.sessions[0].pk, "title": "改名"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.file.name) == ("改名", "courseware/2024/old.bin")


@pytest.fixture
def slides(college, media):
    return Courseware.objects.create(
        session=college.sessions[0],
        course=college.course,
        title="社区治理课件",
        file=SimpleUploadedFile("slides.pdf", PDF_BYTES),
    )


def test_a_download_is_an_attachment_typed_by_its_content(client_as, slides):
    response = client_as(Role.TRAINEE).get(reverse("checkin:courseware", args=[slides.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="courseware-')
    assert "filename*=UTF-8''%E7%A4%BE" in response["Content-Disposition"]  # 社区治理课件.pdf
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_page_stored_before_the_checks_is_never_served_as_a_page(client_as, college, media):
    (media / "courseware/2024").mkdir(parents=True)
    (media / "courseware/2024/x.html").write_bytes(HTML_BYTES)
    item = Courseware.objects.create(
        session=college.sessions[0],
        course=college.course,
        title="旧课件",
        file="courseware/2024/x.html",
    )
    response = client_as(Role.TRAINEE).get(reverse("checkin:courseware", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_trainee_without_access_gets_404_and_others_403(client_as, college, slides):
    Attendance.objects.filter(enrolment__cadre=college.cadres_dalian[0]).update(
        status=AttendanceStatus.ABSENT
    )
    url = reverse("checkin:courseware", args=[slides.pk])
    assert client_as(Role.TRAINEE).get(url).status_code == 404
    assert client_as(Role.STAFF).get(url).status_code == 403


def test_the_media_folder_is_not_served(client, client_as, slides):
    assert "media" not in str(reverse("checkin:courseware", args=[slides.pk]))
    for c in (client, client_as(Role.ADMIN)):
        assert c.get("/media/" + slides.file.name).status_code == 404
        assert c.get("/" + slides.file.name).status_code == 404
