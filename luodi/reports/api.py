from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from luodi.accounts.access import Perm, requires_api
from luodi.accounts.models import ApiScope
from luodi.reports import stats

router = Router(tags=["statistics"])


class SummaryOut(Schema):
    classes_held: int
    person_times: int
    distinct_trainees: int
    communities_reached: int


class ErrorOut(Schema):
    """Why a request was refused: a sentence, or (422) ninja's list of invalid fields."""

    detail: str | list[dict[str, Any]]


# Every answer an operation can give besides its 200: no login or an unusable token (401), a
# role or token that may not (403), a query parameter out of range (422).
REFUSALS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


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
    city = stats.figures_city(request.user, getattr(request, "api_token", None))
    return stats.summary(year=year, city=city).as_dict()
