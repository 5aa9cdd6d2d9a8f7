"""Class documents: the timetable (课表) and the class archive (一期一档), as PDF and xlsx."""

import datetime as dt
import io
import re
import subprocess
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import A, H, S, V
from luodi.accounts.models import Role
from luodi.certificates import services
from luodi.jobs.models import Job, JobStatus
from luodi.lib.documents import xlsx
from luodi.reports import class_archive as archive
from luodi.training.documents import timetable
from luodi.training.models import AttendanceStatus, EnrolmentStatus, TimeSlot

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text with white space removed, so wrapped lines join up."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", result.stdout.decode())


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def all_values(book) -> list[str]:
    return [str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v]


def class_of(make, college, size: int, *, day: int = 1):
    """A class of ``size`` trainees on its own dates, with a morning and an evening session
    and every attendance status in use."""
    start = dt.date(2025, 3, day)
    training_class = make.training_class(
        college.class_type, start_date=start, head_teacher=college.teacher
    )
    teacher = make.teacher()
    morning = make.session(training_class, college.course, teacher)
    evening = make.session(training_class, college.course, teacher, slot=TimeSlot.EVENING)
    statuses = list(AttendanceStatus)
    community = college.communities_shenyang[0]
    for i in range(size):
        make.enrol(
            training_class,
            make.cadre(community),
            attend={morning.pk: statuses[i % 4], evening.pk: AttendanceStatus.PRESENT},
        )
    return training_class


# Formula triggers -------------------------------------------------------------------------------


def test_exported_text_never_becomes_a_formula(client_as, college):
    cadre = college.cadres_dalian[1]
    cadre.name = "=1+1"
    cadre.save()
    community = cadre.community
    community.name = "@cmd|'/c calc'!A0"
    community.save()
    college.course.title = '=HYPERLINK("http://evil.example","课程")'
    college.course.save()
    content = archive.archive_xlsx(college.finished)
    book = workbook(content)
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'=1+1" in texts
    assert "'@cmd|'/c calc'!A0" in texts
    assert not [t for t in texts if t.startswith(xlsx.FORMULA_TRIGGERS)]
    book = workbook(timetable.timetable_xlsx(college.finished))
    assert "'" + college.course.title in [c.value for c in book["课次明细"]["F"]]


# The timetable --------------------------------------------------------------------------------


def test_the_timetable_pdf_lays_out_days_and_slots(college):
    college.course.title = "城市基层党建引领社区治理"
    college.course.save()
    content = timetable.timetable_pdf(college.finished)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert college.finished.title + "课程表" in text
    for heading in ("日期", "上午", "下午", "晚上", "5月6日", "星期一", "5月8日"):
        assert heading in text
    assert "城市基层党建引领社区治理" in text
    assert "授课教师：张平" in text
    assert "专题辅导" in text
    assert "现场教学" in text
    assert college.site.name in text
    assert college.finished.venue in text
    assert "08:30–11:30" in text
    assert "班主任：张平" in text
    assert "合计：9学时，3课次" in text


def test_the_timetable_xlsx_has_the_grid_and_one_row_per_session(college):
    book = workbook(timetable.timetable_xlsx(college.finished))
    assert book.sheetnames == ["课表", "课次明细"]
    grid = book["课表"]
    rows = list(grid.iter_rows(values_only=True))
    assert rows[0][0] == college.finished.title + "课程表"
    assert rows[2] == ("日期", "星期", "上午", "下午", "晚上")
    assert [r[1] for r in rows[3:6]] == ["星期一", "星期二", "星期三"]  # every day of the class
    assert rows[3][2].startswith(college.course.title)
    assert "张平" in rows[3][2]
    assert "3学时" in rows[3][2]
    assert grid["C4"].alignment.wrap_text
    assert grid.column_dimensions["C"].width >= 30
    sessions = list(book["课次明细"].iter_rows(values_only=True))
    assert sessions[0] == timetable.SESSION_HEADERS
    assert len(sessions) - 1 == college.finished.sessions.count() == 3
    first = sessions[1]
    assert first[0].date() == dt.date(2024, 5, 6)
    assert first[1:9] == (
        "星期一",
        "上午",
        dt.time(8, 30),
        dt.time(11, 30),
        college.course.title,
        "张平",
        "专题辅导",
        college.finished.venue,
    )
    assert first[9] == 3
    assert sessions[3][8] == college.site.name  # on-site teaching happens at the field site


def test_the_timetable_xlsx_has_real_dates_times_and_hours(college):
    sheet = workbook(timetable.timetable_xlsx(college.finished))["课次明细"]
    date, _weekday, _slot, start, end, *_rest, hours = sheet[2]
    assert date.is_date
    assert date.number_format == "yyyy-mm-dd"
    assert start.is_date
    assert start.value == dt.time(8, 30)
    assert start.number_format == "hh:mm"
    assert end.is_date
    assert end.value == dt.time(11, 30)
    assert end.number_format == "hh:mm"
    assert hours.data_type == "n"
    assert hours.value == 3
    grid = workbook(timetable.timetable_xlsx(college.finished))["课表"]
    assert grid["A4"].is_date
    assert grid["A4"].number_format == "yyyy-mm-dd"


def test_timetable_rows_are_tall_enough_for_every_line(college, make):
    """The last line of a cell (time and hours) used to be cut off in LibreOffice: each row is
    now as tall as the lines of its fullest cell, two sessions in one slot included."""
    college.course.title = "城市基层党建引领社区治理与服务创新专题辅导暨典型案例分析研讨"
    college.course.save()
    make.session(  # a second session in the first morning
        college.finished,
        college.course,
        make.teacher(),
        day=0,
        start_time=dt.time(11, 40),
        end_time=dt.time(12, 10),
        venue="第二教室",
        hours=1,
    )
    grid = workbook(timetable.timetable_xlsx(college.finished))["课表"]
    for row in range(4, 7):  # the three days of the class
        lines = max(
            xlsx.line_count(c.value, grid.column_dimensions[c.column_letter].width)
            for c in grid[row]
            if isinstance(c.value, str)
        )
        assert grid.row_dimensions[row].height >= lines * 15, (row, lines)
    # the first day holds two sessions of a course whose title wraps: at least 11 lines
    first_day = grid["C4"].value
    assert first_day.count("学时") == 2
    assert grid.row_dimensions[4].height >= 11 * 15


def test_every_sheet_prints_fitted_to_the_page_width(college):
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    for content in (
        timetable.timetable_xlsx(college.finished),
        archive.archive_xlsx(college.finished),
    ):
        for ws in workbook(content):
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
            assert ws.page_setup.orientation in ("landscape", "portrait"), ws.title


def test_the_class_sheet_gives_numbers_as_numbers(college):
    sheet = workbook(archive.archive_xlsx(college.finished))["班级信息"]
    facts = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for label, value in (("年度", 2024), ("计划人数", 60), ("学员人数", 4), ("结业人数", 4)):
        assert (facts[label].value, facts[label].data_type) == (value, "n"), label
    assert facts["课次"].value == 3
    assert facts["总学时"].value == 9
    assert facts["出勤率"].value == 1
    assert facts["出勤率"].number_format == "0.0%"
    assert facts["制表日期"].is_date
    assert facts["班次名称"].value == college.finished.title


def test_a_class_without_sessions_still_prints(college, make):
    empty = make.training_class(college.class_type, start_date=dt.date(2025, 9, 1))
    assert "尚未排课" in pdf_text(timetable.timetable_pdf(empty))
    sessions = list(workbook(timetable.timetable_xlsx(empty))["课次明细"].iter_rows())
    assert len(sessions) == 1


@pytest.mark.parametrize(
    ("name", "suffix", "content_type"),
    [
        ("exports:timetable-pdf", "课程表.pdf", "application/pdf"),
        ("exports:timetable-xlsx", "课程表.xlsx", xlsx.XLSX),
    ],
)
@pytest.mark.parametrize("role", list(Role))
def test_everyone_who_sees_classes_downloads_the_timetable(
    client_as, college, role, name, suffix, content_type
):
    """Every role: the stock trainee was a trainee of this class (another class's timetable
    is refused to them, see checkin's test_my_timetable)."""
    response = client_as(role).get(reverse(name, args=[college.finished.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "filename*=UTF-8''" + quote(college.finished.title + suffix) in disposition


def test_anonymous_users_are_sent_to_log_in(client, college):
    names = ("exports:timetable-pdf", "exports:timetable-xlsx")
    for name in (*names, "reports:class-archive-pdf", "reports:class-archive-xlsx"):
        response = client.get(reverse(name, args=[college.finished.pk]))
        assert response.status_code == 302, name
        assert "login" in response["Location"], name


def test_an_unknown_class_is_a_404(client_as, college):
    for name in ("exports:timetable-pdf", "reports:class-archive-xlsx"):
        assert client_as(S).get(reverse(name, args=[99999])).status_code == 404


# The class archive -----------------------------------------------------------------------------


def test_the_archive_workbook_has_every_sheet(college):
    book = workbook(archive.archive_xlsx(college.finished))
    assert book.sheetnames == ["班级信息", "学员名册", "课表", "考勤表", "结业情况"]
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    book = workbook(archive.archive_xlsx(college.finished))
    assert book.sheetnames[-1] == "证书"
    certificates = list(book["证书"].iter_rows(values_only=True))
    assert certificates[0] == archive.CERTIFICATE_HEADERS
    assert len(certificates) == 5
    assert {r[5] for r in certificates[1:]} == {"有效"}


def test_the_archive_masks_id_numbers_and_phones(college):
    content = archive.archive_xlsx(college.finished)
    book = workbook(content)
    roster = list(book["学员名册"].iter_rows(values_only=True))
    assert roster[0] == archive.ROSTER_HEADERS
    assert len(roster) == 5
    cadres = college.cadres_shenyang + college.cadres_dalian
    masked = {(c.name, c.masked_id_number, c.masked_phone) for c in cadres}
    assert {(r[1], r[6], r[7]) for r in roster[1:]} == masked
    assert all(re.fullmatch(r"\d{4}\*{10}[\dX]{4}", r[6]) for r in roster[1:])
    values = " ".join(all_values(book))
    pdf = pdf_text(archive.archive_pdf(college.finished))
    for cadre in cadres:
        for secret in (cadre.id_number, cadre.phone):
            assert secret not in values
            assert secret not in pdf
        assert cadre.masked_id_number in pdf


def test_the_attendance_sheet_counts_every_status(college, make):
    training_class = class_of(make, college, 4)
    book = workbook(archive.archive_xlsx(training_class))
    rows = list(book["考勤表"].iter_rows(values_only=True))
    assert rows[0] == (
        "序号",
        "姓名",
        "3/1\n上午",
        "3/1\n晚上",
        "出勤",
        "迟到",
        "请假",
        "缺勤",
        "出勤学时",
    )
    marks = sorted(r[2] for r in rows[1:5])
    assert marks == sorted(["出勤", "迟到", "请假", "缺勤"])
    by_mark = {r[2]: r for r in rows[1:5]}
    assert by_mark["请假"][4:9] == (1, 0, 1, 0, 3)
    assert by_mark["迟到"][4:9] == (1, 1, 0, 0, 6)
    assert rows[5][1:4] == ("出勤人数", 2, 4)


def test_the_results_sheet_gives_status_hours_and_reason(college):
    enrolment = college.finished.enrolments.get(cadre=college.cadres_dalian[1])
    enrolment.status = EnrolmentStatus.NOT_COMPLETED
    enrolment.hours_credited = 4.5
    enrolment.result_reason = "缺勤超过规定学时"
    enrolment.save()
    rows = list(
        workbook(archive.archive_xlsx(college.finished))["结业情况"].iter_rows(values_only=True)
    )
    assert rows[0] == archive.RESULT_HEADERS
    row = next(r for r in rows if r[1] == college.cadres_dalian[1].name)
    assert row[4:8] == ("未结业", 4.5, 9, "缺勤超过规定学时")


def test_the_archive_pdf_has_roster_timetable_attendance_and_results(college):
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    text = pdf_text(archive.archive_pdf(college.finished))
    for heading in ("一期一档", "班级信息", "学员名册", "课表", "考勤表", "结业情况", "出勤人数"):
        assert heading in text
    assert college.finished.title in text
    assert "宋娟" in text
    assert "拥警社区" in text
    assert "出勤" in text
    assert "已结业" in text
    assert "LN-2024-" in text


def test_the_archive_takes_the_same_queries_for_any_roster_size(college, make):
    counts = []
    for day, size in ((1, 2), (10, 30)):
        training_class = class_of(make, college, size, day=day)
        services.certificates_issue_for_class(training_class=training_class, by=None)
        for build in (archive.archive_xlsx, archive.archive_pdf, timetable.timetable_xlsx):
            with CaptureQueriesContext(connection) as queries:
                build(training_class)
            counts.append((build.__name__, len(queries)))
    assert counts[:3] == counts[3:], counts
    # sessions, enrolments, attendance, certificates, and the college's settings (its name)
    assert max(n for _name, n in counts) <= 5


def test_the_archive_views_stay_within_a_fixed_query_count(
    client_as, college, make, django_assert_max_num_queries
):
    training_class = class_of(make, college, 30)
    client = client_as(S)
    for name in ("reports:class-archive-xlsx", "exports:timetable-pdf"):
        with django_assert_max_num_queries(12):  # one is the export's audit row
            assert client.get(reverse(name, args=[training_class.pk])).status_code == 200


def test_the_archive_pdf_job_takes_the_same_queries_for_any_roster_size(client_as, college, make):
    client = client_as(S)
    counts = []
    for day, size in ((1, 2), (10, 30)):
        training_class = class_of(make, college, size, day=day)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("reports:class-archive-pdf", args=[training_class.pk]))
        assert response.status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert Job.objects.filter(status=JobStatus.DONE).count() == 2


def prepare_archive_pdf(client, training_class):
    """Press "prepare class archive PDF"; the tests' task backend runs the job at once."""
    response = client.post(reverse("reports:class-archive-pdf", args=[training_class.pk]))
    if response.status_code != 302:
        return response
    assert response["Location"] == training_class.get_absolute_url()
    job = Job.objects.latest("created_at")
    assert job.status == JobStatus.DONE, job.error
    return client.get(reverse("jobs:download", args=[job.pk]))


@pytest.mark.parametrize("role", list(Role))
def test_the_archive_is_for_staff_the_classs_head_teacher_and_supervisors(client_as, college, role):
    client = client_as(role)
    for response in (
        client.get(reverse("reports:class-archive-xlsx", args=[college.finished.pk])),
        prepare_archive_pdf(client, college.finished),
    ):
        assert response.status_code == (200 if role in (A, S, H, V) else 403)
        if response.status_code == 200:
            assert "private" in response["Cache-Control"]
            assert quote("一期一档") in response["Content-Disposition"]
    if role not in (A, S, H, V):
        assert not Job.objects.exists()


def test_the_archive_pdf_download_is_only_for_who_asked(client_as, college, users):
    job_url = None
    response = prepare_archive_pdf(client_as(S), college.finished)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    job_url = reverse("jobs:download", args=[Job.objects.get().pk])
    assert client_as(H).get(job_url).status_code == 404  # may see the class, did not ask
    assert client_as(A).get(job_url).status_code == 200  # administrators see every job


def test_a_class_page_shows_the_archive_being_prepared(client_as, college):
    client = client_as(S)
    prepare_archive_pdf(client, college.finished)
    job = Job.objects.get()
    body = client.get(college.finished.get_absolute_url()).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in body


def test_a_head_teacher_cannot_export_another_teachers_class(client_as, college, make):
    other = make.training_class(
        college.class_type, head_teacher=make.teacher(), start_date=dt.date(2025, 4, 1)
    )
    client = client_as(H)
    assert client.get(reverse("reports:class-archive-xlsx", args=[other.pk])).status_code == 403
    assert client.post(reverse("reports:class-archive-pdf", args=[other.pk])).status_code == 403
    assert client.get(reverse("exports:timetable-pdf", args=[other.pk])).status_code == 200


def test_the_archive_counts_certificates_in_force_and_marks_revoked_ones(college):
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    revoked = college.finished.enrolments.get(cadre=college.cadres_dalian[0]).certificate
    services.certificate_revoke(certificate=revoked, by=None, reason="信息有误")
    revoked.refresh_from_db()
    on = revoked.revoked_at.astimezone().date().isoformat()
    book = workbook(archive.archive_xlsx(college.finished))
    facts = {row[0].value: row[1].value for row in book["班级信息"].iter_rows(min_row=2)}
    assert facts["有效证书"] == 3
    results = {r[1]: r for r in book["结业情况"].iter_rows(min_row=2, values_only=True)}
    assert results["宋娟"][8] == f"{revoked.serial}（已撤销 {on}）"
    assert "已撤销" not in results[college.cadres_dalian[1].name][8]
    certificates = {r[1]: r for r in book["证书"].iter_rows(min_row=2, values_only=True)}
    assert certificates[revoked.serial][5] == "已撤销"
    assert certificates[revoked.serial][6].date().isoformat() == on
    assert {r[5] for s, r in certificates.items() if s != revoked.serial} == {"有效"}
    text = pdf_text(archive.archive_pdf(college.finished))
    assert "有效结业证书3份，另有1份已撤销" in text
    assert f"{revoked.serial}（已撤销{on}）" in text
    assert "3份（另有1份已撤销）" in text  # the class facts
