from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from luodi.accounts.access import Perm, requires_api
from luodi.reports import stats

router = Router(tags=["statistics"])


class SummaryOut(Schema):
    classes_held: int
    person_times: int
    distinct_trainees: int
    communities_reached: int


@router.get("/summary", response=SummaryOut, summary="Headline figures for one year or all years")
@requires_api(Perm.USE_API, scope=stats.figures_city)
def summary(request: HttpRequest, year: int | None = None):
    """Classes held, person-times, distinct trainees and communities reached.

    Omit ``year`` for all years. A city liaison gets the figures of their own city.
    """
    if year is not None and not 2000 <= year <= 2100:
        raise HttpError(422, "year must be between 2000 and 2100")
    return stats.summary(year=year, city=stats.figures_city(request.user)).as_dict()
