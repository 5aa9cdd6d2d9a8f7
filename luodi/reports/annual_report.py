"""The statistics report of a range of years: an annual report (one year) or a multi-year
(anniversary) report, for the whole college or one city, as PDF and as xlsx; and the
hours-compliance list as xlsx.

``load_report`` is the one read model: the statistics page, the PDF and the workbook show the
same figures from it. Every figure comes from ``reports.stats``; the workbook's appendix sheets
list the records behind them (the classes held, the enrolments counted, the communities
covered), so that each figure can be checked by counting rows.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from luodi.accounts.access import Perm, has_perm
from luodi.cadres.models import Cadre, Post
from luodi.college.documents import college_name
from luodi.lib.documents import pdf, xlsx
from luodi.lib.documents.text import hours_text, in_chinese
from luodi.reports import charts, stats
from luodi.reports.stats import Figures, NewSecretaries, Returning, Scope
from luodi.training.models import Enrolment


def report_title(scope: Scope) -> str:
    """``2024年大连市年度培训统计报告``, ``2020—2024年培训工作统计报告``."""
    city = scope.city.name if scope.city else ""
    kind = "年度培训统计报告" if scope.is_one_year else "培训工作统计报告"
    return f"{scope.years_text}{city}{kind}"


@dataclass
class StatsReport:
    scope: Scope
    figures: Figures
    by_year: list[dict]
    by_city: list[dict]
    by_class_type: list[dict]
    by_post: list[dict]
    coverage: list[dict]
    coverage_years: int
    returning: Returning
    compliance: list[dict]
    new_secretaries: NewSecretaries
    teaching: list[dict] | None  # None for a reader who may not see the faculty

    @property
    def place(self) -> str:
        return self.scope.city.name if self.scope.city else "全省"

    @property
    def title(self) -> str:
        return report_title(self.scope)

    @property
    def coverage_total(self) -> tuple[int, int, float]:
        """Covered communities, all communities and the share, over the cities listed."""
        covered = sum(r["covered"] for r in self.coverage)
        total = sum(r["communities"] for r in self.coverage)
        return covered, total, covered / total if total else 0.0

    def headline(self) -> list[str]:
        """The report's opening sentences, in Chinese, every number from the figures."""
        f = self.figures
        years = self.scope.years_text
        sentences = [
            f"{years}，{self.place}共举办培训班{f.classes_held}期，培训{f.person_times}人次"
            f"（{f.distinct_trainees}人），认定培训学时{hours_text(f.hours_credited)}学时，"
            f"学员来自{f.communities_reached}个社区。"
        ]
        if self.scope.city:
            sentences[0] = sentences[0].replace("共举办培训班", "学员参加的培训班共")
        r = self.returning
        if r.total:
            sentences.append(
                f"其中参加培训1次的{r.once}人，2次的{r.twice}人，3次及以上的{r.three_or_more}人。"
            )
        covered, total, share = self.coverage_total
        first, last = self.coverage_window
        sentences.append(
            f"{first}—{last}年，{total}个社区中有{covered}个社区的党组织书记参加过培训，"
            f"覆盖率{100 * share:.1f}%。"
        )
        n = self.new_secretaries
        if n.took_office:
            sentences.append(
                f"新任社区党组织书记{n.took_office}人，其中{n.trained_in_time}人在任职半年内"
                f"参加培训，{n.still_in_window}人尚在半年期限内，{n.overdue}人逾期未训。"
            )
        for row in self.compliance:
            if row["cadres"]:
                sentences.append(
                    f"{row['year']}年，{row['cadres']}名{row['label']}中有{row['below_target']}人"
                    f"认定学时不足{row['target']}学时的年度要求。"
                )
        return sentences

    @property
    def coverage_window(self) -> tuple[int, int]:
        last = self.scope.last_year
        return last - self.coverage_years + 1, last


@in_chinese
def load_report(scope: Scope, *, user) -> StatsReport:
    """Every figure of the report of ``scope``, as ``user`` may read it: the teaching load
    only for those who may see the faculty. A fixed number of queries."""
    return StatsReport(
        scope=scope,
        figures=stats.figures(scope),
        by_year=stats.breakdown(scope, "year"),
        by_city=stats.breakdown(scope, "city"),
        by_class_type=stats.breakdown(scope, "class_type"),
        by_post=stats.breakdown(scope, "post"),
        coverage=stats.coverage(scope),
        coverage_years=settings.LUODI_COVERAGE_YEARS,
        returning=stats.returning_trainees(scope),
        compliance=stats.hours_compliance(scope),
        new_secretaries=stats.new_secretaries_trained(scope),
        teaching=stats.teaching_load(scope) if has_perm(user, Perm.VIEW_FACULTY) else None,
    )


# ---- PDF ---------------------------------------------------------------------------------------


@in_chinese
def report_pdf(scope: Scope, *, user) -> bytes:
    report = load_report(scope, user=user)
    html = render_to_string(
        "reports/print/stats_report.html",
        {
            "report": report,
            "charts": charts.statistics_charts(report, printed=True),
            "college_name": college_name(),
            "made_on": timezone.localdate(),
        },
    )
    return pdf.pdf_bytes(html)


# ---- xlsx --------------------------------------------------------------------------------------

# Rows of an appendix sheet at most: Excel holds 1,048,576 rows a sheet, and a file of a
# million rows is of no use to anyone; a wider report says how many rows it left out.
APPENDIX_ROWS = 100_000

FIGURE_HEADERS = ("培训班次", "培训人次", "培训人数", "认定学时", "覆盖社区数")
FIGURE_KEYS = ("classes_held", "person_times", "distinct_trainees", "hours_credited")


def _table(ws: Worksheet, headers, rows, *, widths, formats=None) -> None:
    xlsx.set_widths(ws, widths)
    header = xlsx.append_row(ws, headers, header=True)
    for values in rows:
        n = xlsx.append_row(ws, values)
        if formats:
            xlsx.formats(ws, n, formats)
    xlsx.print_setup(ws, header_row=header, landscape=False)


def _figure_rows(rows: list[dict]):
    for r in rows:
        yield (r["label"], *(r[k] for k in FIGURE_KEYS), r["communities_reached"])


@in_chinese
def report_xlsx(scope: Scope, *, user, progress=None) -> bytes:
    """One sheet per table of the report (numbers as numbers), then the appendix sheets of the
    records behind the figures; the enrolments listed are those ``user`` may see."""
    report = load_report(scope, user=user)
    workbook = Workbook()
    summary_sheet(workbook.active, report)
    percent, hours = xlsx.PERCENT_FORMAT, xlsx.HOURS_FORMAT
    for title, label, rows in (
        ("按年度", "年度", report.by_year),
        ("按城市", "城市", report.by_city),
        ("按培训类型", "培训类型", report.by_class_type),
        ("按职务", "现任职务", report.by_post),
    ):
        _table(
            workbook.create_sheet(title),
            (label, *FIGURE_HEADERS),
            _figure_rows(rows),
            widths=(24, 10, 10, 10, 10, 12),
            formats={5: hours},
        )
    first, last = report.coverage_window
    _table(
        workbook.create_sheet("社区覆盖"),
        ("城市", "社区总数", f"{first}—{last}年书记参训社区数", "覆盖率"),
        ((r["city"].name, r["communities"], r["covered"], r["share"]) for r in report.coverage),
        widths=(14, 10, 26, 10),
        formats={4: percent},
    )
    ret = report.returning
    _table(
        workbook.create_sheet("重复参训"),
        ("参训次数", "人数"),
        (("1次", ret.once), ("2次", ret.twice), ("3次及以上", ret.three_or_more)),
        widths=(14, 10),
    )
    n = report.new_secretaries
    _table(
        workbook.create_sheet("新任书记"),
        ("新任书记人数", "半年内参训", "尚在半年期限内", "逾期未训", "按期参训率"),
        ((n.took_office, n.trained_in_time, n.still_in_window, n.overdue, n.share_in_time),),
        widths=(14, 12, 16, 10, 12),
        formats={5: percent},
    )
    _table(
        workbook.create_sheet("学时达标"),
        (
            "职务",
            "年度",
            "年度要求学时",
            "人数",
            "未达标人数",
            "未达标比例",
            "仅计本院学时未达标",
            "五年要求学时",
            "五年未达标人数",
        ),
        (
            (
                r["label"],
                r["year"],
                r["target"],
                r["cadres"],
                r["below_target"],
                r["share_below"],
                r["below_target_college_only"],
                r["five_year_target"],
                r["below_five_year_target"],
            )
            for r in report.compliance
        ),
        widths=(16, 8, 14, 8, 12, 12, 18, 14, 14),
        formats={6: percent},
    )
    if report.teaching is not None:
        _table(
            workbook.create_sheet("师资授课"),
            ("教师", "授课课次", "授课学时", "班次"),
            ((r["teacher"], r["sessions"], r["hours"], r["classes"]) for r in report.teaching),
            widths=(16, 10, 10, 8),
            formats={3: hours},
        )
    appendix_classes(workbook.create_sheet("附录-培训班次"), scope)
    appendix_enrolments(workbook.create_sheet("附录-参训记录"), scope, user=user)
    appendix_communities(workbook.create_sheet("附录-覆盖社区"), report)
    return xlsx.workbook_bytes(workbook)


def summary_sheet(ws: Worksheet, report: StatsReport) -> None:
    ws.title = "概况"
    xlsx.set_widths(ws, (24, 16))
    xlsx.title(ws, report.title, 2, subtitle=f"{college_name()} · {timezone.localdate():%Y-%m-%d}")
    header = xlsx.append_row(ws, ("指标", "数值"), header=True)
    f = report.figures
    covered, total, share = report.coverage_total
    for label, value, number_format in (
        ("培训班次（期）", f.classes_held, "0"),
        ("培训人次", f.person_times, "0"),
        ("培训人数", f.distinct_trainees, "0"),
        ("认定学时", f.hours_credited, xlsx.HOURS_FORMAT),
        ("学员来自社区数", f.communities_reached, "0"),
        ("书记参训社区数", covered, "0"),
        ("社区总数", total, "0"),
        ("社区覆盖率", share, xlsx.PERCENT_FORMAT),
    ):
        n = xlsx.append_row(ws, (label, value))
        xlsx.formats(ws, n, {2: number_format})
    for sentence in report.headline():
        row = xlsx.merged_row(ws, sentence, 2, alignment=xlsx.WRAP)
        xlsx.fit_row_height(ws, row)
    xlsx.print_setup(ws, header_row=header, landscape=False)


def _appendix_note(ws: Worksheet, total: int, width: int) -> None:
    if total > APPENDIX_ROWS:
        xlsx.merged_row(
            ws, f"共{total}条，此处列出前{APPENDIX_ROWS}条；请缩小年度或城市范围。", width
        )


def appendix_classes(ws: Worksheet, scope: Scope) -> None:
    """The classes counted in "classes held"."""
    classes = stats.held_classes(scope).select_related("class_type").order_by("start_date", "id")
    _table(
        ws,
        ("序号", "班次名称", "培训类型", "年度", "开班日期", "结业日期"),
        (
            (i, c.title, c.class_type.name, c.year, c.start_date, c.end_date)
            for i, c in enumerate(classes.iterator(chunk_size=1000), start=1)
        ),
        widths=(6, 36, 24, 8, 12, 12),
        formats={5: xlsx.DATE_FORMAT, 6: xlsx.DATE_FORMAT},
    )


def appendix_enrolments(ws: Worksheet, scope: Scope, *, user) -> None:
    """The enrolments counted in person-times, trainees, hours and communities, as far as
    ``user`` reaches (``Enrolment.visible_to``)."""
    counted = stats.counted_enrolments(scope) & Enrolment.objects.visible_to(user)
    total = counted.count()
    rows = (
        counted.select_related("training_class__class_type", "cadre", "city", "community")
        .order_by("training_class__start_date", "training_class_id", "id")[:APPENDIX_ROWS]
        .iterator(chunk_size=2000)
    )
    _appendix_note(ws, total, 8)
    _table(
        ws,
        ("序号", "班次名称", "姓名", "城市", "社区", "现任职务", "认定学时"),
        (
            (
                i,
                e.training_class.title,
                e.cadre.name,
                e.city.name,
                e.community.name,
                e.cadre.get_post_display(),
                e.credited_hours,
            )
            for i, e in enumerate(rows, start=1)
        ),
        widths=(8, 36, 10, 10, 20, 14, 10),
        formats={7: xlsx.HOURS_FORMAT},
    )


def appendix_communities(ws: Worksheet, report: StatsReport) -> None:
    """The communities counted as covered."""
    first, last = report.coverage_window
    window = Scope(first=first, last=last, city=report.scope.city)
    communities = (
        stats.covered_communities(window).select_related("city", "district").order_by("code")
    )
    _table(
        ws,
        ("序号", "城市", "区县", "社区"),
        (
            (i, c.city.name, c.district.name, c.name)
            for i, c in enumerate(communities.iterator(chunk_size=1000), start=1)
        ),
        widths=(8, 12, 14, 24),
    )


# ---- The hours-compliance list -----------------------------------------------------------------


@in_chinese
def compliance_xlsx(*, year: int, cadres) -> bytes:
    """Cadres of a post with a yearly hours target (of ``cadres``: those the user may see),
    those below the target first: hours of ``year`` in the college's classes, outside it, both,
    the target and the shortfall; then the five years ending with ``year`` against the
    five-year target."""
    listed = (
        stats.compliance_list(year=year, cadres=cadres)
        .select_related("community__city")
        .order_by("-below", "community__city__code", "name_pinyin", "id")
    )
    workbook = Workbook()
    ws = workbook.active
    ws.title = f"{year}年学时达标"
    xlsx.set_widths(ws, (6, 10, 10, 22, 14, 12, 12, 12, 12, 10, 10, 14, 14, 12))
    xlsx.title(ws, f"{year}年社区干部年度学时达标情况", 14, subtitle=college_name())
    header = xlsx.append_row(
        ws,
        (
            "序号",
            "姓名",
            "城市",
            "社区",
            "职务",
            "年度要求学时",
            "本院学时",
            "院外认定学时",
            "合计学时",
            "差额",
            "是否达标",
            f"{year - 4}—{year}年合计学时",
            "五年要求学时",
            "五年是否达标",
        ),
        header=True,
    )
    for i, c in enumerate(listed.iterator(chunk_size=2000), start=1):
        shortfall = max(Decimal(c.target) - c.hours, Decimal(0))
        n = xlsx.append_row(
            ws,
            (
                i,
                c.name,
                c.community.city.name,
                c.community.name,
                str(Post(c.post).label),
                c.target,
                c.college_hours,
                c.external_hours,
                c.hours,
                shortfall,
                "未达标" if c.below else "达标",
                c.five_year_hours,
                c.five_year_target,
                "未达标" if c.below_five_years else "达标",
            ),
        )
        xlsx.formats(ws, n, dict.fromkeys((7, 8, 9, 10, 12), xlsx.HOURS_FORMAT))
    xlsx.print_setup(ws, header_row=header)
    return xlsx.workbook_bytes(workbook)


def compliance_cadres(user, scope: Scope):
    """The cadres a compliance list covers for ``user``: those they may see, of the scope's
    city."""
    cadres = Cadre.objects.visible_to(user)
    return cadres.in_city(scope.city) if scope.city is not None else cadres
