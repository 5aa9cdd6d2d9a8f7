"""Honoraria (课酬) by month against a crafted rate table, figures worked out by hand, and the
workbook read back."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from conftest import S
from luodi.faculty import selectors, services
from luodi.faculty.models import HonorariumRate, TeacherKind, TitleBand

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(college, make):
    """May 2024: a part-time associate professor teaches 3 h + 2.5 h at 480.50 a teaching
    hour (= 2,642.75); a full-time lecturer 3 h at 123.40 (= 370.20); a session on 1 June
    is not May's. A senior part-time rate exists but nobody of that band teaches."""
    HonorariumRate.objects.all().delete()
    for kind, band, rate in [
        (TeacherKind.PART_TIME, TitleBand.ASSOCIATE, "480.50"),
        (TeacherKind.FULL_TIME, TitleBand.INTERMEDIATE, "123.40"),
        (TeacherKind.PART_TIME, TitleBand.SENIOR, "999.00"),
    ]:
        services.rate_set(title_band=band, kind=kind, per_hour=Decimal(rate), by=None)
    guest = make.teacher(
        name="兼职副教授", kind=TeacherKind.PART_TIME, title="副教授", title_band="associate"
    )
    lecturer = make.teacher(name="专职讲师", title="讲师", title_band="intermediate")
    may = make.training_class(college.class_type, start_date=dt.date(2024, 5, 20))
    make.session(may, college.course, guest, day=0, hours=Decimal(3), venue="一教")
    make.session(may, college.course, guest, day=1, hours=Decimal("2.5"), venue="一教")
    make.session(may, college.course, lecturer, day=2, hours=Decimal(3), venue="二教")
    june = make.training_class(college.class_type, start_date=dt.date(2024, 6, 1))
    make.session(june, college.course, guest, day=0, hours=Decimal(3), venue="一教")
    return guest, lecturer


def test_each_teacher_is_paid_hours_times_their_rate(college, month):
    guest, lecturer = month
    pays = {p.teacher: p for p in selectors.honoraria(2024, 5)}
    assert (pays[guest].rate, pays[guest].hours, pays[guest].amount) == (
        Decimal("480.50"),
        Decimal("5.5"),
        Decimal("2642.75"),
    )
    assert [line.amount for line in pays[guest].lines] == [Decimal("1441.50"), Decimal("1201.25")]
    assert (pays[lecturer].hours, pays[lecturer].amount) == (Decimal(3), Decimal("370.20"))
    # 张平 (college.teacher) teaches in May 2024 too; his band has no rate: paid 0.
    assert pays[college.teacher].amount == Decimal(0)
    assert sum(p.amount for p in pays.values()) == Decimal("3012.95")


def test_the_month_page_lists_sessions_and_totals(client_as, college, month):
    guest, lecturer = month
    client = client_as(S)
    page = client.get(reverse("faculty:honoraria"), {"month": "2024-05"})
    assert page.status_code == 200
    text = page.content.decode()
    # A row per teacher: sessions, hours and amount, the same as the sessions added up.
    rows = {t.teacher: (t.sessions, t.hours, t.amount) for t in page.context["page"]}
    assert rows[guest] == (2, Decimal("5.5"), Decimal("2642.75"))
    assert rows[lecturer] == (1, Decimal(3), Decimal("370.20"))
    assert rows == {
        p.teacher: (len(p.lines), p.hours, p.amount) for p in selectors.honoraria(2024, 5)
    }
    assert "3012.95" in text
    assert "1441.50" not in text  # the sessions only for a chosen teacher
    assert "2024-06-01" not in text

    chosen = client.get(reverse("faculty:honoraria"), {"month": "2024-05", "teacher": guest.pk})
    text = chosen.content.decode()
    assert "1441.50" in text
    assert "1201.25" in text
    assert "3012.95" in text  # the month's total stays the whole month's
    assert "2024-06-01" not in text


def test_the_month_page_shows_a_page_of_teachers_in_a_fixed_number_of_queries(
    client_as, college, month, make
):
    client = client_as(S)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def asked() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("faculty:honoraria"), {"month": "2024-05"})
        assert response.status_code == 200
        return len(captured)

    before = asked()
    may = make.training_class(college.class_type, start_date=dt.date(2024, 5, 6))
    for n in range(55):
        teacher = make.teacher(name=f"兼职老师{n:02d}", kind=TeacherKind.PART_TIME)
        make.session(may, college.course, teacher, day=n % 5, hours=Decimal(1), venue=f"教室{n}")
    assert asked() == before
    page = client.get(reverse("faculty:honoraria"), {"month": "2024-05"}).context["page"]
    assert len(page) == 50
    assert page.paginator.count == 58


def test_the_workbook_holds_each_session_and_each_teachers_total(
    client_as, college, month, django_assert_max_num_queries
):
    client = client_as(S)
    client.get(reverse("faculty:honoraria"))  # the session is made and the user known
    with django_assert_max_num_queries(8):  # session, user, rates, teachers, sessions, audit
        response = client.get(reverse("faculty:honoraria-xlsx"), {"month": "2024-05"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2][:2] == ["序号", "姓名"]
    body = [row[1:] for row in rows[3:]]  # past the serial number
    guest = [r for r in body if r[0] == "兼职副教授"]
    assert [(r[4], Decimal(str(r[6])), Decimal(str(r[8]))) for r in guest] == [
        ("社区治理与服务创新案例解析", Decimal(3), Decimal("1441.5")),
        ("社区治理与服务创新案例解析", Decimal("2.5"), Decimal("1201.25")),
        ("小计", Decimal("5.5"), Decimal("2642.75")),
    ]
    totals = [Decimal(str(r[8])) for r in body if r[4] == "小计"]
    assert sum(totals) == Decimal("3012.95")
    assert "2024年5月" in str(rows[1][0])


def test_changing_a_rate_is_on_record(db):
    from luodi.lib import audit

    services.rate_set(
        title_band=TitleBand.OTHER, kind=TeacherKind.PART_TIME, per_hour=Decimal(250), by=None
    )
    event = audit.recent("honorarium.rate")[-1]["details"]
    assert (event["before"], event["after"]) == ("200.00", "250")


def test_the_default_rates_are_seeded(db):
    rates = selectors.rate_table()
    assert rates[TeacherKind.PART_TIME, TitleBand.SENIOR] == Decimal(1000)
    assert len(rates) == 8
