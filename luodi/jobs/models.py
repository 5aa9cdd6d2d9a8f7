"""A document prepared in the background: a class's certificates, its archive.

The row says who asked for what and how far it got; the file it produced lives under
MEDIA_ROOT until ``expires_at``, when ``manage.py purge_jobs`` deletes both.
"""

import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luodi.accounts.models import Role
from luodi.lib.models import TimestampedModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def job_file_path(job: "Job", filename: str) -> str:
    """A random name: the file is reached only through the download view, never guessed."""
    return f"jobs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


# A worker polls every second; a job still queued after this says so to the user.
WAIT_HINT = timedelta(minutes=1)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own document jobs; an administrator's, everyone's."""
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        return self.filter(requested_by_id=user.pk)

    def current(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())

    def unfinished(self):
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])


class Job(TimestampedModel):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=60)
    # The record the document is about, as ``app_label.model:pk`` (e.g. a training class).
    subject = models.CharField(_("subject"), max_length=80)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("to do"), default=0)
    file = models.FileField(_("file"), upload_to=job_file_path, blank=True, max_length=200)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    # Shown to the user who asked: a sentence they can act on, never a traceback.
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Runs given again because the worker preparing the job stopped (``jobs_requeue_lost``).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "subject", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total"))
                | models.Q(progress_total=0),
                name="job_progress_within_total",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.subject} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_waiting_long(self) -> bool:
        """Queued for longer than a worker takes to pick a job up: likely no worker runs."""
        return self.status == JobStatus.QUEUED and self.created_at < timezone.now() - WAIT_HINT

    @property
    def percent(self) -> int | None:
        """How far it got, 0–100; None while nothing can be counted yet."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def fallback_filename(self) -> str:
        """An ASCII file name for browsers that ignore ``filename*``."""
        return f"{self.kind.replace('.', '-')}-{self.pk}{PurePath(self.filename).suffix}"

    @property
    def subject_parts(self) -> tuple[str, str]:
        """The model label and primary key of the record ``subject`` names (``jobs.services.
        subject_of`` writes it): ``("training.trainingclass", "42")``."""
        label, _, pk = self.subject.partition(":")
        return label, pk

    def get_status_url(self) -> str:
        return reverse("jobs:status", args=[self.pk])

    def get_download_url(self) -> str:
        return reverse("jobs:download", args=[self.pk])
