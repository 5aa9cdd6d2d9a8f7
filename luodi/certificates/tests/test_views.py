"""Certificate pages: who may issue, download and revoke, and the public verification page."""

import io
import zipfile
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import A, H, L, R, S, T, V
from luodi.certificates import services
from luodi.certificates.models import Certificate
from luodi.jobs.models import Job, JobStatus
from luodi.lib.personal import mask_name
from luodi.training.models import EnrolmentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(college):
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    return {c.enrolment.cadre: c for c in Certificate.objects.for_print()}


@pytest.fixture
def own(issued, college):
    """The trainee user's (宋娟's) certificate."""
    return issued[college.cadres_dalian[0]]


def _other_class(make, college):
    """A finished class led by another head teacher, with one completed trainee."""
    training_class = make.training_class(
        college.class_type, head_teacher=make.teacher(), start_date=college.finished.end_date
    )
    make.enrol(training_class, college.cadres_shenyang[0])
    return training_class


# Issuing ------------------------------------------------------------------------------------


def test_staff_issue_a_whole_class_at_once(client_as, college):
    url = reverse("certificates:class-issue", args=[college.finished.pk])
    response = client_as(S).post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "certificates:class", args=[college.finished.pk]
    )
    assert Certificate.objects.of_class(college.finished).count() == 4
    assert "4" in response.content.decode()
    # again: nothing more to issue, and it says so
    response = client_as(S).post(url, follow=True)
    assert Certificate.objects.count() == 4
    assert response.status_code == 200


@pytest.mark.parametrize("role", [H, T, L, R, V])
def test_other_roles_cannot_issue(client_as, college, role):
    url = reverse("certificates:class-issue", args=[college.finished.pk])
    assert client_as(role).post(url).status_code == 403
    assert not Certificate.objects.exists()


def test_issuing_takes_a_post(client_as, college):
    url = reverse("certificates:class-issue", args=[college.finished.pk])
    assert client_as(S).get(url).status_code == 405
    assert not Certificate.objects.exists()


def test_the_class_page_lists_who_has_a_certificate(
    client_as, college, issued, django_assert_max_num_queries
):
    url = reverse("certificates:class", args=[college.finished.pk])
    client = client_as(S)
    # One more than before certificates kept their history: the enrolments' certificates are
    # prefetched in one query, however many there are.
    with django_assert_max_num_queries(9):
        response = client.get(url)
    body = response.content.decode()
    for certificate in issued.values():
        assert certificate.serial in body
    # the buttons that prepare the class's documents
    assert f'action="{reverse("certificates:class-pdf", args=[college.finished.pk])}"' in body
    assert f'action="{reverse("certificates:class-zip", args=[college.finished.pk])}"' in body


# Downloads: a class's certificates are prepared as background jobs ------------------------------


def prepare(client, name, training_class) -> Job:
    """Press "prepare" on the class's certificates page; return the job it started (run at
    once by the immediate task backend of the tests)."""
    response = client.post(reverse(name, args=[training_class.pk]))
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("certificates:class", args=[training_class.pk])
    return Job.objects.latest("created_at")


def downloaded(client, job) -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    assert "private" in response["Cache-Control"]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", [A, S, H])
def test_staff_and_the_head_teacher_download_a_class(client_as, college, issued, role):
    client = client_as(role)
    job = prepare(client, "certificates:class-pdf", college.finished)
    assert job.status == JobStatus.DONE
    assert job.requested_by.role == role
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert (
        "filename*=UTF-8''" + quote(f"{college.finished.title}结业证书.pdf")
        in (response["Content-Disposition"])
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    job = prepare(client, "certificates:class-zip", college.finished)
    assert job.status == JobStatus.DONE
    names = zipfile.ZipFile(io.BytesIO(downloaded(client, job))).namelist()
    assert len(names) == len(issued) == 4
    one = next(iter(issued.values()))
    response = client.get(reverse("certificates:download", args=[one.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_class_page_shows_the_prepared_document(client_as, college, issued):
    client = client_as(S)
    job = prepare(client, "certificates:class-zip", college.finished)
    body = client.get(reverse("certificates:class", args=[college.finished.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in body
    # a finished job is not polled any more
    assert f'hx-get="{reverse("jobs:status", args=[job.pk])}"' not in body


def test_an_old_bookmark_leads_to_the_class_page(client_as, college, issued):
    for name in ("certificates:class-pdf", "certificates:class-zip"):
        response = client_as(S).get(reverse(name, args=[college.finished.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("certificates:class", args=[college.finished.pk])
    assert not Job.objects.exists()


# A supervisor reads and downloads (see accounts' access matrix), never issues.
@pytest.mark.parametrize("role", [T, L, R])
def test_other_roles_cannot_download_a_class(client_as, college, issued, role):
    client = client_as(role)
    for name in ("certificates:class", "certificates:class-pdf", "certificates:class-zip"):
        assert client.get(reverse(name, args=[college.finished.pk])).status_code == 403, name
    for name in ("certificates:class-pdf", "certificates:class-zip"):
        assert client.post(reverse(name, args=[college.finished.pk])).status_code == 403, name
    assert not Job.objects.exists()
    one = next(iter(issued.values()))
    assert client.get(reverse("certificates:download", args=[one.pk])).status_code == 403


def test_a_head_teacher_cannot_download_another_teachers_class(client_as, college, make):
    other = _other_class(make, college)
    (certificate,) = services.certificates_issue_for_class(training_class=other, by=None)
    client = client_as(H)
    assert client.post(reverse("certificates:class-pdf", args=[other.pk])).status_code == 403
    assert client.get(reverse("certificates:download", args=[certificate.pk])).status_code == 403
    job = prepare(client_as(S), "certificates:class-pdf", other)
    assert job.status == JobStatus.DONE


def test_a_class_without_certificates_says_so(client_as, college):
    response = client_as(S).post(
        reverse("certificates:class-pdf", args=[college.finished.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert [str(m) for m in response.context["messages"]] == [
        "No certificate has been issued for this class yet."
    ]
    assert not Job.objects.exists()


def test_revoked_certificates_are_left_out_of_class_downloads(client_as, college, issued, own):
    services.certificate_revoke(certificate=own, by=None, reason="信息有误")
    client = client_as(S)
    job = prepare(client, "certificates:class-zip", college.finished)
    names = zipfile.ZipFile(io.BytesIO(downloaded(client, job))).namelist()
    assert len(names) == 3
    assert not any(own.serial in n for n in names)


# The trainee's own certificate ----------------------------------------------------------------


def test_a_trainee_downloads_their_own_certificate(client_as, own):
    response = client_as(R).get(reverse("certificates:mine", args=[own.enrolment_id]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert quote(f"{own.serial}_宋娟.pdf") in response["Content-Disposition"]


def test_a_trainee_gets_404_for_anyone_elses(client_as, college, issued):
    other = issued[college.cadres_dalian[1]]
    assert (
        client_as(R).get(reverse("certificates:mine", args=[other.enrolment_id])).status_code == 404
    )
    assert client_as(R).get(reverse("certificates:download", args=[other.pk])).status_code == 403


def test_a_trainee_gets_404_for_a_revoked_or_missing_certificate(client_as, college, own):
    url = reverse("certificates:mine", args=[own.enrolment_id])
    services.certificate_revoke(certificate=own, by=None, reason="信息有误")
    assert client_as(R).get(url).status_code == 404
    running = college.running.enrolments.get(cadre=college.cadres_dalian[0])
    assert client_as(R).get(reverse("certificates:mine", args=[running.pk])).status_code == 404


@pytest.mark.parametrize("role", [A, S, H, T, L, V])
def test_only_trainees_use_the_own_certificate_address(client_as, own, role):
    response = client_as(role).get(reverse("certificates:mine", args=[own.enrolment_id]))
    # the administrator holds every permission but is no trainee: nothing of theirs to find
    assert response.status_code == (404 if role == A else 403)


# Revoking -----------------------------------------------------------------------------------


def test_staff_revoke_with_a_reason(client_as, college, own):
    url = reverse("certificates:revoke", args=[own.pk])
    client = client_as(S)
    preview = client.post(url, {"reason": "学员身份信息有误"})
    assert preview.status_code == 200
    assert own.serial in preview.content.decode()
    own.refresh_from_db()
    assert not own.is_revoked  # the first step only shows what will change
    response = client.post(url, {"reason": "学员身份信息有误", "confirmed": "1"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.is_revoked
    assert own.revoke_reason == "学员身份信息有误"


def test_revoking_without_a_reason_is_refused_with_a_message(client_as, own):
    response = client_as(S).post(
        reverse("certificates:revoke", args=[own.pk]), {"reason": "  "}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Give the reason for revoking the certificate." in response.content.decode()
    own.refresh_from_db()
    assert not own.is_revoked


def test_revoking_twice_is_refused_and_keeps_the_first_reason(client_as, own):
    services.certificate_revoke(certificate=own, by=None, reason="信息有误")
    response = client_as(S).post(
        reverse("certificates:revoke", args=[own.pk]), {"reason": "另一个原因"}
    )
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.revoke_reason == "信息有误"


@pytest.mark.parametrize("role", [H, T, L, R, V])
def test_other_roles_cannot_revoke(client_as, own, role):
    response = client_as(role).post(
        reverse("certificates:revoke", args=[own.pk]), {"reason": "x", "confirmed": "1"}
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert not own.is_revoked


# The public verification page -----------------------------------------------------------


def test_anyone_can_verify_a_certificate(client, college, own):
    response = client.get(reverse("verify:certificate", args=[own.serial]))
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]  # a revocation shows at once
    body = response.content.decode()
    assert own.serial in body
    assert "宋*" in body
    assert "宋娟" not in body
    assert college.finished.title in body
    assert "2024-05-06" in body
    assert "2024-05-08" in body
    assert ">9<" in body.replace(" ", "")  # training hours
    cadre = college.cadres_dalian[0]
    for private in (cadre.id_number, cadre.masked_id_number, cadre.phone, cadre.masked_phone):
        assert private not in body
    assert cadre.community.name not in body


def test_a_revoked_certificate_shows_when_but_never_why(client, own):
    """The reason is an internal note (it may name a mistake in the holder's records): the
    public page says only that and when the certificate was revoked."""
    services.certificate_revoke(certificate=own, by=None, reason="学员身份信息有误")
    own.refresh_from_db()
    response = client.get(
        reverse("verify:certificate", args=[own.serial]), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert "This certificate has been revoked." in body
    assert timezone.localtime(own.revoked_at).strftime("%Y-%m-%d") in body  # the page's day
    assert "学员身份信息有误" not in body
    assert "Reason" not in body


def test_an_unknown_serial_is_not_a_valid_certificate(client, own):
    guessed = own.serial[:-4] + ("AAAA" if not own.serial.endswith("AAAA") else "BBBB")
    for serial in (guessed, own.serial[:-5], "nonsense", "x" * 300):
        response = client.get(reverse("verify:certificate", args=[serial]))
        assert response.status_code == 404
        assert response.templates[0].name == "certificates/verify_unknown.html"
        assert own.serial not in response.content.decode()


def test_a_typed_serial_is_found_in_lower_case_and_with_spaces(client, own):
    response = client.get(reverse("verify:lookup"), {"serial": " " + own.serial.lower() + " "})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify:certificate", args=[own.serial])
    assert client.get(reverse("verify:lookup")).status_code == 200


def test_anonymous_users_reach_only_the_verification_pages(client, college, own):
    pages = [
        reverse("certificates:class", args=[college.finished.pk]),
        reverse("certificates:class-pdf", args=[college.finished.pk]),
        reverse("certificates:class-zip", args=[college.finished.pk]),
        reverse("certificates:download", args=[own.pk]),
        reverse("certificates:mine", args=[own.enrolment_id]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url
    for url in (
        reverse("certificates:class-issue", args=[college.finished.pk]),
        reverse("certificates:revoke", args=[own.pk]),
    ):
        assert client.post(url, {"reason": "x"}).status_code == 302
    assert Certificate.objects.valid().count() == 4
    assert client.get(reverse("verify:certificate", args=[own.serial])).status_code == 200


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三丰", "张*丰"), ("宋娟", "宋*"), ("欧阳娜娜", "欧**娜"), ("李", "*"), ("", "")],
)
def test_it_masks_the_holders_name(name, masked):
    assert mask_name(name) == masked


def test_completion_is_what_counts(college):
    assert college.finished.enrolments.filter(status=EnrolmentStatus.COMPLETED).count() == 4
