"""The class list and a class's roster as xlsx workbooks: the rows of the page, as the user
sees them (the same selectors and scope), with numbers masked as the page masks them."""

from collections.abc import Iterable

from openpyxl import Workbook

from luodi.cadres.export import CADRE_HEADERS, CADRE_WIDTHS, cadre_cells
from luodi.lib.documents import xlsx
from luodi.lib.documents.text import in_chinese, span_text
from luodi.training.models import Enrolment, TrainingClass

CLASS_HEADERS = (
    "序号",
    "班次",
    "类型",
    "开班日期",
    "结班日期",
    "地点",
    "班主任",
    "在册学员",
    "名额",
    "状态",
)
CLASS_WIDTHS = (7, 36, 16, 12, 12, 20, 10, 9, 7, 9)

ROSTER_HEADERS = ("序号", *CADRE_HEADERS, "出勤学时", "请假次数", "缺勤次数", "状态")
ROSTER_WIDTHS = (7, *CADRE_WIDTHS, 9, 9, 9, 9)


@in_chinese
def class_list_xlsx(classes: Iterable[TrainingClass], *, subtitle: str = "") -> bytes:
    rows = list(classes)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "培训班次"
    xlsx.set_widths(ws, CLASS_WIDTHS)
    xlsx.title(ws, f"培训班次一览（共{len(rows)}期）", len(CLASS_WIDTHS), subtitle=subtitle)
    header = xlsx.append_row(ws, CLASS_HEADERS, header=True)
    for number, c in enumerate(rows, start=1):
        n = xlsx.append_row(
            ws,
            (
                number,
                c.title,
                c.class_type.name,
                c.start_date,
                c.end_date,
                c.venue,
                str(c.head_teacher or ""),
                c.enrolled_count,
                c.capacity,
                c.get_status_display(),
            ),
        )
        xlsx.formats(ws, n, {4: xlsx.DATE_FORMAT, 5: xlsx.DATE_FORMAT})
        xlsx.fit_row_height(ws, n)
    xlsx.print_setup(ws, header_row=header, freeze_column=3)
    ws.auto_filter.ref = f"A{header}:J{ws.max_row}"
    return xlsx.workbook_bytes(workbook)


@in_chinese
def roster_xlsx(training_class: TrainingClass, roster: Iterable[Enrolment]) -> bytes:
    """``roster`` as ``selectors.class_roster`` reads it for the user (hours and counts)."""
    rows = list(roster)
    tc = training_class
    workbook = Workbook()
    ws = workbook.active
    ws.title = "学员名单"
    xlsx.set_widths(ws, ROSTER_WIDTHS)
    xlsx.title(
        ws,
        f"{tc.title}学员名单",
        len(ROSTER_WIDTHS),
        subtitle=f"培训时间：{span_text(tc.start_date, tc.end_date)}　培训地点：{tc.venue}"
        f"　共{len(rows)}人",
    )
    header = xlsx.append_row(ws, ROSTER_HEADERS, header=True)
    for number, e in enumerate(rows, start=1):
        n = xlsx.append_row(
            ws,
            (
                number,
                *cadre_cells(e.cadre),
                e.hours_attended,
                e.leave_count,
                e.absent_count,
                e.get_status_display(),
            ),
        )
        xlsx.formats(ws, n, {9: xlsx.HOURS_FORMAT})
        xlsx.fit_row_height(ws, n)
    xlsx.print_setup(ws, header_row=header, freeze_column=3)
    ws.auto_filter.ref = f"A{header}:L{ws.max_row}"
    return xlsx.workbook_bytes(workbook)
