"""Every list exports what its page shows (``jobs.exports``): the page's filter and the user's
reach, every row (no paging), numbers and dates typed, no text run as a formula, ID and phone
numbers masked unless the user holds VIEW_FULL_ID and asks, a full export on record, and the
same number of queries however many rows."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import A, H, L, S, V
from luodi.accounts.models import Role
from luodi.audit.models import AuditEvent
from luodi.certificates import services as certificate_services
from luodi.curriculum.models import TeachingMethod
from luodi.faculty.models import TeacherKind
from luodi.jobs import exports
from luodi.jobs.models import Job, JobStatus
from luodi.training.models import LeaveRequest, LeaveStatus
from luodi.training.services.stories import story_create

pytestmark = pytest.mark.django_db

HEADER = 3  # title, the filter said, then the header row


def _sheet(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "private" in response["Cache-Control"]
    content = response.content if hasattr(response, "content") else b"".join(response)
    return load_workbook(io.BytesIO(content)).active


def _rows(response) -> list[tuple]:
    return list(_sheet(response).iter_rows(values_only=True))


def _column(rows, header: str) -> list:
    at = rows[HEADER - 1].index(header)
    return [row[at] for row in rows[HEADER:]]


# The page and its export hold the same rows -------------------------------------------------

# (page, export, query, role, the page context's rows -> their names, the export's column)
AGREE = [
    (
        "regions:community-list",
        "regions:community-list-xlsx",
        {"city": "shenyang"},
        L,
        lambda ctx: [c.name for c in ctx["page"].paginator.object_list],
        "社区",
    ),
    (
        "regions:community-list",
        "regions:community-list-xlsx",
        {"q": "拥警"},
        S,
        lambda ctx: [c.name for c in ctx["page"].paginator.object_list],
        "社区",
    ),
    (
        "faculty:teacher-list",
        "faculty:teacher-list-xlsx",
        {"kind": TeacherKind.PART_TIME},
        S,
        lambda ctx: [t.name for t in ctx["page"].paginator.object_list],
        "姓名",
    ),
    (
        "curriculum:course-list",
        "curriculum:course-list-xlsx",
        {"method": TeachingMethod.ON_SITE},
        Role.TRAINEE,
        lambda ctx: [c.title for c in ctx["page"].paginator.object_list],
        "课程",
    ),
    (
        "training:class-list",
        "exports:class-list-xlsx",
        {"status": "in_progress"},
        L,
        lambda ctx: [c.title for c in ctx["page"].paginator.object_list],
        "班次",
    ),
]


@pytest.fixture
def catalogue(college, make):
    """Beside the college: a part-time teacher, an on-site course, more communities than a
    page holds in Shenyang."""
    make.teacher(name="王兼职", kind=TeacherKind.PART_TIME)
    make.course(college.category, title="现场教学：拥警社区", method=TeachingMethod.ON_SITE)
    for _ in range(3):
        make.community(college.streets[1])
    return college


@pytest.mark.parametrize(("page", "export", "query", "role", "names", "header"), AGREE)
def test_the_export_holds_the_rows_of_the_page(
    client_as, catalogue, settings, page, export, query, role, names, header
):
    settings.LUODI_PAGE_SIZE = 2  # the page shows two; the export holds every row
    if query.get("city") == "shenyang":
        query = {"city": str(catalogue.shenyang.pk)}
    client = client_as(role)
    listed = names(client.get(reverse(page), query).context)
    rows = _rows(client.get(reverse(export), query))
    assert listed, "the filter should keep some rows"
    assert _column(rows, header) == listed
    assert f"共{len(listed)}条" in rows[1][0]


def test_the_filter_is_said_on_the_second_row(client_as, catalogue):
    rows = _rows(
        client_as(S).get(
            reverse("regions:community-list-xlsx"), {"city": catalogue.shenyang.pk, "q": "测试"}
        )
    )
    assert rows[1][0].startswith("搜索：测试　地市：沈阳市　共")
    everything = _rows(client_as(S).get(reverse("regions:community-list-xlsx")))
    assert everything[1][0].startswith("全部　共7条")


@pytest.mark.parametrize(
    ("page", "export", "query"),
    [
        ("regions:community-list", "regions:community-list-xlsx", "q=%E6%8B%A5"),
        ("faculty:teacher-list", "faculty:teacher-list-xlsx", "kind=part_time"),
        ("curriculum:course-list", "curriculum:course-list-xlsx", "method=on_site"),
        ("training:class-list", "exports:class-list-xlsx", "status=finished"),
    ],
)
def test_each_list_page_offers_its_export_with_its_filter(client_as, college, page, export, query):
    body = client_as(S).get(reverse(page) + f"?{query}&page=1").content.decode()
    assert f'href="{reverse(export)}?{query}"' in body  # the filter, not the page number


@pytest.mark.parametrize(
    ("page", "export"),
    [
        ("checkin:class-attendance", "checkin:class-attendance-xlsx"),
        ("checkin:class-leave", "checkin:class-leave-xlsx"),
        ("certificates:class", "certificates:class-xlsx"),
        ("training:class-detail", "exports:roster-xlsx"),
    ],
)
def test_each_class_page_offers_its_export(client_as, college, page, export):
    tc = college.finished
    certificate_services.certificates_issue_for_class(training_class=tc, by=None)
    body = client_as(S).get(reverse(page, args=[tc.pk])).content.decode()
    assert reverse(export, args=[tc.pk]) in body


# Each list's rows and cells ------------------------------------------------------------------


def test_the_community_export_types_its_figures(client_as, college):
    rows = _rows(client_as(S).get(reverse("regions:community-list-xlsx")))
    yongjing = next(r for r in rows[HEADER:] if r[2] == "拥警社区")
    assert yongjing[6:10] == (1000, 3000, 120, 1)  # households, residents, members, cadres


def test_the_course_export_gives_hours_as_a_number(client_as, college):
    rows = _rows(client_as(S).get(reverse("curriculum:course-list-xlsx")))
    course = next(r for r in rows[HEADER:] if r[1] == college.course.title)
    assert course[4] == 3
    assert isinstance(course[4], int)
    assert course[5] == "张平"


def test_the_attendance_export_counts_each_session(client_as, college):
    tc = college.finished
    rows = _rows(client_as(H).get(reverse("checkin:class-attendance-xlsx", args=[tc.pk])))
    assert rows[0][0] == f"{tc.title}考勤汇总"
    assert len(rows) == HEADER + 3
    first = rows[HEADER]
    assert first[1].date() == tc.start_date  # a date, not a text
    assert first[6:11] == (3, 4, 0, 0, 0)  # hours, present, late, on leave, absent


def test_the_leave_export_holds_every_request_of_the_class(client_as, college, users):
    tc = college.finished
    enrolment = tc.enrolments.get(cadre=college.cadres_dalian[0])
    request = LeaveRequest.objects.create(enrolment=enrolment, reason="-2+3 家中有事")
    request.sessions.set(college.sessions[:2])
    refused = LeaveRequest.objects.create(
        enrolment=enrolment,
        reason="又有事",
        status=LeaveStatus.REFUSED,
        decided_by=users[S],
        decided_at=timezone.now(),
    )
    refused.sessions.set(college.sessions[2:])
    ws = _sheet(client_as(S).get(reverse("checkin:class-leave-xlsx", args=[tc.pk])))
    rows = list(ws.iter_rows(values_only=True))
    assert _column(rows, "姓名") == ["宋娟", "宋娟"]
    assert _column(rows, "请假学时") == [6, 3]
    assert _column(rows, "事由") == ["'-2+3 家中有事", "又有事"]
    assert ws.cell(HEADER + 1, 4).is_date  # submitted at, in the college's time


def test_the_certificate_export_lists_serials_and_dates(client_as, college):
    tc = college.finished
    issued = certificate_services.certificates_issue_for_class(training_class=tc, by=None)
    rows = _rows(client_as(V).get(reverse("certificates:class-xlsx", args=[tc.pk])))
    assert sorted(_column(rows, "证书编号")) == sorted(c.serial for c in issued)
    assert set(_column(rows, "状态")) == {"有效"}
    assert all(d.date() for d in _column(rows, "发证日期"))
    assert set(_column(rows, "学时")) == {Decimal(9)}


# Scope: a liaison, a head teacher -------------------------------------------------------------


def test_a_head_teacher_exports_only_their_own_classes(client_as, college, make):
    other = make.training_class(college.class_type)  # headed by nobody
    client = client_as(H)
    assert client.get(reverse("checkin:class-leave-xlsx", args=[other.pk])).status_code == 403
    assert (
        client.get(reverse("checkin:class-leave-xlsx", args=[college.finished.pk])).status_code
        == 200
    )


def test_a_liaison_exports_only_their_citys_trainees(client_as, college):
    rows = _rows(client_as(L).get(reverse("exports:roster-xlsx", args=[college.finished.pk])))
    assert set(_column(rows, "地市")) == {"大连市"}


# Masked, or in full and on record ------------------------------------------------------------


def test_numbers_are_masked_unless_asked_in_full(client_as, college):
    url = reverse("exports:roster-xlsx", args=[college.finished.pk])
    cadre = college.cadres_dalian[0]
    client = client_as(S)
    masked = _rows(client.get(url))
    assert cadre.masked_id_number in _column(masked, "身份证号")
    assert cadre.id_number not in _column(masked, "身份证号")
    assert not AuditEvent.objects.filter(event="personal.export_full").exists()
    full = _rows(client.get(url, {"full": "1"}))
    assert cadre.id_number in _column(full, "身份证号")
    assert cadre.phone in _column(full, "手机号")
    (event,) = AuditEvent.objects.filter(event="personal.export_full")
    assert event.details["what"] == "training.roster-xlsx"
    assert event.details["fields"] == "id_number,phone"
    assert event.object_id == str(college.finished.pk)
    assert event.username == S.value


@pytest.mark.parametrize("role", [L, H, V])
def test_only_those_who_may_see_full_numbers_get_them(client_as, college, role):
    url = reverse("exports:roster-xlsx", args=[college.finished.pk])
    assert client_as(role).get(url, {"full": "1"}).status_code == 403
    assert not AuditEvent.objects.filter(event="personal.export_full").exists()


def test_a_list_without_personal_numbers_has_no_full_export(client_as, college):
    url = reverse("regions:community-list-xlsx")
    assert client_as(A).get(url, {"full": "1"}).status_code == 403
    body = client_as(A).get(reverse("regions:community-list")).content.decode()
    assert "full=1" not in body


@pytest.mark.parametrize(("role", "offered"), [(S, True), (A, True), (L, False), (H, False)])
def test_the_full_export_is_offered_to_those_who_may(client_as, college, role, offered):
    body = client_as(role).get(college.finished.get_absolute_url()).content.decode()
    assert ("full=1" in body) == offered


def test_a_full_cadre_export_is_a_job_on_record(client_as, college, users):
    client = client_as(S)
    response = client.post(reverse("cadres:cadre-list-export"), {"q": "宋娟", "full": "1"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert job.parameters == {"q": "宋娟", "city": "", "post": "", "full": "1"}
    (event,) = AuditEvent.objects.filter(event="personal.export_full")
    assert event.details["what"] == "cadres.list-xlsx"
    rows = _rows(client.get(reverse("jobs:download", args=[job.pk])))
    assert _column(rows, "身份证号") == [college.cadres_dalian[0].id_number]
    # Moved to a role without full numbers, the user can no longer fetch the file.
    users[S].role = Role.SUPERVISOR
    users[S].save()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_liaison_asking_for_a_full_cadre_export_is_refused(client_as, college):
    response = client_as(L).post(reverse("cadres:cadre-list-export"), {"full": "1"})
    assert response.status_code == 403
    assert not Job.objects.exists()


# No formula, whatever the records hold ------------------------------------------------------


def test_no_name_or_title_becomes_a_formula(client_as, college, make):
    make.community(college.streets[0], name="=1+2社区")
    make.course(college.category, title="@SUM(1)")
    make.teacher(name="+老师")
    for url in (
        reverse("regions:community-list-xlsx"),
        reverse("curriculum:course-list-xlsx"),
        reverse("faculty:teacher-list-xlsx"),
    ):
        ws = _sheet(client_as(S).get(url))
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"], url
        assert any(str(c.value).startswith("'") for c in cells), url


# Queries: the same for any number of rows --------------------------------------------------


def _more_communities(college, make, n):
    for _ in range(n):
        community = make.community(college.streets[0])
        make.cadre(community)


def _more_teachers(college, make, n):
    for _ in range(n):
        make.teacher().expertise.create(name=f"专长{make.next()}")


def _more_courses(college, make, n):
    for _ in range(n):
        make.course(college.category).teachers.add(make.teacher())


def _more_sessions(college, make, n):
    for _ in range(n):
        make.session(college.finished, college.course, college.teacher, day=make.next() + 3)


def _more_leave(college, make, n):
    enrolments = list(college.finished.enrolments.all())
    for i in range(n):
        request = LeaveRequest.objects.create(enrolment=enrolments[i % 4], reason="事假")
        request.sessions.set(college.sessions[: 1 + i % 3])


def _more_certificates(college, make, n):
    for _ in range(n):
        make.enrol(college.finished, make.cadre(college.communities_shenyang[0]))
    certificate_services.certificates_issue_for_class(training_class=college.finished, by=None)


def _more_stories(college, make, n):
    for _ in range(n):
        cadre = make.cadre(college.communities_shenyang[0])
        make.enrol(college.finished, cadre)
        story_create(
            cadre=cadre,
            training_class=college.finished,
            course=college.course,
            teacher=college.teacher,
            applied="议事协商",
            outcome="矛盾化解",
            by=None,
        )


GROWING = [
    ("regions:community-list-xlsx", False, _more_communities),
    ("faculty:teacher-list-xlsx", False, _more_teachers),
    ("curriculum:course-list-xlsx", False, _more_courses),
    ("checkin:class-attendance-xlsx", True, _more_sessions),
    ("checkin:class-leave-xlsx", True, _more_leave),
    ("certificates:class-xlsx", True, _more_certificates),
    ("training:story-list-xlsx", False, _more_stories),
]


@pytest.mark.parametrize(("name", "of_class", "grow"), GROWING)
def test_an_export_takes_the_same_queries_for_any_number_of_rows(
    client_as, college, make, name, of_class, grow
):
    client = client_as(S)
    url = reverse(name, args=[college.finished.pk] if of_class else [])
    grow(college, make, 1)
    counts, lengths = [], []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            lengths.append(len(_rows(client.get(url))))
        counts.append(len(queries))
        grow(college, make, 6)
    assert lengths[1] > lengths[0]
    assert counts[0] == counts[1], counts


def test_every_list_export_is_registered_once_with_its_url():
    names = {
        "cadres.list-xlsx",
        "regions.community-list-xlsx",
        "faculty.teacher-list-xlsx",
        "faculty.honoraria-xlsx",
        "curriculum.course-list-xlsx",
        "training.class-list-xlsx",
        "training.roster-xlsx",
        "checkin.attendance-xlsx",
        "checkin.leave-xlsx",
        "certificates.class-list-xlsx",
        "training.story-list-xlsx",
        "research.project-list-xlsx",
        "research.publication-list-xlsx",
        "research.advisory-list-xlsx",
    }
    assert set(exports._lists) == names
    for name in names:
        spec = exports.get(name)
        args = [1] if spec.model else []
        assert reverse(spec.page_name, args=args)
        assert reverse(spec.url_name, args=args)
        assert spec.background == (name == "cadres.list-xlsx")  # the one list of many rows
