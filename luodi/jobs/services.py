"""Starting, running and purging document jobs."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.jobs import kinds
from luodi.jobs.models import Job, JobStatus
from luodi.lib import audit

logger = logging.getLogger(__name__)


def subject_of(obj: models.Model) -> str:
    """``training.trainingclass:42``: the record a job's document is about."""
    return f"{obj._meta.label_lower}:{obj.pk}"


# An unfinished job not heard from for this long is taken as lost (its worker stopped): asking
# again queues a new one instead of waiting on it. Jobs report progress far more often.
STALE_AFTER = timedelta(minutes=15)


def retention() -> timedelta:
    return timedelta(hours=settings.LUODI_JOB_FILE_RETENTION_HOURS)


def job_start(*, kind: str, subject: models.Model, by, parameters: dict | None = None) -> Job:
    """Queue a document job for ``by``; if the same document (kind, subject and parameters)
    is already being prepared for them, return that job instead of queueing a second one (a
    double click, a reload), unless it has not moved for ``STALE_AFTER``.

    With the database backend the job runs in the worker once this transaction commits;
    with the immediate backend (tests) it has run by the time this returns."""
    from luodi.jobs.tasks import run_job

    kinds.get(kind)  # an unknown kind fails here, in the request, not later in the worker
    with transaction.atomic():
        existing = (
            Job.objects.unfinished()
            .current()
            .filter(requested_by=by, kind=kind, subject=subject_of(subject))
            .filter(parameters=parameters or {})  # another filter is another document
            .filter(updated_at__gt=timezone.now() - STALE_AFTER)
            .first()
        )
        if existing:
            return existing
        job = Job.objects.create(
            requested_by=by,
            kind=kind,
            subject=subject_of(subject),
            parameters=parameters or {},
            expires_at=timezone.now() + retention(),
        )
        audit.record("job.start", by=by, obj=job, kind=kind, subject=job.subject)
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def _progress(job: Job):
    def report(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(
            progress_done=min(done, total), progress_total=total, updated_at=timezone.now()
        )

    return report


def _finish(job: Job, **fields) -> None:
    fields.setdefault("finished_at", timezone.now())
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def job_run(*, job_id: int) -> None:
    """Build a job's document and keep its file; record a failure on the job.

    A ``JobError`` is the user's to read; any other exception gets a general message on the
    job and is raised again, so that the task backend keeps its traceback."""
    now = timezone.now()
    # Claimed by one run only: a job finished, or running in another worker, is left alone.
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, finished_at=None, updated_at=now
    )
    if not claimed:
        return
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    try:
        document = kinds.get(job.kind).build(job, _progress(job))
        content = document.content
        upload = ContentFile(content) if isinstance(content, bytes) else File(content)
        try:
            job.file.save(document.filename, upload, save=False)
        finally:
            upload.close()
        job.refresh_from_db(fields=["progress_total"])
        _finish(
            job,
            status=JobStatus.DONE,
            file=job.file,
            filename=document.filename,
            content_type=document.content_type,
            progress_done=job.progress_total,
        )
    except kinds.JobError as exc:
        _finish(job, status=JobStatus.FAILED, error=str(exc))
    except Exception:
        _finish(
            job,
            status=JobStatus.FAILED,
            error=_(
                "The document could not be prepared. Try again; if it fails again, "
                "tell the administrator."
            ),
        )
        raise


# A running job not heard from for this long is taken as lost: its worker stopped (killed, the
# machine restarted). Jobs report progress at every step; the longest step (one WeasyPrint
# render of a whole class) takes well under a minute.
LOST_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 3


def jobs_requeue_lost(*, older_than: timedelta = LOST_AFTER, now=None) -> int:
    """Give each running job not heard from for ``older_than`` to a worker again (any worker,
    on any machine), up to ``MAX_ATTEMPTS`` runs; after that it fails with a message the user
    can act on. Returns how many were queued again. Run every few minutes (cron), beside the
    workers: ``manage.py requeue_lost_jobs``."""
    from luodi.jobs.tasks import run_job

    now = now or timezone.now()
    requeued = 0
    lost = Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=now - older_than)
    for job in lost:
        if job.attempts >= MAX_ATTEMPTS:
            failed = Job.objects.filter(pk=job.pk, updated_at=job.updated_at).update(
                status=JobStatus.FAILED,
                finished_at=now,
                updated_at=now,
                error=_(
                    "The document could not be prepared: the worker stopped each time. "
                    "Try again later; if it fails again, tell the administrator."
                ),
            )
            if failed:
                audit.record("job.lost", outcome="failed", obj=job, attempts=job.attempts)
            continue
        # Only if nothing moved since it was read: a worker that was merely slow keeps it.
        with transaction.atomic():
            taken = Job.objects.filter(pk=job.pk, updated_at=job.updated_at).update(
                status=JobStatus.QUEUED, attempts=models.F("attempts") + 1, updated_at=now
            )
            if taken:
                audit.record("job.requeued", obj=job, attempts=job.attempts + 1)
                result = run_job.enqueue(job.pk)
                Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
                requeued += 1
    return requeued


def jobs_purge(*, now=None) -> int:
    """Delete expired jobs and their files; return how many jobs were deleted."""
    expired = list(Job.objects.expired(now))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
    Job.objects.filter(pk__in=[j.pk for j in expired]).delete()
    return len(expired)
