"""The college settings page: an administrator changes each rule and Luodi follows it; bad
input is refused with the field's error and nothing is saved; every change is audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.audit.models import AuditEvent
from luodi.certificates import services as certificates
from luodi.certificates.pdf import certificates_html
from luodi.checkin import tokens
from luodi.checkin.services import late_after
from luodi.checkin.trainee import reflection_min_length
from luodi.college.models import CollegeSettings
from luodi.needs.plan import class_hours
from luodi.reports.stats import annual_targets
from luodi.surveys.blueprints import satisfaction_line
from luodi.training.selectors import personal_archive

pytestmark = pytest.mark.django_db

FORM = {
    "name": "沈阳市社区干部学院",
    "short_name": "沈社干院",
    "address": "沈阳市皇姑区",
    "hours_per_day": "7",
    "annual_secretary": "40",
    "annual_deputy_secretary": "0",
    "annual_director": "30",
    "five_secretary": "150",
    "checkin_opens_before": "10",
    "checkin_closes_after": "20",
    "checkin_late_after": "3",
    "checkin_token_seconds": "30",
    "reflection_min_length": "100",
    "satisfaction_line": "90",
    "certificate_wording": "兹证明该同志于{dates}参加{class}，共{hours}学时。",
    "certificate_prefix": "SY",
    "weight_evening": "50",
    "certificate_date": "class_end",
    "online_hours_rate": "1.00",
    "external_hours_cap": "",
}


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_each_rule_changes_what_luodi_does(client_as, college, users):
    cadre = college.cadres_dalian[0]  # a party secretary with 6 hours in 2024
    assert personal_archive(cadre).annual_target == Decimal(56)  # the national default
    response = client_as(Role.ADMIN).post(reverse("college:settings"), FORM)
    assert response.status_code == 302
    college_row = CollegeSettings.objects.get()
    assert college_row.short_name == "沈社干院"
    # 学时 conversion: a 3-day class holds 21 hours in the course plan.
    assert class_hours(college.finished) == Decimal(21)
    # Hours targets: the secretary's yearly and five-year targets; deputies have none now
    # (0), directors have 30 (five years: five times that); no other post has one.
    archive = personal_archive(cadre)
    assert archive.annual_target == Decimal(40)
    assert archive.five_years.target == Decimal(150)
    assert annual_targets() == {"secretary": Decimal(40), "director": Decimal(30)}
    assert college_row.five_year_targets() == {
        "secretary": Decimal(150),
        "director": Decimal(150),
    }
    # Check-in: the window, the code period and lateness.
    session = college.sessions[0]
    window = tokens.window(session)
    assert window.opens == session.starts_at - dt.timedelta(minutes=10)
    assert window.closes == session.starts_at + dt.timedelta(minutes=20)
    moment = dt.datetime(2026, 12, 2, 8, 0, 0, tzinfo=dt.UTC)
    assert tokens.token_for(session.pk, moment) == tokens.token_for(
        session.pk, moment + dt.timedelta(seconds=29)
    )
    assert tokens.token_for(session.pk, moment) != tokens.token_for(
        session.pk, moment + dt.timedelta(seconds=30)
    )
    assert late_after() == dt.timedelta(minutes=3)
    # Completion and evaluation.
    assert reflection_min_length() == 100
    assert satisfaction_line() == 90
    # Certificates: the wording, the number's prefix and the college's name.
    enrolment = college.finished.enrolments.first()
    certificate = certificates.certificate_issue(enrolment=enrolment, by=users[Role.STAFF])
    assert certificate.serial.startswith("SY-2024-")
    html = certificates_html([certificate])
    assert "兹证明该同志于" in html
    assert "沈阳市社区干部学院" in html
    # Timetabling: evenings weigh 50 now; the other soft rules keep their national weight.
    from luodi.timetabling.problem import weights

    assert weights()["evening"] == 50
    assert weights()["opening"] == 20
    # Recorded: before and after of each change.
    event = AuditEvent.objects.filter(event="college_settings.save").get()
    # (details are kept as text; a secretary's target and the code period are not secrets)
    assert "'certificate_prefix': 'SY'" in event.details["after"]
    assert "'certificate_prefix': ''" in event.details["before"]
    assert "'secretary': '40'" in event.details["after"]
    assert "'checkin_token_seconds': '30'" in event.details["after"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("certificate_wording", "{name}参加{class}", "Use only {dates}, {class} and {hours}"),
        ("certificate_prefix", "ln", "Use 1 to 6 capital letters or digits."),
        ("checkin_token_seconds", "1", "greater than or equal to 5"),
        ("satisfaction_line", "0", "greater than or equal to 1"),
        ("hours_per_day", "0", "greater than or equal to 1"),
        ("annual_secretary", "-3", "greater than or equal to 0"),
        ("weight_opening", "101", "less than or equal to 100"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client_as, college, field, value, message):
    response = client_as(Role.ADMIN).post(reverse("college:settings"), FORM | {field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CollegeSettings.objects.exists()
    assert not AuditEvent.objects.filter(event="college_settings.save").exists()


def test_empty_rules_follow_the_national_default(client_as, college, settings):
    settings.LUODI_CHECKIN_TOKEN_SECONDS = 45
    empty = dict.fromkeys(FORM, "") | {
        "hours_per_day": "6",
        "certificate_date": "class_end",
        "online_hours_rate": "1.00",
    }
    page = client_as(Role.ADMIN).post(reverse("college:settings"), empty, follow=True)
    assert "The college settings are saved." in page.content.decode()
    college_row = CollegeSettings.objects.get()
    assert college_row.checkin_token_seconds is None
    assert college_row.annual_hours_targets is None
    assert college_row.checkin_step_seconds == 45
    assert college_row.annual_targets()["secretary"] == Decimal(56)
    assert college_row.five_year_targets()["secretary"] == Decimal(280)
    assert college_row.serial_prefix == "LN"
    page = client_as(Role.ADMIN).get(reverse("college:settings")).content.decode()
    assert 'placeholder="45"' in page


def test_the_admin_saves_through_the_same_service(client_as, college):
    client = client_as(Role.ADMIN)
    url = reverse("admin:college_collegesettings_add")
    response = client.post(
        url,
        {
            "name": "乙",
            "certificate_date": "issued",
            "online_hours_rate": "1.00",
            "hours_per_day": "6",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(event="college_settings.save").count() == 1
