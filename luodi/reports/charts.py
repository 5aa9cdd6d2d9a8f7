"""The dashboard's charts, drawn on the server as inline SVG: no chart library, no script, no
``style`` attribute (the content security policy allows neither), so they work on every
phone and print as they show. Colours and fonts come from classes in ``app.css``.

Each chart is an ``<svg role="img">`` with a ``<title>`` (its name) and every bar a
``<title>`` of its own (label and figure), so screen readers and a hovering mouse read the
numbers; the tables beside the charts stay the exact record.
"""

from django.utils.translation import gettext as _

from luodi.lib.charts import (  # noqa: F401 -- drawn here before, still reached from here
    LABEL_CHARACTERS,
    LABEL_WIDTH,
    WIDTH,
    Bar,
    columns,
    horizontal_bars,
    printable,
)
from luodi.regions.models import Region
from luodi.reports import stats


def trend_bars(by_year: list[dict]) -> list[Bar]:
    """Person-times per year from the first year with figures to the last, a year in
    between with nothing completed marked as such (not drawn as zero)."""
    figures = {r["year"]: r["person_times"] for r in by_year if r["person_times"]}
    if not figures:
        return []
    return [Bar(str(y), figures.get(y)) for y in range(min(figures), max(figures) + 1)]


def dashboard_charts(
    *, year: int | None, city: Region | None, by_year: list[dict], by_city: list[dict], **_others
) -> dict:
    """The three charts of the dashboard (trend by year, by city, by class type) from the
    figures the page's tables show, plus one more query for the class types. A chart with
    nothing to draw is None, so the page says so instead. Takes the dashboard's context as
    it is (other keys ignored), so the view adds one line for its charts."""
    trend = trend_bars(by_year)
    cities = [Bar(r["city"].name, r["person_times"]) for r in by_city if r["person_times"]]
    class_types = stats.by_class_type(year=year, city=city)
    types = [Bar(r["class_type"], r["person_times"]) for r in class_types if r["person_times"]]
    return {
        "class_types": class_types,  # the table beside its chart
        "trend": columns(
            _("Person-times trained by year"), trend, key="trend", empty_label=_("no data")
        )
        if trend
        else None,
        "by_city": horizontal_bars(_("Person-times trained by city"), cities, key="city")
        if cities
        else None,
        "by_class_type": horizontal_bars(
            _("Person-times trained by class type"), types, key="class-type"
        )
        if types
        else None,
    }


def statistics_charts(report, *, printed: bool = False) -> dict:
    """The statistics page's and report's charts: person-times by year, coverage by city
    (ranked, in per cent) and person-times by class type; None where there is nothing to
    draw. ``printed``: for the PDF (see ``printable``)."""
    trend = trend_bars([{"year": r["key"], **r} for r in report.by_year])
    coverage = [Bar(r["city"].name, round(100 * r["share"])) for r in report.coverage]
    types = [Bar(r["label"], r["person_times"]) for r in report.by_class_type if r["person_times"]]
    drawn = {
        "trend": columns(
            _("Person-times trained by year"), trend, key="trend", empty_label=_("no data")
        )
        if trend
        else None,
        "coverage": horizontal_bars(
            _("Communities whose secretary was trained, by city"),
            coverage,
            key="coverage",
            unit="%",
        )
        if coverage
        else None,
        "by_class_type": horizontal_bars(
            _("Person-times trained by class type"), types, key="class-type"
        )
        if types
        else None,
    }
    if printed:
        return {name: printable(chart) for name, chart in drawn.items()}
    return drawn
