"""Charts drawn on the server as inline SVG: no chart library, no script, no ``style``
attribute (the content security policy allows neither), so they work on every phone and
print as they show. Colours and fonts come from classes in ``app.css``.

Each chart is an ``<svg role="img">`` with a ``<title>`` (its name) and every bar a
``<title>`` of its own (label and figure), so screen readers and a hovering mouse read the
numbers; the tables beside the charts stay the exact record. The dashboard's charts
(``reports.charts``) and the survey results draw with these.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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
    value: float | None  # None: no data for this label (a year with nothing completed)


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
