"""The figures of ``reports.stats``, as the dashboard computes them (a liaison, or a token
limited to a city, gets that city's)."""

from django.http import HttpRequest
from ninja import Query, Schema

from luodi.accounts.access import Perm, requires_api
from luodi.accounts.api_auth import Router
from luodi.accounts.models import ApiScope
from luodi.lib.api import REFUSALS
from luodi.reports import stats
from luodi.reports.annual_report import load_report

router = Router(tags=["statistics"])


class SummaryOut(Schema):
    classes_held: int
    person_times: int
    distinct_trainees: int
    communities_reached: int


class YearOut(SummaryOut):
    year: int


class CityOut(Schema):
    city_id: int
    city: str
    person_times: int
    distinct_trainees: int
    communities_reached: int
    communities: int
    coverage: int


class ClassTypeOut(Schema):
    class_type: str
    person_times: int
    distinct_trainees: int
    classes_held: int


def _city(request: HttpRequest):
    return stats.figures_city(request.user, getattr(request, "api_token", None))


@router.get(
    "/summary",
    response={200: SummaryOut, **REFUSALS},
    summary="Headline figures for one year or all years",
)
@requires_api(Perm.USE_API, scope=stats.figures_city, api_scope=ApiScope.STATS_READ)
def summary(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)):
    """Classes held, person-times, distinct trainees and communities reached.

    Omit ``year`` for all years. A city liaison, or a token limited to a city, gets the
    figures of that city.
    """
    return stats.summary(year=year, city=_city(request)).as_dict()


@router.get("/by-year", response={200: list[YearOut], **REFUSALS}, summary="Figures by year")
@requires_api(Perm.USE_API, scope=stats.figures_city, api_scope=ApiScope.STATS_READ)
def by_year(request: HttpRequest):
    """The four headline figures for each year with records, oldest first."""
    return stats.by_year(city=_city(request))


@router.get("/by-city", response={200: list[CityOut], **REFUSALS}, summary="Figures by city")
@requires_api(Perm.USE_API, scope=stats.figures_city, api_scope=ApiScope.STATS_READ)
def by_city(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)):
    """Each city's trainees and the share of its communities reached (coverage, per cent)."""
    return [
        {
            **{k: v for k, v in row.items() if k != "city"},
            "city_id": row["city"].pk,
            "city": row["city"].name,
        }
        for row in stats.by_city(year=year, city=_city(request))
    ]


@router.get(
    "/by-class-type", response={200: list[ClassTypeOut], **REFUSALS}, summary="By class type"
)
@requires_api(Perm.USE_API, scope=stats.figures_city, api_scope=ApiScope.STATS_READ)
def by_class_type(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)):
    """Person-times, distinct trainees and classes for each class type, most trained first."""
    return stats.by_class_type(year=year, city=_city(request))


class ReturningOut(Schema):
    once: int
    twice: int
    three_or_more: int


class CoverageCityOut(Schema):
    city_id: int
    city: str
    communities: int
    covered: int
    share: float


class CoverageOut(Schema):
    first_year: int
    last_year: int
    communities: int
    covered: int
    share: float
    cities: list[CoverageCityOut]


class NewSecretariesOut(Schema):
    took_office: int
    trained_in_time: int
    still_in_window: int
    overdue: int


class ComplianceOut(Schema):
    post: str
    label: str
    year: int
    target: int
    cadres: int
    below_target: int  # counting the college's and approved external hours
    below_target_college_only: int  # counting the college's classes alone
    five_year_target: int  # the five years ending with ``year``
    below_five_year_target: int


class ReportOut(SummaryOut):
    first_year: int | None
    last_year: int | None
    city: str | None
    hours_credited: float
    returning: ReturningOut
    coverage: CoverageOut
    new_secretaries: NewSecretariesOut
    hours_compliance: list[ComplianceOut]
    headline: list[str]


@router.get(
    "/report",
    response={200: ReportOut, **REFUSALS},
    summary="The figures of the annual (or multi-year) report",
)
@requires_api(Perm.USE_API, scope=stats.figures_city, api_scope=ApiScope.STATS_READ)
def report(
    request: HttpRequest,
    first_year: int | None = Query(None, ge=2000, le=2100),
    last_year: int | None = Query(None, ge=2000, le=2100),
):
    """Every figure of the report the statistics page prepares as PDF and xlsx, for the years
    ``first_year`` to ``last_year`` (both included; omit either for no bound): the headline
    figures, returning trainees, coverage, new secretaries and hours compliance, and the
    report's opening sentences (in Chinese)."""
    scope = stats.Scope(first=first_year, last=last_year, city=_city(request))
    loaded = load_report(scope, user=request.user)
    covered, total, share = loaded.coverage_total
    first, last = loaded.coverage_window
    return {
        **loaded.figures.as_dict(),
        "first_year": first_year,
        "last_year": last_year,
        "city": scope.city.name if scope.city else None,
        "returning": loaded.returning.__dict__,
        "coverage": {
            "first_year": first,
            "last_year": last,
            "communities": total,
            "covered": covered,
            "share": share,
            "cities": [
                {**r, "city_id": r["city"].pk, "city": r["city"].name} for r in loaded.coverage
            ],
        },
        "new_secretaries": loaded.new_secretaries.__dict__,
        "hours_compliance": loaded.compliance,
        "headline": loaded.headline(),
    }
