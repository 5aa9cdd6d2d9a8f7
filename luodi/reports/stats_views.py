"""The statistics page (figures over a range of years and a city, with their charts) and the
reports it starts as background jobs."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, has_perm, requires
from luodi.jobs.services import job_start
from luodi.lib.params import parse_id, parse_int
from luodi.regions.models import Region
from luodi.reports import annual_report, charts, stats
from luodi.reports.jobs import COMPLIANCE_XLSX, STATS_PDF, STATS_XLSX
from luodi.reports.stats import Scope
from luodi.training.models import TrainingClass

DOCUMENTS = {"pdf": STATS_PDF, "xlsx": STATS_XLSX, "compliance": COMPLIANCE_XLSX}


def scope_from(user, params) -> Scope:
    """The years (``from``, ``to``; swapped if given backwards) and city asked for; a
    liaison's city is always their own (``stats.figures_city``)."""
    first, last = (parse_int(params.get(k), low=2000, high=2100) for k in ("from", "to"))
    if first is not None and last is not None and first > last:
        first, last = last, first
    city = stats.figures_city(user)
    if city is None and (city_id := parse_id(params.get("city"))) is not None:
        city = Region.objects.cities().filter(pk=city_id).first()
    return Scope(first=first, last=last, city=city)


def _query(scope: Scope) -> dict:
    query = {"from": scope.first, "to": scope.last, "city": scope.city.pk if scope.city else None}
    return {k: v for k, v in query.items() if v is not None}


TEACHING_SHOWN = 30


@requires(Perm.VIEW_DASHBOARD, scope=stats.figures_city)
def statistics(request):
    """Figures only, no one's record; a liaison's narrowed to their city."""
    user = request.user
    scope = scope_from(user, request.GET)
    report = annual_report.load_report(scope, user=user)
    narrowed = stats.figures_city(user) is not None
    context = {
        "scope": scope,
        "report": report,
        "charts": charts.statistics_charts(report),
        "years": TrainingClass.objects.years(),
        "cities": [] if narrowed else Region.objects.cities(),
        "narrowed": narrowed,
        "query": urlencode(_query(scope)),
        "may_list_cadres": has_perm(user, Perm.VIEW_CADRES),
        # The teachers with the most hours: a province's pool is hundreds; the report
        # documents (PDF, workbook) list every one.
        "teaching_shown": (report.teaching or [])[:TEACHING_SHOWN],
    }
    return render(request, "reports/statistics.html", context)


@requires(Perm.VIEW_DASHBOARD, scope=stats.figures_city)
@require_POST
def statistics_document(request):
    """Queue the report (PDF or xlsx) or the hours-compliance list (which names cadres:
    ``Perm.VIEW_CADRES``, rows as ``Cadre.visible_to``) of the page's filters."""
    kind = DOCUMENTS.get(request.POST.get("document", ""))
    if kind is None:
        return HttpResponseBadRequest("Choose a document.")
    if kind == COMPLIANCE_XLSX and not has_perm(request.user, Perm.VIEW_CADRES):
        raise PermissionDenied
    scope = scope_from(request.user, request.POST)
    parameters = {"first": scope.first, "last": scope.last}
    parameters["city"] = scope.city.pk if scope.city else None
    job_start(kind=kind, subject=request.user, by=request.user, parameters=parameters)
    query = urlencode(_query(scope))
    return redirect(reverse("reports:statistics") + (f"?{query}" if query else ""))
