"""A job's progress (an htmx partial, polled) and its file."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from luodi.accounts.access import signed_in
from luodi.jobs import kinds
from luodi.jobs.models import Job, JobStatus
from luodi.lib import audit
from luodi.lib.documents.http import file_attachment


def _get_job_for_user(request, pk: int) -> Job:
    """The user's own job, or any job for an administrator; a 404 for everyone else, so
    that nobody learns which jobs exist. Jobs past their retention are gone."""
    return get_object_or_404(Job.objects.visible_to(request.user).current(), pk=pk)


@signed_in(scope=Job.objects.visible_to)
@never_cache
@require_GET
def status(request, pk: int):
    """Access: the user who asked, or an administrator. Polled every second while running."""
    job = _get_job_for_user(request, pk)
    return render(request, "jobs/_job.html", {"job": job, "label": kinds.get(job.kind).label})


@signed_in(scope=Job.objects.visible_to)
@require_GET
def download(request, pk: int):
    """Access: the user who asked, or an administrator, if they may still see the job's
    subject (a head teacher moved to another class loses its documents)."""
    job = _get_job_for_user(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("This document is not ready.")
    if not kinds.get(job.kind).may_use(request.user, job):
        raise Http404("No such document job.")
    audit.record("job.download", by=request.user, obj=job, kind=job.kind, subject=job.subject)
    # Every kind of document job prints people (certificates, class archives).
    audit.record("personal.export", by=request.user, obj=job, what=job.kind, subject=job.subject)
    return file_attachment(
        job.file.open("rb"),
        filename=job.filename,
        fallback=job.fallback_filename,
        content_type=job.content_type,
    )
