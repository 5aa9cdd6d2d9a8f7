"""The class archive (一期一档): facts, roster, timetable, attendance, results and certificates
of one class, as PDF and xlsx.

``load_archive`` is the whole read model, in one function, so that it can move to reports
(which may join every layer) without its documents changing.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from luodi.certificates.models import Certificate
from luodi.college.documents import college_name
from luodi.lib.documents import pdf, xlsx
from luodi.lib.documents.text import hours_text
from luodi.training.documents.timetable import (
    SessionLine,
    Timetable,
    grid_sheet,
    load_timetable,
    print_context,
)
from luodi.training.models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Reflection,
    TrainingClass,
)

ATTENDANCE_LABELS: dict[str, str] = {
    AttendanceStatus.PRESENT: "出勤",
    AttendanceStatus.LATE: "迟到",
    AttendanceStatus.LEAVE: "请假",
    AttendanceStatus.ABSENT: "缺勤",
}


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
    reflection: str = ""  # 优秀 (outstanding), 已提交 (submitted) or 未提交

    @property
    def cadre(self):
        return self.enrolment.cadre

    @property
    def hours_credited(self) -> str:
        return hours_text(self.enrolment.hours_credited)

    @property
    def hours_attended(self) -> str:
        return hours_text(self.enrolment.hours_attended)

    @property
    def revoked_on(self) -> date | None:
        cert = self.certificate
        return timezone.localdate(cert.revoked_at) if cert and cert.revoked_at else None

    @property
    def certificate_text(self) -> str:
        """The serial, marked ``（已撤销 2024-05-10）`` when the certificate was revoked."""
        if self.certificate is None:
            return ""
        if self.revoked_on:
            return f"{self.certificate.serial}（已撤销 {self.revoked_on:%Y-%m-%d}）"
        return self.certificate.serial


@dataclass
class Fact:
    """One line of the class information: a typed value for the spreadsheet, its text for
    the PDF."""

    label: str
    value: object
    text: str
    number_format: str = ""


@dataclass
class ClassArchive:
    training_class: TrainingClass
    timetable: Timetable
    trainees: list[TraineeRecord]
    certificates: list[Certificate]  # in force only
    revoked: list[Certificate]
    session_totals: list[int]  # trainees present or late, per session

    @property
    def reflections(self) -> int:
        return sum(1 for t in self.trainees if t.reflection != "未提交")

    @property
    def outstanding_reflections(self) -> int:
        return sum(1 for t in self.trainees if t.reflection == "优秀")

    @property
    def completed(self) -> int:
        return sum(1 for t in self.trainees if t.enrolment.status == EnrolmentStatus.COMPLETED)

    @property
    def attendance_share(self) -> float | None:
        recorded = sum(sum(t.counts.values()) for t in self.trainees)
        attended = sum(
            t.counts[ATTENDANCE_LABELS[s]] for t in self.trainees for s in ATTENDED_STATUSES
        )
        return attended / recorded if recorded else None

    @property
    def attendance_rate(self) -> str:
        share = self.attendance_share
        return f"{100 * share:.1f}%" if share is not None else "—"

    def facts(self) -> list[Fact]:
        tc = self.training_class
        certificates = f"{len(self.certificates)}份"
        if self.revoked:
            certificates += f"（另有{len(self.revoked)}份已撤销）"
        share = self.attendance_share
        return [
            Fact("班次名称", tc.title, tc.title),
            Fact("培训类型", tc.class_type.name, tc.class_type.name),
            Fact("年度", tc.year, str(tc.year), "0"),
            Fact("期数", tc.term, f"第{tc.term}期", '"第"0"期"'),
            Fact("培训时间", self.timetable.dates, self.timetable.dates),
            Fact("培训地点", tc.venue, tc.venue),
            Fact("班主任", self.timetable.head_teacher, self.timetable.head_teacher),
            Fact("计划人数", tc.capacity, str(tc.capacity), "0"),
            Fact("学员人数", len(self.trainees), str(len(self.trainees)), "0"),
            Fact("结业人数", self.completed, str(self.completed), "0"),
            Fact("课次", len(self.timetable.lines), str(len(self.timetable.lines)), "0"),
            Fact("总学时", self.timetable.total_hours, self.timetable.hours, "0.#"),
            Fact("出勤率", share if share is not None else "—", self.attendance_rate, "0.0%"),
            Fact("有效证书", len(self.certificates), certificates, '0"份"'),
        ]


def load_archive(training_class: TrainingClass) -> ClassArchive:
    """Everything the class archive shows, in four queries whatever the roster's size."""
    table = load_timetable(training_class)
    enrolments = list(
        training_class.enrolments.took_part()
        .select_related("cadre__community__city", "reflection")
        .with_attendance()
        .order_by("cadre__community__city__code", "cadre__name_pinyin", "id")
    )
    marks: dict[tuple[int, int], str] = {
        (enrolment_id, session_id): ATTENDANCE_LABELS.get(status, status)
        for enrolment_id, session_id, status in Attendance.objects.filter(
            session__training_class=training_class
        ).values_list("enrolment_id", "session_id", "status")
    }
    # One per trainee: the certificate in force, else the latest revoked one.
    issued = sorted(
        Certificate.objects.of_class(training_class).order_by(),
        key=lambda c: (c.revoked_at is None, c.issued_at),
    )
    certificates = {c.enrolment_id: c for c in issued}
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
                    reflection=reflection_text(e),
                )
            )
    held = [t.certificate for t in trainees if t.certificate]
    attended = {ATTENDANCE_LABELS[s] for s in ATTENDED_STATUSES}
    session_totals = [
        sum(1 for t in trainees if t.marks[i] in attended) for i in range(len(session_ids))
    ]
    return ClassArchive(
        training_class=training_class,
        timetable=table,
        trainees=trainees,
        certificates=[c for c in held if not c.is_revoked],
        revoked=[c for c in held if c.is_revoked],
        session_totals=session_totals,
    )


def reflection_text(enrolment: Enrolment) -> str:
    """A trainee's reflection as the archive states it: 优秀 when marked outstanding."""
    try:
        reflection = enrolment.reflection
    except Reflection.DoesNotExist:
        return "未提交"
    return "优秀" if reflection.outstanding else "已提交"


def session_heading(line: SessionLine) -> str:
    return f"{line.date.month}/{line.date.day}\n{line.slot}"


def archive_pdf(training_class: TrainingClass) -> bytes:
    archive = load_archive(training_class)
    html = render_to_string(
        "reports/print/class_archive.html",
        print_context(archive=archive, timetable=archive.timetable),
    )
    return pdf.pdf_bytes(html)


def archive_xlsx(training_class: TrainingClass) -> bytes:
    archive = load_archive(training_class)
    workbook = Workbook()
    class_sheet(workbook.active, archive)
    roster_sheet(workbook.create_sheet("学员名册"), archive)
    grid_sheet(workbook.create_sheet(), archive.timetable)
    attendance_sheet(workbook.create_sheet("考勤表"), archive)
    results_sheet(workbook.create_sheet("结业情况"), archive)
    if archive.certificates or archive.revoked:
        certificates_sheet(workbook.create_sheet("证书"), archive)
    return xlsx.workbook_bytes(workbook)


def class_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    ws.title = "班级信息"
    xlsx.set_widths(ws, (14, 60))
    xlsx.title(ws, f"{archive.training_class.title}　一期一档", 2)
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    rows = [(f.label, f.value, f.number_format) for f in archive.facts()]
    rows += [
        ("制表单位", college_name(), ""),
        ("制表日期", timezone.localdate(), xlsx.DATE_FORMAT),
    ]
    for label, value, number_format in rows:
        n = xlsx.append_row(ws, (label, value))
        ws.cell(n, 1).font = xlsx.BOLD
        ws.cell(n, 2).alignment = left
        if number_format:
            ws.cell(n, 2).number_format = number_format
        xlsx.fit_row_height(ws, n)
    xlsx.print_setup(ws, landscape=False)


ROSTER_HEADERS = ("序号", "姓名", "性别", "城市", "社区", "职务", "身份证号", "手机号")


def roster_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    xlsx.set_widths(ws, (6, 10, 6, 10, 20, 16, 22, 14))
    header = xlsx.append_row(ws, ROSTER_HEADERS, header=True)
    for t in archive.trainees:
        c = t.cadre
        n = xlsx.append_row(
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
        xlsx.fit_row_height(ws, n)
    xlsx.print_setup(ws, header_row=header)


def attendance_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    lines = archive.timetable.lines
    labels = list(ATTENDANCE_LABELS.values())
    xlsx.set_widths(ws, (6, 10, *[7] * len(lines), *[6] * len(labels), 9))
    header = xlsx.append_row(
        ws,
        ("序号", "姓名", *(session_heading(line) for line in lines), *labels, "出勤学时"),
        header=True,
    )
    xlsx.fit_row_height(ws, header, minimum=32)
    for t in archive.trainees:
        n = xlsx.append_row(
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
            cell.alignment = xlsx.CENTRE
        xlsx.fit_row_height(ws, n)
    totals = xlsx.append_row(
        ws, ("", "出勤人数", *archive.session_totals, *[""] * (len(labels) + 1))
    )
    for cell in ws[totals][1:]:
        cell.alignment = xlsx.CENTRE
        cell.font = xlsx.BOLD
    xlsx.print_setup(ws, header_row=header, freeze_column=3)


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
    "培训心得",
)


def results_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    xlsx.set_widths(ws, (6, 10, 10, 20, 10, 10, 10, 36, 30, 9))
    header = xlsx.append_row(ws, RESULT_HEADERS, header=True)
    for t in archive.trainees:
        e = t.enrolment
        n = xlsx.append_row(
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
                t.certificate_text,
                t.reflection,
            ),
        )
        xlsx.formats(ws, n, {6: xlsx.HOURS_FORMAT, 7: xlsx.HOURS_FORMAT})
        xlsx.fit_row_height(ws, n)
    xlsx.print_setup(ws, header_row=header)


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


def certificates_sheet(ws: Worksheet, archive: ClassArchive) -> None:
    xlsx.set_widths(ws, (6, 28, 10, 6, 12, 8, 12, 36))
    header = xlsx.append_row(ws, CERTIFICATE_HEADERS, header=True)
    for t in archive.trainees:
        cert = t.certificate
        if cert is None:
            continue
        n = xlsx.append_row(
            ws,
            (
                t.number,
                cert.serial,
                t.cadre.name,
                cert.hours,
                timezone.localdate(cert.issued_at),
                "已撤销" if t.revoked_on else "有效",
                t.revoked_on or "",
                cert.revoke_reason,
            ),
        )
        xlsx.formats(ws, n, {4: xlsx.HOURS_FORMAT, 5: xlsx.DATE_FORMAT, 7: xlsx.DATE_FORMAT})
        xlsx.fit_row_height(ws, n)
    xlsx.print_setup(ws, header_row=header)
