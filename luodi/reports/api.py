from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from luodi.accounts.access import Perm, has_perm
from luodi.accounts.models import Role
from luodi.reports import stats

router = Router(tags=["statistics"])


class SummaryOut(Schema):
    classes_held: int
    person_times: int
    distinct_trainees: int
    communities_reached: int


@router.get("/summary", response=SummaryOut, summary="Headline figures for one year or all years")
def summary(request: HttpRequest, year: int | None = None):
    """Classes held, person-times, distinct trainees and communities reached.

    Omit ``year`` for all years. A city liaison gets the figures of their own city.
    """
    if not has_perm(request.user, Perm.USE_API):
        raise HttpError(403, "Permission denied")
    if year is not None and not 2000 <= year <= 2100:
        raise HttpError(422, "year must be between 2000 and 2100")
    city = request.user.city if request.user.role == Role.LIAISON else None
    return stats.summary(year=year, city=city).as_dict()
