"""The timetable (课表) of a class, as PDF and xlsx."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from luodi.college.documents import college_name
from luodi.lib.documents import pdf, xlsx
from luodi.lib.documents.text import day_text, hours_text, span_text, weekday_text
from luodi.training import timetable as layout
from luodi.training.models import Session, TimeSlot, TrainingClass

SLOT_LABELS = {TimeSlot.MORNING: "上午", TimeSlot.AFTERNOON: "下午", TimeSlot.EVENING: "晚上"}
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


@dataclass
class SessionLine:
    """One session as printed: every field but the date and times is already text."""

    session: Session
    date: date
    weekday: str
    slot: str
    start_time: time
    end_time: time
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
            start_time=session.start_time,
            end_time=session.end_time,
            course=session.course.title,
            teacher=session.teacher.name if session.teacher else "",
            method=method,
            place=session.field_site.name if session.field_site else session.venue,
            hours=hours_text(session.hours),
        )

    @property
    def start(self) -> str:
        return self.start_time.strftime("%H:%M")

    @property
    def end(self) -> str:
        return self.end_time.strftime("%H:%M")

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


def print_context(**context) -> dict:
    """What every printed class document shows besides its own content."""
    return {"college_name": college_name(), "made_on": timezone.localdate(), **context}


def timetable_pdf(training_class: TrainingClass) -> bytes:
    html = render_to_string(
        "training/print/timetable.html", print_context(timetable=load_timetable(training_class))
    )
    return pdf.pdf_bytes(html)


def timetable_xlsx(training_class: TrainingClass) -> bytes:
    table = load_timetable(training_class)
    workbook = Workbook()
    grid_sheet(workbook.active, table)
    session_list_sheet(workbook.create_sheet("课次明细"), table)
    return xlsx.workbook_bytes(workbook)


GRID_WIDTHS = (12, 8, 34, 34, 34)


def grid_sheet(ws: Worksheet, table: Timetable) -> None:
    """Days as rows, morning/afternoon/evening as columns: the sheet colleges print. Each row
    is as tall as its longest cell, so the last line (time and hours) is never cut off."""
    tc = table.training_class
    ws.title = "课表"
    xlsx.set_widths(ws, GRID_WIDTHS)
    xlsx.title(
        ws,
        f"{tc.title}课程表",
        len(GRID_WIDTHS),
        subtitle=f"培训时间：{table.dates}　培训地点：{tc.venue}　班主任：{table.head_teacher}",
    )
    xlsx.fit_row_height(ws, ws.max_row)
    header = xlsx.append_row(ws, ("日期", "星期", *table.slot_labels), header=True)
    for row in table.rows:
        texts = ["\n\n".join(line.cell_text() for line in cell) for cell in row.cells]
        n = xlsx.append_row(ws, (row.date, row.weekday, *texts))
        xlsx.formats(ws, n, {1: xlsx.DATE_FORMAT})
        xlsx.fit_row_height(ws, n, minimum=30)
    total = xlsx.append_row(
        ws, (f"合计：{hours_text(table.total_hours)}学时，{len(table.lines)}课次", "", "", "", "")
    )
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=len(GRID_WIDTHS))
    xlsx.print_setup(ws, header_row=header)


def session_list_sheet(ws: Worksheet, table: Timetable) -> None:
    """One row per session, with real dates, times and hours to sort and sum."""
    xlsx.set_widths(ws, (12, 8, 6, 7, 7, 34, 12, 12, 24, 6))
    header = xlsx.append_row(ws, SESSION_HEADERS, header=True)
    for line in table.lines:
        n = xlsx.append_row(
            ws,
            (
                line.date,
                line.weekday,
                line.slot,
                line.start_time,
                line.end_time,
                line.course,
                line.teacher,
                line.method,
                line.place,
                line.session.hours,
            ),
        )
        xlsx.formats(
            ws,
            n,
            {1: xlsx.DATE_FORMAT, 4: xlsx.TIME_FORMAT, 5: xlsx.TIME_FORMAT, 10: xlsx.HOURS_FORMAT},
        )
        xlsx.fit_row_height(ws, n)
    xlsx.print_setup(ws, header_row=header)
    ws.auto_filter.ref = f"A{header}:J{ws.max_row}"
