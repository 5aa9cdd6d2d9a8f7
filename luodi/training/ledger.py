"""The hours ledger (学时台账): a cadre's training hours in a year are the hours the college's
classes credited (completed results, ``credited_hours_sum``) and the hours of training elsewhere
that staff approved (``ExternalTraining.hours_credited``, converted by the college's rules when
approved), the latter capped per year by the college's settings. The one definition the archive,
the compliance list and the statistics use.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, Least

from luodi.college.models import CollegeSettings
from luodi.training.models import ExternalKind, ExternalTraining

TENTH = Decimal("0.1")
_HOURS = DecimalField(max_digits=7, decimal_places=1)


def credit_for(kind: str, hours_approved: Decimal, college: CollegeSettings) -> Decimal:
    """The hours an approved external training credits: an online course's at the college's
    rate, any other's in full; to a tenth of an hour."""
    rate = college.online_hours_rate if kind == ExternalKind.ONLINE else Decimal(1)
    return (hours_approved * rate).quantize(TENTH, rounding=ROUND_HALF_UP)


def capped(hours: Decimal, cap: Decimal | None) -> Decimal:
    """A year's external hours as they count: no more than the cap, if the college has one."""
    return hours if cap is None else min(hours, cap)


def external_hours_by_year(cadre_id: int) -> dict[int, Decimal]:
    """A cadre's external hours per year (by the training's last day), capped. One query."""
    cap = CollegeSettings.load().external_hours_cap
    rows = (
        ExternalTraining.objects.approved()
        .filter(cadre_id=cadre_id)
        .values(year=ExtractYear("end_date"))
        .annotate(hours=Sum("hours_credited"))
        .order_by()
    )
    return {r["year"]: capped(r["hours"], cap) for r in rows}


def external_hours_of_year(
    year: int, cadre_ref: str = "pk", college: CollegeSettings | None = None
):
    """An expression for cadre querysets: the cadre's (``OuterRef(cadre_ref)``) external
    hours of ``year``, capped (by ``college``'s settings, read if not given), 0 if none."""
    total = (
        ExternalTraining.objects.approved()
        .filter(cadre_id=OuterRef(cadre_ref), end_date__year=year)
        .values("cadre_id")
        .annotate(hours=Sum("hours_credited"))
        .values("hours")
    )
    hours = Coalesce(Subquery(total, output_field=_HOURS), Value(Decimal(0)), output_field=_HOURS)
    cap = (college or CollegeSettings.load()).external_hours_cap
    if cap is None:
        return hours
    return Least(hours, Value(cap), output_field=_HOURS)
