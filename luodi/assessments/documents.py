"""A project's results as documents: the workbook (ranking, indicators, raw scores) and the
PDF report (ranking, indicator breakdown, charts). Both in Chinese, whatever the page's
language; both built by background jobs (``jobs.py``)."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from luodi.assessments.results import Results
from luodi.lib import charts
from luodi.lib.documents import pdf, xlsx
from luodi.lib.documents.text import in_chinese


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _state(result) -> str:
    return _("Complete") if result.complete else _("Incomplete")


@in_chinese
def results_xlsx(results: Results, *, progress=None) -> bytes:
    project = results.project
    workbook = Workbook()
    top = results.top
    leaves = results.leaves

    ranking = workbook.active
    ranking.title = _("Ranking")
    headers = [_("Rank"), _("Unit"), _("Total"), _("Grade"), _("State")]
    headers += [f"{i.name}（{i.weight.normalize():f}%）" for i in top]
    xlsx.title(ranking, project.name, len(headers), subtitle=f"{project.client} · {project.year}")
    xlsx.set_widths(ranking, [8, 30, 10, 10, 10, *([16] * len(top))])
    header = xlsx.append_row(ranking, headers, header=True)
    for r in results.units:
        row = [r.rank, r.unit.name, _number(r.total), r.grade, _state(r)]
        row += [_number(r.points[i.pk]) for i in top]
        xlsx.append_row(ranking, row)
    xlsx.print_setup(ranking, header_row=header, freeze_column=3)

    per_indicator = workbook.create_sheet(_("Indicators"))
    xlsx.set_widths(per_indicator, [30, *([14] * len(leaves))])
    header = xlsx.append_row(per_indicator, [_("Unit"), *(i.name for i in leaves)], header=True)
    xlsx.append_row(per_indicator, [_("Maximum score"), *(_number(i.max_score) for i in leaves)])
    means = _leaf_means(results)
    for r in results.units:
        xlsx.append_row(
            per_indicator,
            [r.unit.name, *(_number(means.get((r.unit.pk, i.pk))) for i in leaves)],
        )
    xlsx.print_setup(per_indicator, header_row=header, freeze_column=2)

    raw = workbook.create_sheet(_("Raw scores"))
    headers = [_("Unit"), _("Expert"), _("Indicator"), _("Score"), _("Maximum score"), _("Comment")]
    xlsx.set_widths(raw, [28, 12, 24, 8, 10, 40])
    header = xlsx.append_row(raw, headers, header=True)
    total = len(results.raw)
    for n, score in enumerate(results.raw, start=1):
        xlsx.append_row(
            raw,
            [
                score.sheet.unit.name,
                score.sheet.expert.display_name,
                score.indicator.name,
                _number(score.value),
                _number(score.indicator.max_score),
                score.comment,
            ],
        )
        if progress and n % 500 == 0:
            progress(n, total)
    xlsx.print_setup(raw, header_row=header)
    return xlsx.workbook_bytes(workbook)


def _leaf_means(results: Results) -> dict[tuple[int, int], Decimal]:
    """(unit, leaf) → the mean score of the experts who scored it, rounded."""
    sums: dict[tuple[int, int], list[Decimal]] = {}
    for score in results.raw:
        if score.value is None:  # the raw scores are those given (results.project_results)
            continue
        sums.setdefault((score.sheet.unit_id, score.indicator_id), []).append(score.value)
    return {k: (sum(v, Decimal(0)) / len(v)).quantize(Decimal("0.01")) for k, v in sums.items()}


def report_title(project) -> str:
    """ "…评估报告", without saying 评估 twice when the project's name ends with it."""
    return f"{project.name}报告" if project.name.endswith("评估") else f"{project.name}评估报告"


def results_charts(results: Results, *, printed: bool = False) -> dict:
    """The ranking as bars, and each first-level indicator's mean share reached."""
    totals = [charts.Bar(r.unit.name, float(r.total)) for r in results.units]
    shares = []
    for top in results.top:
        values = [r.breakdown[top.pk] for r in results.units if r.complete]
        if values:
            shares.append(charts.Bar(top.name, round(float(sum(values) / len(values)), 1)))
    drawn = {
        "totals": charts.horizontal_bars(_("Total by unit"), totals, key="totals")
        if totals
        else None,
        "indicators": charts.horizontal_bars(
            _("Mean share reached by first-level indicator"), shares, key="indicators", unit="%"
        )
        if shares
        else None,
    }
    return {k: charts.printable(v) for k, v in drawn.items()} if printed else drawn


@in_chinese
def results_pdf(results: Results) -> bytes:
    html = render_to_string(
        "assessments/print/report.html",
        {
            "results": results,
            "project": results.project,
            "title": report_title(results.project),
            "charts": results_charts(results, printed=True),
            "made_on": timezone.localdate(),
        },
    )
    return pdf.pdf_bytes(html)
