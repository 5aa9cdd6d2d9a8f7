"""Reflections (培训心得): the attachment a trainee sends with one, the outstanding mark of
whoever runs the class, the class's reflections page, the archives and the booklet."""

import io
import re
import subprocess
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import H, R, S, V
from luodi.accounts.models import Role, User
from luodi.checkin import trainee
from luodi.jobs.models import Job, JobStatus
from luodi.lib import audit, uploads
from luodi.reports import class_archive
from luodi.training.documents.reflections_booklet import booklet_pdf
from luodi.training.models import Reflection
from luodi.training.services import reflections

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """The pages in English, so that texts read as their msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


TEXT = "学到了议事协商的方法，回到社区后用在了停车难的问题上。" * 12  # over 300 characters


def pdf_text(content: bytes) -> str:
    """The PDF's text with white space removed, so wrapped lines join up."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", result.stdout.decode())


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def reflect(enrolment, text=TEXT, **kw) -> Reflection:
    return Reflection.objects.create(enrolment=enrolment, text=text, **kw)


def enrolment_of(college, cadre):
    return college.finished.enrolments.get(cadre=cadre)


# ---- the attachment ----------------------------------------------------------------------------


def test_it_keeps_a_pdf_attached_to_the_reflection(college, users):
    enrolment = college.running.enrolments.get()
    pdf = SimpleUploadedFile("我的心得.pdf", b"%PDF-1.4 text", content_type="application/pdf")
    saved = trainee.reflection_save(
        enrolment=enrolment, text=TEXT, attachment=pdf, by=users[Role.TRAINEE]
    )
    saved.refresh_from_db()
    assert saved.attachment_name == "我的心得.pdf"
    assert saved.attachment.name.startswith("reflections/")
    assert saved.attachment.read() == b"%PDF-1.4 text"


def test_it_accepts_word_and_photos(college, users):
    for name, content in (("心得.docx", docx_bytes()), ("手写.jpg", b"\xff\xd8\xff\xe0 jpeg")):
        assert reflections.attachment_check(SimpleUploadedFile(name, content), by=None)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("心得.pdf", b"MZ\x90\x00 not a pdf at all", "kind"),  # a program named .pdf
        ("心得.pdf", b"\x89PNG\r\n\x1a\n image", "extension"),  # an image named .pdf
        ("slides.mp4", b"\x00\x00\x00\x18ftypmp42", "kind"),  # a video: not for reflections
        ("心得.txt", "纯文本".encode(), "kind"),
    ],
)
def test_it_refuses_an_attachment_by_its_content(college, users, name, content, code):
    enrolment = college.running.enrolments.get()
    with pytest.raises(uploads.Refused) as refused:
        trainee.reflection_save(
            enrolment=enrolment,
            text=TEXT,
            attachment=SimpleUploadedFile(name, content),
            by=users[Role.TRAINEE],
        )
    assert refused.value.code == code
    # Nothing of the submission is kept, and the refusal is on record.
    assert not Reflection.objects.filter(enrolment=enrolment).exists()
    assert audit.recent("upload.refused")[-1]["details"]["reason"] == code


def test_it_refuses_an_attachment_over_the_size_limit(college):
    big = SimpleUploadedFile("心得.pdf", b"%PDF-" + bytes(reflections.ATTACHMENT_MAX_MB << 20))
    with pytest.raises(uploads.Refused) as refused:
        reflections.attachment_check(big, by=None)
    assert refused.value.code == "too_large"


def test_the_trainee_page_uploads_an_attachment(client_as, college):
    enrolment = college.running.enrolments.get()
    url = reverse("checkin:reflection", args=[enrolment.pk])
    client = client_as(R)
    refused = client.post(url, {"text": TEXT, "attachment": SimpleUploadedFile("a.pdf", b"GIF89a")})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert 'role="alert"' in body
    assert "a.pdf" in body
    response = client.post(
        url, {"text": TEXT, "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 302
    assert Reflection.objects.get(enrolment=enrolment).attachment_name == "a.pdf"


def test_the_attachment_downloads_for_the_trainee_and_the_class_not_for_others(
    client_as, college, users, make
):
    mine = enrolment_of(college, college.cadres_dalian[0])  # the stock trainee's
    reflection = reflect(mine)
    reflections.attachment_attach(
        reflection=reflection, file=SimpleUploadedFile("心得.pdf", b"%PDF-1.4 x"), by=None
    )
    reflection.save()
    url = reverse("training:reflection-attachment", args=[reflection.pk])
    for role in (R, H, S, V):
        response = client_as(role).get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
    # Another trainee of the same class: not theirs.
    other = college.cadres_dalian[1]
    user = User.objects.create_user(username="other", role=Role.TRAINEE, cadre=other)
    client = client_as(R)
    client.force_login(user)
    assert client.get(url).status_code == 404


# ---- the outstanding mark ----------------------------------------------------------------------


def test_the_head_teacher_marks_a_reflection_outstanding_with_a_comment(college, users):
    reflection = reflect(enrolment_of(college, college.cadres_dalian[0]))
    marked = reflections.reflection_mark(
        reflection=reflection, outstanding=True, comment="联系实际", by=users[Role.HEAD_TEACHER]
    )
    assert (marked.outstanding, marked.outstanding_comment) == (True, "联系实际")
    assert marked.marked_by == users[Role.HEAD_TEACHER]
    event = audit.recent("reflection.mark")[-1]
    assert event["details"]["outstanding"] == "True"
    assert event["object"] == f"training.reflection:{reflection.pk}"
    unmarked = reflections.reflection_mark(
        reflection=reflection, outstanding=False, by=users[Role.STAFF]
    )
    assert (unmarked.outstanding, unmarked.outstanding_comment) == (False, "")


def test_it_refuses_the_mark_to_whoever_does_not_run_the_class(college, users, make):
    reflection = reflect(enrolment_of(college, college.cadres_dalian[0]))
    other_head = User.objects.create_user(
        username="head2", role=Role.HEAD_TEACHER, teacher=make.teacher(name="别班班主任")
    )
    for user in (other_head, users[Role.SUPERVISOR], users[Role.LIAISON]):
        with pytest.raises(PermissionDenied):
            reflections.reflection_mark(reflection=reflection, outstanding=True, by=user)
    reflection.refresh_from_db()
    assert not reflection.outstanding


def test_it_refuses_a_comment_without_the_mark_and_a_long_one(college, users):
    reflection = reflect(enrolment_of(college, college.cadres_dalian[0]))
    head = users[Role.HEAD_TEACHER]
    with pytest.raises(ValidationError):
        reflections.reflection_mark(reflection=reflection, outstanding=False, comment="好", by=head)
    with pytest.raises(ValidationError):
        reflections.reflection_mark(
            reflection=reflection, outstanding=True, comment="好" * 301, by=head
        )


# ---- the class's page --------------------------------------------------------------------------


def test_the_page_lists_every_trainee_with_their_reflection_or_none(
    client_as, college, django_assert_max_num_queries
):
    reflect(
        enrolment_of(college, college.cadres_dalian[0]),
        outstanding=True,
        marked_at="2025-01-01T00:00Z",
    )
    reflect(enrolment_of(college, college.cadres_shenyang[0]), text="短短的心得")
    url = reverse("training:class-reflections", args=[college.finished.pk])
    client = client_as(H)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    body = response.content.decode()
    for cadre in college.cadres_dalian + college.cadres_shenyang:
        assert cadre.name in body
    assert body.count("Not submitted") == 2
    assert "2 of 4 trainees have submitted a reflection; 1 marked outstanding." in body
    assert "5 characters" in body  # the short one's length


def test_a_supervisor_reads_the_page_without_the_mark_buttons(client_as, college):
    reflect(enrolment_of(college, college.cadres_dalian[0]))
    body = (
        client_as(V)
        .get(reverse("training:class-reflections", args=[college.finished.pk]))
        .content.decode()
    )
    assert "Mark outstanding" not in body
    assert reverse("training:reflections-booklet", args=[college.finished.pk]) in body


def test_marking_through_the_page_redirects_back_to_the_row(client_as, college):
    reflection = reflect(enrolment_of(college, college.cadres_dalian[0]))
    response = client_as(H).post(
        reverse("training:reflection-mark", args=[reflection.pk]),
        {"outstanding": "on", "comment": "写得实在"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reflection-{reflection.pk}")
    reflection.refresh_from_db()
    assert reflection.outstanding
    assert reflection.outstanding_comment == "写得实在"


# ---- the archives ------------------------------------------------------------------------------


def test_the_personal_archive_shows_the_reflection_and_its_mark(client_as, college, users):
    reflection = reflect(enrolment_of(college, college.cadres_dalian[0]))
    reflections.reflection_mark(
        reflection=reflection, outstanding=True, comment="联系实际", by=users[Role.STAFF]
    )
    body = client_as(R).get(reverse("archive:my-archive")).content.decode()
    assert "Outstanding" in body
    assert "联系实际" in body
    assert TEXT[:20] in body


def test_the_class_archive_marks_outstanding_and_missing_reflections(college, users):
    reflection = reflect(enrolment_of(college, college.cadres_dalian[0]))
    reflections.reflection_mark(reflection=reflection, outstanding=True, by=users[Role.STAFF])
    reflect(enrolment_of(college, college.cadres_shenyang[0]))
    archive = class_archive.load_archive(college.finished)
    by_name = {t.cadre.name: t.reflection for t in archive.trainees}
    assert by_name["宋娟"] == "优秀"
    assert sorted(by_name.values()) == sorted(["优秀", "已提交", "未提交", "未提交"])
    text = pdf_text(class_archive.archive_pdf(college.finished))
    assert "提交培训心得2篇，其中优秀心得1篇" in text


# ---- the booklet -------------------------------------------------------------------------------


def test_the_booklet_puts_the_outstanding_reflection_first(college, users):
    # By city (Shenyang's code before Dalian's) and name the Dalian one would come last.
    reflect(enrolment_of(college, college.cadres_dalian[0]), text="宋娟的心得。" * 40)
    reflect(enrolment_of(college, college.cadres_shenyang[0]), text="沈阳学员的心得。" * 40)
    best = reflect(enrolment_of(college, college.cadres_dalian[1]), text="优秀的心得。" * 40)
    reflections.reflection_mark(
        reflection=best, outstanding=True, comment="值得推广", by=users[Role.HEAD_TEACHER]
    )
    text = pdf_text(booklet_pdf(college.finished))
    assert text.index(college.finished.title) < text.index("培训心得汇编") < text.index("目录")
    toc = text[text.index("目录") : text.index("值得推广")]
    names = [college.cadres_dalian[1].name, college.cadres_shenyang[0].name, "宋娟"]
    assert [toc.index(n) for n in names] == sorted(toc.index(n) for n in names)
    body = text[text.index("值得推广") :]
    assert body.index("优秀的心得") < body.index("沈阳学员的心得") < body.index("宋娟的心得")
    assert "优秀心得（1篇）" in toc
    assert "其他心得（2篇）" in toc


def test_the_booklet_is_a_background_job_of_the_class(client_as, college):
    reflect(enrolment_of(college, college.cadres_dalian[0]))
    client = client_as(H)
    url = reverse("training:reflections-booklet", args=[college.finished.pk])
    response = client.post(url)
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert job.filename.endswith("培训心得汇编.pdf")
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert "宋娟" in pdf_text(b"".join(download.streaming_content))
