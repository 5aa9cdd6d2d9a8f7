from django import template

from luodi.jobs import kinds
from luodi.jobs.models import Job
from luodi.jobs.services import subject_of

register = template.Library()


@register.inclusion_tag("jobs/_panel.html", takes_context=True)
def document_jobs(context, subject):
    """The current user's latest job of each kind for ``subject`` (one query), with their
    progress or download link."""
    user = context["request"].user
    latest: dict[str, Job] = {}
    for job in Job.objects.current().filter(requested_by=user, subject=subject_of(subject))[:20]:
        latest.setdefault(job.kind, job)
    return {"jobs": [(job, kinds.get(job.kind).label) for job in latest.values()]}
