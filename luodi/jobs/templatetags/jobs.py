from urllib.parse import urlencode

from django import template

from luodi.jobs import exports, kinds
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


@register.inclusion_tag("jobs/_list_export.html", takes_context=True)
def list_export(context, name: str, obj=None):
    """The "export this list" button of list ``name`` (``jobs.exports``), carrying the filter
    the page shows; beside it, for a user who may, the same list with full numbers."""
    spec = exports.get(name)
    request = context["request"]
    filters = {k: v for k, v in spec.filters_from(request.GET).items() if v}
    return {
        "spec": spec,
        "url": spec.url(obj),
        "filters": filters,
        "query": urlencode(filters),
        "query_full": urlencode({**filters, exports.FULL: "1"}),
        "may_full": exports.may_export_full(request.user, spec),
    }
