"""The dashboard's charts, drawn on the server as inline SVG: no chart library, no script, no
``style`` attribute (the content security policy allows neither), so they work on every
phone and print as they show. Colours and fonts come from classes in ``app.css``.

Each chart is an ``<svg role="img">`` with a ``<title>`` (its name) and every bar a
``<title>`` of its own (label and figure), so screen readers and a hovering mouse read the
numbers; the tables beside the charts stay the exact record.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luodi.regions.models import Region
from luodi.reports import stats

# Drawing units of the viewBox. The SVG scales to the width of its card (a phone's 340 px, a
# desktop card's at most 32rem, see app.css), so a narrow drawing keeps its 14-unit text
# legible on a phone.
WIDTH = 400
LABEL_WIDTH = 130  # horizontal bars: the label column
LABEL_CHARACTERS = 7  # Chinese characters that fit in it; longer labels end in "…"
ROW_HEIGHT = 28
BAR_HEIGHT = 18
COLUMN_AREA = 140  # vertical bars: the height of the tallest bar
TOP, BOTTOM = 24, 28  # room for the figure above a column and the label below it


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: no data for this label (a year with nothing completed)


def _short(label: str) -> str:
    """A label cut to fit the label column; the bar's ``<title>`` keeps it whole."""
    return label if len(label) <= LABEL_CHARACTERS + 1 else label[:LABEL_CHARACTERS] + "…"


def _scale(bars: list[Bar], room: float) -> float:
    top = max((b.value or 0 for b in bars), default=0)
    return room / top if top else 0


def horizontal_bars(title: str, bars: list[Bar], *, key: str, unit: str = "") -> SafeString:
    """One row per bar, its label on the left and its figure (and ``unit``, e.g. "%") after
    it."""
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    room = WIDTH - LABEL_WIDTH - 40 - 10 * len(unit)  # the figure's text after the longest bar
    scale = _scale(bars, room)
    rows = []
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT + 4
        length = round((bar.value or 0) * scale, 1)
        rows.append(
            (
                f"{bar.label}: {bar.value}{unit}",
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                _short(bar.label),
                LABEL_WIDTH,
                y,
                max(length, 1),
                BAR_HEIGHT,
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT - 4,
                f"{bar.value}{unit}",
            )
        )
    body = format_html_join(
        "",
        '<g class="bar"><title>{}</title>'
        '<text class="label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="value" x="{}" y="{}">{}</text></g>',
        rows,
    )
    return _svg(title, key, height, body)


def columns(title: str, bars: list[Bar], *, key: str, empty_label: str) -> SafeString:
    """One column per bar, its label below and its figure above; a bar without data is a
    gap labelled ``empty_label``, not a zero."""
    height = TOP + COLUMN_AREA + BOTTOM
    slot = WIDTH / max(len(bars), 1)
    width = min(slot * 0.6, 64)
    scale = _scale(bars, COLUMN_AREA)
    parts = []
    for i, bar in enumerate(bars):
        centre = round(slot * i + slot / 2, 1)
        baseline = TOP + COLUMN_AREA
        if bar.value is None:
            parts.append(
                format_html(
                    '<g class="bar no-data"><title>{}: {}</title>'
                    '<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>'
                    '<text class="label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
                    bar.label,
                    empty_label,
                    centre,
                    baseline - 6,
                    empty_label,
                    centre,
                    baseline + 18,
                    bar.label,
                )
            )
            continue
        length = max(round(bar.value * scale, 1), 1)
        parts.append(
            format_html(
                '<g class="bar"><title>{}: {}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}"></rect>'
                '<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text class="label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
                bar.label,
                bar.value,
                round(centre - width / 2, 1),
                round(baseline - length, 1),
                round(width, 1),
                length,
                centre,
                round(baseline - length - 6, 1),
                bar.value,
                centre,
                baseline + 18,
                bar.label,
            )
        )
    body = format_html_join("", "{}", ((p,) for p in parts))
    return _svg(title, key, height, body)


def _svg(title: str, key: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" data-chart="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="chart-{}-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-{}-title">{}</title>{}</svg>',
        key,
        WIDTH,
        height,
        key,
        key,
        title,
        body,
    )


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


# WeasyPrint draws inline SVG without the page's CSS: a printed chart carries its colours
# and font as SVG presentation attributes (not ``style`` attributes) instead.
_PRINTED = (
    ("<rect ", '<rect fill="#b3261e" '),
    ('<text class="label"', '<text class="label" font-size="13" fill="#1a1a1a"'),
    ('<text class="value"', '<text class="value" font-size="13" font-weight="bold" fill="#1a1a1a"'),
    ("<svg ", '<svg font-family="Noto Sans CJK SC, sans-serif" '),
)


def printable(chart: SafeString | None) -> SafeString | None:
    """A chart as a PDF needs it: colours and font set on its elements."""
    if chart is None:
        return None
    text = str(chart)
    for plain, printed in _PRINTED:
        text = text.replace(plain, printed)
    return mark_safe(text)  # nosec B308 B703 # only our own markup gains fixed attributes


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
