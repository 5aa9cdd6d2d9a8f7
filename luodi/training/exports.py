"""Documents of a class: the timetable (课表) and the class archive (一期一档), as PDF and xlsx.

The documents are in Chinese, as colleges hand them out, whatever the reader's interface
language. Builders take a class loaded with ``class_type`` and ``head_teacher`` and issue a
fixed number of queries, however long the roster or the timetable.
"""

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import HTML, URLFetcher

from luodi.certificates.models import Certificate
from luodi.training import timetable as layout
from luodi.training.models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Session,
    TimeSlot,
    TrainingClass,
)

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
SLOT_LABELS = {TimeSlot.MORNING: "上午", TimeSlot.AFTERNOON: "下午", TimeSlot.EVENING: "晚上"}
ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: "出勤",
    AttendanceStatus.LATE: "迟到",
    AttendanceStatus.LEAVE: "请假",
    AttendanceStatus.ABSENT: "缺勤",
}
SESSION_HEADERS = (
    "日期",
    "星期",
    "时段",
    "开始",
    "结束",
    "课程",
    "授课教师",
    "教学方式",
    "地点",
    "学时",
)

# A text cell starting with one of these is run as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# Small formatting helpers ------------------------------------------------------------------


def neutralise(value):
    """Make a value safe to put in a spreadsheet cell: text that a spreadsheet would run as a
    formula (``=``, ``+``, ``-``, ``@``, tab, CR first) gets a leading apostrophe, and control
    characters that xlsx cannot hold are dropped. Other values pass unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def hours_text(hours: Decimal | None) -> str:
    """``Decimal("9.0")`` → ``"9"``, ``Decimal("4.5")`` → ``"4.5"``, ``None`` → ``""``."""
    if hours is None:
        return ""
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def day_text(d: date) -> str:
    return f"{d.month}月{d.day}日"


def span_text(start: date, end: date) -> str:
    """``2024年5月6日至5月8日``; the year is repeated only when the class crosses New Year."""
    if start == end:
        return f"{start.year}年{day_text(start)}"
    tail = day_text(end) if start.year == end.year else f"{end.year}年{day_text(end)}"
    return f"{start.year}年{day_text(start)}至{tail}"


def weekday_text(d: date) -> str:
    return WEEKDAYS[d.weekday()]


def college_name() -> str:
    with translation.override("zh-hans"):
        return str(settings.LUODI_COLLEGE_NAME)


def pdf_from_html(html: str) -> HTML:
    """A WeasyPrint document that may load ``data:`` URIs only: documents are built offline
    and nothing in them (a name, a course title) can make the server fetch a URL or a file."""
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The timetable -----------------------------------------------------------------------------


@dataclass
class SessionLine:
    """One session as printed: every field is already text."""

    session: Session
    date: date
    weekday: str
    slot: str
    start: str
    end: str
    course: str
    teacher: str
    method: str
    place: str
    hours: str

    @classmethod
    def of(cls, session: Session) -> "SessionLine":
        with translation.override("zh-hans"):
            method = str(session.get_method_display())
        return cls(
            session=session,
            date=session.date,
            weekday=weekday_text(session.date),
            slot=SLOT_LABELS.get(session.slot, session.slot),
            start=session.start_time.strftime("%H:%M"),
            end=session.end_time.strftime("%H:%M"),
            course=session.course.title,
            teacher=session.teacher.name if session.teacher else "",
            method=method,
            place=session.field_site.name if session.field_site else session.venue,
            hours=hours_text(session.hours),
        )

    def cell_text(self) -> str:
        """The text of a timetable grid cell, one fact per line."""
        lines = [self.course, self.teacher, f"{self.method} · {self.place}"]
        lines.append(f"{self.start}–{self.end} · {self.hours}学时")
        return "\n".join(line for line in lines if line)


@dataclass
class TimetableRow:
    date: date
    day: str
    weekday: str
    cells: list[list[SessionLine]]


@dataclass
class Timetable:
    training_class: TrainingClass
    lines: list[SessionLine]
    rows: list[TimetableRow]
    total_hours: Decimal
    slot_labels: list[str] = field(default_factory=lambda: list(SLOT_LABELS.values()))

    @property
    def head_teacher(self) -> str:
        teacher = self.training_class.head_teacher
        return teacher.name if teacher else ""

    @property
    def hours(self) -> str:
        return hours_text(self.total_hours)

    @property
    def dates(self) -> str:
        tc = self.training_class
        return f"{span_text(tc.start_date, tc.end_date)}（{tc.days}天）"


EMPTY_DAY = layout.TimetableDay(date=date.min)


def load_timetable(training_class: TrainingClass) -> Timetable:
    """The timetable in one query. Every day of the class gets a row, even one without
    sessions (arrival, self-study), as on the printed timetables trainees are handed."""
    sessions = list(training_class.sessions.for_timetable())
    lines = {s.pk: SessionLine.of(s) for s in sessions}
    days = {day.date: day for day in layout.build(sessions)}
    start, end = training_class.start_date, training_class.end_date
    dates = {start + timedelta(days=n) for n in range((end - start).days + 1)} | days.keys()
    rows = [
        TimetableRow(
            date=d,
            day=day_text(d),
            weekday=weekday_text(d),
            cells=[[lines[s.pk] for s in cell] for cell in days.get(d, EMPTY_DAY).slots()],
        )
        for d in sorted(dates)
    ]
    return Timetable(
        training_class=training_class,
        lines=list(lines.values()),
        rows=rows,
        total_hours=sum((s.hours for s in sessions), start=Decimal(0)),
    )


def _print_context(**context) -> dict:
    return {"college_name": college_name(), "made_on": timezone.localdate(), **context}


def timetable_pdf(training_class: TrainingClass) -> bytes:
    html = render_to_string(
        "training/print/timetable.html", _print_context(timetable=load_timetable(training_class))
    )
    return pdf_from_html(html).write_pdf()


def timetable_xlsx(training_class: TrainingClass) -> bytes:
    table = load_timetable(training_class)
    workbook = Workbook()
    _timetable_grid_sheet(workbook.active, table)
    _session_list_sheet(workbook.create_sheet("课次明细"), table)
    return workbook_bytes(workbook)


# Spreadsheet styling -------------------------------------------------------------------------

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E8E4DA")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _append(ws: Worksheet, values, *, header: bool = False) -> int:
    """Append a row of neutralised values with borders; return its row number."""
    ws.append([neutralise(v) for v in values])
    row = ws.max_row
    for cell in ws[row]:
        cell.border = _BORDER
        cell.alignment = _CENTRE if header else _WRAP
        if header:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
    return row


def _title(ws: Worksheet, text: str, width: int, *, subtitle: str = "") -> None:
    ws.append([neutralise(text)])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="center")
    if subtitle:
        ws.append([neutralise(subtitle)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="center", wrap_text=True)


def _widths(ws: Worksheet, widths) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _landscape(ws: Worksheet, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def _timetable_grid_sheet(ws: Worksheet, table: Timetable) -> None:
    """Days as rows, morning/afternoon/evening as columns: the sheet colleges print."""
    tc = table.training_class
    ws.title = "课表"
    _title(
        ws,
        f"{tc.title}课程表",
        5,
        subtitle=f"培训时间：{table.dates}　培训地点：{tc.venue}　班主任：{table.head_teacher}",
    )
    header = _append(ws, ("日期", "星期", *table.slot_labels), header=True)
    for row in table.rows:
        texts = ["\n\n".join(line.cell_text() for line in cell) for cell in row.cells]
        n = _append(ws, (row.date, row.weekday, *texts))
        ws.cell(n, 1).number_format = "yyyy-mm-dd"
        lines = max((t.count("\n") + 1 for t in texts), default=1)
        ws.row_dimensions[n].height = max(30, 15 * lines)
    total = _append(
        ws, (f"合计：{hours_text(table.total_hours)}学时，{len(table.lines)}课次", "", "", "", "")
    )
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=5)
    _widths(ws, (12, 8, 34, 34, 34))
    _landscape(ws, header)


def _session_list_sheet(ws: Worksheet, table: Timetable) -> None:
    header = _append(ws, SESSION_HEADERS, header=True)
    for line in table.lines:
        n = _append(
            ws,
            (
                line.date,
                line.weekday,
                line.slot,
                line.start,
                line.end,
                line.course,
                line.teacher,
                line.method,
                line.place,
                line.session.hours,
            ),
        )
        ws.cell(n, 1).number_format = "yyyy-mm-dd"
        ws.cell(n, 10).number_format = "0.0"
    _widths(ws, (12, 8, 6, 7, 7, 34, 12, 12, 24, 6))
    _landscape(ws, header)
    ws.auto_filter.ref = f"A{header}:J{ws.max_row}"


# The class archive (一期一档) ----------------------------------------------------------------


@dataclass
class TraineeRecord:
    number: int
    enrolment: Enrolment
    gender: str
    post: str
    status: str
    marks: list[str]  # one per session of the timetable: 出勤/迟到/请假/缺勤, or "" if unrecorded
    counts: dict[str, int]
    certificate: Certificate | None

    @property
    def cadre(self):
        return self.enrolment.cadre

    @property
    def hours_credited(self) -> str:
        return hours_text(self.enrolment.hours_credited)

    @property
    def hours_attended(self) -> str:
        return hours_text(self.enrolment.hours_attended)


@dataclass
class ClassArchive:
    training_class: TrainingClass
    timetable: Timetable
    trainees: list[TraineeRecord]
    certificates: list[Certificate]
    session_totals: list[int]  # trainees present or late, per session

    @property
    def completed(self) -> int:
        return sum(1 for t in self.trainees if t.enrolment.status == EnrolmentStatus.COMPLETED)

    @property
    def attendance_rate(self) -> str:
        recorded = sum(sum(t.counts.values()) for t in self.trainees)
        attended = sum(
            t.counts[ATTENDANCE_LABELS[s]] for t in self.trainees for s in ATTENDED_STATUSES
        )
        return f"{100 * attended / recorded:.1f}%" if recorded else "—"

    def facts(self) -> list[tuple[str, str]]:
        tc = self.training_class
        return [
            ("班次名称", tc.title),
            ("培训类型", tc.class_type.name),
            ("年度", str(tc.year)),
            ("期数", f"第{tc.term}期"),
            ("培训时间", self.timetable.dates),
            ("培训地点", tc.venue),
            ("班主任", self.timetable.head_teacher),
            ("计划人数", str(tc.capacity)),
            ("学员人数", str(len(self.trainees))),
            ("结业人数", str(self.completed)),
            ("课次", str(len(self.timetable.lines))),
            ("总学时", hours_text(self.timetable.total_hours)),
            ("出勤率", self.attendance_rate),
            ("证书", f"{len(self.certificates)}份"),
        ]


def load_archive(training_class: TrainingClass) -> ClassArchive:
    """Everything the class archive shows, in four queries whatever the roster's size."""
    table = load_timetable(training_class)
    enrolments = list(
        training_class.enrolments.exclude(status=EnrolmentStatus.WAITLISTED)
        .select_related("cadre__community__city")
        .with_attendance()
        .order_by("cadre__community__city__code", "cadre__name_pinyin", "id")
    )
    marks: dict[tuple[int, int], str] = {
        (enrolment_id, session_id): ATTENDANCE_LABELS.get(status, status)
        for enrolment_id, session_id, status in Attendance.objects.filter(
            session__training_class=training_class
        ).values_list("enrolment_id", "session_id", "status")
    }
    certificates = {
        c.enrolment_id: c for c in Certificate.objects.of_class(training_class).order_by()
    }
    session_ids = [line.session.pk for line in table.lines]
    trainees = []
    with translation.override("zh-hans"):
        for number, e in enumerate(enrolments, start=1):
            row = [marks.get((e.pk, s), "") for s in session_ids]
            counts = Counter(row)
            trainees.append(
                TraineeRecord(
                    number=number,
                    enrolment=e,
                    gender=str(e.cadre.get_gender_display()),
                    post=str(e.cadre.get_post_display()),
                    status=str(e.get_status_display()),
                    marks=row,
                    counts={label: counts[label] for label in ATTENDANCE_LABELS.values()},
                    certificate=certificates.get(e.pk),
                )
            )
    certificate_list = [t.certificate for t in trainees if t.certificate]
    attended = {ATTENDANCE_LABELS[s] for s in ATTENDED_STATUSES}
    session_totals = [
        sum(1 for t in trainees if t.marks[i] in attended) for i in range(len(session_ids))
    ]
    return ClassArchive(
        training_class=training_class,
        timetable=table,
        trainees=trainees,
        certificates=certificate_list,
        session_totals=session_totals,
    )


def session_heading(line: SessionLine) -> str:
    return f"{line.date.month}/{line.date.day}\n{line.slot}"


def archive_pdf(training_class: TrainingClass) -> bytes:
    archive = load_archive(training_class)
    html = render_to_string(
        "training/print/archive.html",
        _print_context(archive=archive, timetable=archive.timetable),
    )
    return pdf_from_html(html).write_pdf()


def archive_xlsx(training_class: TrainingClass) -> bytes:
    archive = load_archive(training_class)
    workbook = Workbook()
    _class_sheet(workbook.active, archive)
    _roster_sheet(workbook.create_sheet("学员名册"), archive)
    _timetable_grid_sheet(workbook.create_sheet(), archive.timetable)
    _attendance_sheet(workbook.create_sheet("考勤表"), archive)
    _results_sheet(workbook.create_sheet("结业情况"), archive)
    if archive.certificates:
        _certificates_sheet(workbook.create_sheet("证书"), archive)
    return workbook_bytes(workbook)


def _class_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    ws.title = "班级信息"
    _title(ws, f"{archive.training_class.title}　一期一档", 2)
    for label, value in archive.facts():
        n = _append(ws, (label, value))
        ws.cell(n, 1).font = Font(bold=True)
    _append(ws, ("制表单位", college_name()))
    _append(ws, ("制表日期", timezone.localdate()))
    ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    ws.cell(ws.max_row, 2).alignment = Alignment(horizontal="left")
    _widths(ws, (14, 60))


ROSTER_HEADERS = ("序号", "姓名", "性别", "城市", "社区", "职务", "身份证号", "手机号")


def _roster_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    header = _append(ws, ROSTER_HEADERS, header=True)
    for t in archive.trainees:
        c = t.cadre
        _append(
            ws,
            (
                t.number,
                c.name,
                t.gender,
                c.community.city.name,
                c.community.name,
                t.post,
                c.masked_id_number,  # never the full number: exports leave the college
                c.masked_phone,
            ),
        )
    _widths(ws, (6, 10, 6, 10, 20, 16, 22, 14))
    _landscape(ws, header)


def _attendance_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    lines = archive.timetable.lines
    labels = list(ATTENDANCE_LABELS.values())
    header = _append(
        ws,
        ("序号", "姓名", *(session_heading(line) for line in lines), *labels, "出勤学时"),
        header=True,
    )
    ws.row_dimensions[header].height = 32
    for t in archive.trainees:
        n = _append(
            ws,
            (
                t.number,
                t.cadre.name,
                *t.marks,
                *(t.counts[x] for x in labels),
                t.enrolment.hours_attended,
            ),
        )
        for cell in ws[n][2:]:
            cell.alignment = _CENTRE
    totals = _append(ws, ("", "出勤人数", *archive.session_totals, *[""] * (len(labels) + 1)))
    for cell in ws[totals][1:]:
        cell.alignment = _CENTRE
        cell.font = Font(bold=True)
    _widths(ws, (6, 10, *[7] * len(lines), *[6] * len(labels), 9))
    _landscape(ws, header)
    ws.freeze_panes = ws.cell(header + 1, 3)


RESULT_HEADERS = (
    "序号",
    "姓名",
    "城市",
    "社区",
    "结业情况",
    "认定学时",
    "出勤学时",
    "说明",
    "证书编号",
)


def _results_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    header = _append(ws, RESULT_HEADERS, header=True)
    for t in archive.trainees:
        e = t.enrolment
        _append(
            ws,
            (
                t.number,
                t.cadre.name,
                t.cadre.community.city.name,
                t.cadre.community.name,
                t.status,
                e.hours_credited,
                e.hours_attended,
                e.result_reason,
                t.certificate.serial if t.certificate else "",
            ),
        )
    _widths(ws, (6, 10, 10, 20, 10, 10, 10, 36, 28))
    _landscape(ws, header)


CERTIFICATE_HEADERS = (
    "序号",
    "证书编号",
    "姓名",
    "学时",
    "发证日期",
    "状态",
    "撤销日期",
    "撤销原因",
)


def _certificates_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    header = _append(ws, CERTIFICATE_HEADERS, header=True)
    for t in archive.trainees:
        cert = t.certificate
        if cert is None:
            continue
        revoked = timezone.localdate(cert.revoked_at) if cert.revoked_at else None
        n = _append(
            ws,
            (
                t.number,
                cert.serial,
                t.cadre.name,
                cert.hours,
                timezone.localdate(cert.issued_at),
                "已撤销" if revoked else "有效",
                revoked or "",
                cert.revoke_reason,
            ),
        )
        ws.cell(n, 5).number_format = ws.cell(n, 7).number_format = "yyyy-mm-dd"
    _widths(ws, (6, 28, 10, 6, 12, 8, 12, 36))
    _landscape(ws, header)
