"""Document jobs: queued once, progress recorded, failures explained, files for who asked
only, and purged after their retention."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from luodi.accounts.models import Role
from luodi.jobs import kinds
from luodi.jobs.models import Job, JobStatus
from luodi.jobs.services import (
    LOST_AFTER,
    MAX_ATTEMPTS,
    job_run,
    job_start,
    jobs_purge,
    jobs_requeue_lost,
    subject_of,
)
from luodi.lib import audit

pytestmark = pytest.mark.django_db

seen_progress: list[tuple[int, int]] = []


def _build_counting(job, progress):
    for done in range(0, 5):
        progress(done, 4)
        # what the status page would read at this moment, from the database
        row = Job.objects.get(pk=job.pk)
        seen_progress.append((row.progress_done, row.progress_total, row.status))
    return kinds.Document(content=b"hello", filename="问候.txt", content_type="text/plain")


def _build_refusing(job, progress):
    raise kinds.JobError("Nothing to print for this class.")


def _build_crashing(job, progress):
    raise ZeroDivisionError("a bug, not the user's business")


@pytest.fixture
def test_kinds():
    registered = [
        kinds.register(kinds.JobKind("test.counting", "Counting", _build_counting, _may_use)),
        kinds.register(kinds.JobKind("test.refusing", "Refusing", _build_refusing, _may_use)),
        kinds.register(kinds.JobKind("test.crashing", "Crashing", _build_crashing, _may_use)),
    ]
    seen_progress.clear()
    yield
    for kind in registered:
        kinds._kinds.pop(kind.name)


def _may_use(user, job):
    return not user.username.startswith("locked-out")


@pytest.fixture
def staff(users):
    return users[Role.STAFF]


def test_a_job_runs_reporting_progress_and_keeps_its_file(test_kinds, staff, settings):
    job = job_start(kind="test.counting", subject=staff, by=staff)
    assert job.status == JobStatus.DONE
    assert job.error == ""
    assert [(d, t) for d, t, _s in seen_progress] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert {s for _d, _t, s in seen_progress} == {JobStatus.RUNNING}
    assert job.percent == 100
    assert job.progress_done == job.progress_total == 4
    assert job.subject == subject_of(staff) == f"accounts.user:{staff.pk}"
    assert job.file.read() == b"hello"
    assert job.filename == "问候.txt"
    assert str(settings.MEDIA_ROOT) in job.file.path
    assert job.started_at <= job.finished_at
    expected = timedelta(hours=settings.LUODI_JOB_FILE_RETENTION_HOURS)
    assert abs(job.expires_at - job.created_at - expected) < timedelta(seconds=5)


def test_an_unfinished_job_is_not_queued_twice(test_kinds, staff):
    job = Job.objects.create(
        requested_by=staff,
        kind="test.counting",
        subject=subject_of(staff),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert job_start(kind="test.counting", subject=staff, by=staff) == job
    assert Job.objects.count() == 1
    job.status = JobStatus.DONE
    job.save()
    # a finished one may be prepared again (the records may have changed since)
    assert job_start(kind="test.counting", subject=staff, by=staff) != job


def test_the_same_kind_with_other_parameters_is_another_job(test_kinds, staff):
    """A cadre list exported with one filter while another filter's export is being prepared
    gets its own job, not the other one's file."""
    job = Job.objects.create(
        requested_by=staff,
        kind="test.counting",
        subject=subject_of(staff),
        parameters={"city": "1"},
        expires_at=timezone.now() + timedelta(hours=1),
    )
    same = job_start(kind="test.counting", subject=staff, by=staff, parameters={"city": "1"})
    other = job_start(kind="test.counting", subject=staff, by=staff, parameters={"city": "2"})
    assert same == job
    assert other != job
    assert other.parameters == {"city": "2"}


def test_a_job_lost_with_its_worker_does_not_block_asking_again(test_kinds, staff):
    lost = Job.objects.create(
        requested_by=staff,
        kind="test.counting",
        subject=subject_of(staff),
        status=JobStatus.RUNNING,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    Job.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - timedelta(minutes=16))
    job = job_start(kind="test.counting", subject=staff, by=staff)
    assert job != lost
    assert job.status == JobStatus.DONE


def _running(staff, *, silent_for: timedelta, attempts: int = 1) -> Job:
    job = Job.objects.create(
        requested_by=staff,
        kind="test.counting",
        subject=subject_of(staff),
        status=JobStatus.RUNNING,
        attempts=attempts,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - silent_for)
    return job


def test_a_job_whose_worker_stopped_is_run_again_by_another(test_kinds, staff):
    lost = _running(staff, silent_for=LOST_AFTER + timedelta(seconds=1))
    alive = _running(staff, silent_for=LOST_AFTER - timedelta(seconds=30))
    call_command("requeue_lost_jobs", verbosity=0)
    lost.refresh_from_db()
    alive.refresh_from_db()
    # Run again at once (tests' task backend): the document is there, nothing was lost.
    assert lost.status == JobStatus.DONE
    assert lost.file.read() == b"hello"
    assert lost.attempts == 2
    assert audit.recent("job.requeued")[-1]["object"] == f"jobs.job:{lost.pk}"
    assert alive.status == JobStatus.RUNNING  # still reporting: its worker keeps it
    assert alive.attempts == 1


def test_a_job_lost_again_and_again_fails_with_a_message(test_kinds, staff):
    job = _running(staff, silent_for=LOST_AFTER * 2, attempts=MAX_ATTEMPTS)
    assert jobs_requeue_lost() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "worker stopped" in job.error


def test_a_job_is_run_by_one_worker_only(test_kinds, staff):
    job = job_start(kind="test.counting", subject=staff, by=staff)
    seen_progress.clear()
    job_run(job_id=job.pk)  # a second delivery of the same task: the job is not run again
    assert seen_progress == []
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    job_run(job_id=job.pk)  # running in another worker
    assert seen_progress == []


def test_starting_and_downloading_are_audited(test_kinds, staff, client):
    job = job_start(kind="test.counting", subject=staff, by=staff)
    client.force_login(staff)
    client.get(reverse("jobs:download", args=[job.pk]))
    for event in ("job.start", "job.download"):
        entry = audit.recent(event)[-1]
        assert entry["user_id"] == staff.pk
        assert entry["object"] == f"jobs.job:{job.pk}"


def test_an_unknown_kind_fails_at_once(staff):
    with pytest.raises(LookupError):
        job_start(kind="nonsense", subject=staff, by=staff)
    assert not Job.objects.exists()


def test_a_refusal_is_shown_to_the_user_as_it_is(test_kinds, staff, client):
    job = job_start(kind="test.refusing", subject=staff, by=staff)
    assert job.status == JobStatus.FAILED
    assert job.finished_at
    assert job.error == "Nothing to print for this class."
    client.force_login(staff)
    body = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "Nothing to print for this class." in body
    assert "hx-get" not in body  # a failed job is not polled any more


def test_a_crash_shows_a_general_message_and_no_traceback(test_kinds, staff, client):
    job = job_start(kind="test.crashing", subject=staff, by=staff)
    assert job.status == JobStatus.FAILED
    assert "ZeroDivisionError" not in job.error
    assert "bug" not in job.error
    assert "administrator" in job.error
    client.force_login(staff)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 404


def test_a_running_job_is_polled_every_second(staff, client, test_kinds):
    job = Job.objects.create(
        requested_by=staff,
        kind="test.counting",
        subject=subject_of(staff),
        status=JobStatus.RUNNING,
        progress_done=1,
        progress_total=4,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    client.force_login(staff)
    response = client.get(reverse("jobs:status", args=[job.pk]))
    body = response.content.decode()
    assert f'hx-get="{reverse("jobs:status", args=[job.pk])}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert 'value="25"' in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_only_who_asked_and_administrators_reach_a_job(test_kinds, users, client):
    staff = users[Role.STAFF]
    job = job_start(kind="test.counting", subject=staff, by=staff)
    for role, expected in ((Role.STAFF, 200), (Role.ADMIN, 200), (Role.HEAD_TEACHER, 404)):
        client.force_login(users[role])
        for name in ("jobs:status", "jobs:download"):
            response = client.get(reverse(name, args=[job.pk]))
            assert response.status_code == expected, (role, name)
    client.logout()
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_download_checks_access_to_the_subject_again(test_kinds, staff, client):
    job = job_start(kind="test.counting", subject=staff, by=staff)
    client.force_login(staff)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    staff.username = "locked-out-staff"  # e.g. no longer head teacher of the class
    staff.save()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_an_expired_job_is_gone_and_purged_with_its_file(test_kinds, staff, client):
    old = job_start(kind="test.counting", subject=staff, by=staff)
    Job.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    kept = Job.objects.get(pk=job_start(kind="test.counting", subject=staff, by=staff).pk)
    path = old.file.path
    client.force_login(staff)
    assert client.get(reverse("jobs:download", args=[old.pk])).status_code == 404
    assert jobs_purge() == 1
    assert list(Job.objects.all()) == [kept]
    assert not os.path.exists(path)
    assert kept.file.storage.exists(kept.file.name)


def test_the_purge_command_reports_what_it_deleted(test_kinds, staff, capsys):
    job = job_start(kind="test.counting", subject=staff, by=staff)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    call_command("purge_jobs")
    assert "1 expired" in capsys.readouterr().out
    assert not Job.objects.exists()


def test_a_job_left_waiting_says_the_worker_may_not_be_running(staff, client, test_kinds):
    job = Job.objects.create(
        requested_by=staff,
        kind="test.counting",
        subject=subject_of(staff),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    client.force_login(staff)
    url = reverse("jobs:status", args=[job.pk])
    assert (
        "worker may not be running"
        not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "worker may not be running" in body
    assert 'hx-trigger="every 1s"' in body  # it keeps asking, and shows the link once done


def test_in_an_object_store_a_job_keeps_serves_and_purges_its_file(
    test_kinds, staff, client, object_store
):
    """With ``LUODI_S3_BUCKET`` the document goes to the bucket (no file on this machine), is
    streamed to who asked through the download view, and is deleted from the bucket when
    purged."""
    job = job_start(kind="test.counting", subject=staff, by=staff)
    assert job.status == JobStatus.DONE
    assert object_store.keys() == [job.file.name]
    assert job.file.name.startswith("jobs/")
    with pytest.raises(NotImplementedError):
        job.file.path  # noqa: B018 # not on a disk
    client.force_login(staff)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert jobs_purge() == 1
    assert object_store.keys() == []
