"""In Chromium: staff prepare a class's certificate zip from its page and the download link
appears; a job still running is polled until its link appears.

The tests' task backend is the immediate one (conftest), so the POST itself prepares the zip;
the second test has the job run "elsewhere" (the test finishes it, as the worker would) to see
the page's htmx polling pick the change up."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.certificates import services
from luodi.certificates.jobs import CLASS_ZIP
from luodi.jobs.models import Job, JobStatus
from luodi.jobs.services import subject_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_page(browser_page, live_server, login_in_browser, users, college):
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    login_in_browser(browser_page, users[Role.STAFF].username)
    browser_page.goto(live_server.url + reverse("certificates:class", args=[college.finished.pk]))
    return browser_page


def test_staff_prepare_the_zip_and_download_it(staff_page, college):
    page = staff_page
    page.click("text=生成每人一个 PDF（zip 压缩包）")
    link = page.wait_for_selector(".job-done a[href*='/download/']", timeout=30_000)
    assert "每人一个 PDF" in page.inner_text(".job-done")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"{college.finished.title}结业证书.zip"
    with open(download.path(), "rb") as f:
        assert f.read(2) == b"PK"
    job = Job.objects.get()
    assert job.kind == CLASS_ZIP
    assert job.status == JobStatus.DONE


def test_the_page_follows_a_running_job_until_it_is_ready(staff_page, users, college):
    page = staff_page
    job = Job.objects.create(
        requested_by=users[Role.STAFF],
        kind=CLASS_ZIP,
        subject=subject_of(college.finished),
        parameters={"class_id": college.finished.pk},
        status=JobStatus.RUNNING,
        progress_done=1,
        progress_total=4,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    page.reload()
    page.wait_for_selector(f"#job-{job.pk}.job-running progress[value='25']")
    job.file.save("x.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    job.status, job.filename, job.content_type = JobStatus.DONE, "证书.zip", "application/zip"
    job.finished_at = timezone.now()
    job.save()
    # no reload: the status partial, polled every second, swaps the link in
    page.wait_for_selector(f"#job-{job.pk}.job-done a[href*='/download/']", timeout=10_000)
