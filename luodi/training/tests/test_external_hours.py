"""Training outside the college (学时认定): declared with a proof, decided by staff, credited by
the college's rules, and counted with the college's own hours in the archive, the compliance
list and the statistics."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from luodi.accounts.models import Role
from luodi.college.models import CollegeSettings
from luodi.imports import kinds
from luodi.imports import services as import_services
from luodi.imports.reading import check_file
from luodi.lib import audit
from luodi.notifications.models import Notification, NotificationKind
from luodi.reports import stats
from luodi.reports.stats import Scope
from luodi.training.models import ExternalKind, ExternalSource, ExternalStatus, ExternalTraining
from luodi.training.selectors import personal_archive
from luodi.training.services.external import Decision, external_decide, external_declare

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def proof(name="证书.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def declaration(**overrides):
    fields = {
        "kind": ExternalKind.PARTY_SCHOOL,
        "organiser": "中山区委党校",
        "title": "社区书记轮训班",
        "start_date": dt.date(2024, 4, 1),
        "end_date": dt.date(2024, 4, 5),
        "hours_claimed": Decimal(50),
    }
    return {**fields, **overrides}


def year_row(archive, year):
    return next(y for y in archive.hours_by_year if y.year == year)


def test_approved_hours_move_a_cadre_above_the_yearly_target(
    client_as, college, users, django_capture_on_commit_callbacks
):
    """The trainee declares a party-school class from the phone; until staff approve it the
    archive still shows the year below target; once approved it is met."""
    cadre = college.cadres_dalian[0]  # 9 h in the college's 2024 class; target 56
    trainee = client_as(Role.TRAINEE)
    response = trainee.post(
        reverse("training:my-external-new"),
        {**declaration(kind="party_school"), "proof": proof()},
    )
    record = ExternalTraining.objects.get(cadre=cadre)
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert (record.status, record.source, record.declared_by) == (
        ExternalStatus.PENDING,
        ExternalSource.DECLARED,
        users[Role.TRAINEE],
    )
    archive = trainee.get(reverse("archive:my-archive")).context["archive"]
    assert year_row(archive, 2024)[1:] == (Decimal(9), 1, False, Decimal(9), Decimal(0))

    staff = client_as(Role.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("training:external-decide", args=[record.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.hours_approved, record.hours_credited) == (
        ExternalStatus.APPROVED,
        Decimal(50),
        Decimal(50),
    )
    archive = staff.get(cadre.get_absolute_url()).context["archive"]
    row = year_row(archive, 2024)
    assert (row.college, row.external, row.hours, row.met) == (9, 50, 59, True)
    assert archive.total_hours == archive.college_hours + archive.external_hours
    # The last five years (2024 among them) against the five-year target (5 × 56 by default).
    five = archive.five_years
    assert (five.external, five.target) == (50, 280)
    assert five.hours == five.college + 50
    assert five.met is False
    notice = Notification.objects.get(kind=NotificationKind.EXTERNAL_DECIDED)
    assert notice.user == users[Role.TRAINEE]
    assert "50" in notice.text
    assert audit.recent("external.decide")[-1]["details"]["decision"] == "approve"
    # The proof is downloadable by the trainee, staff and the liaison of Dalian, on record.
    for role in (Role.TRAINEE, Role.STAFF, Role.LIAISON):
        response = client_as(role).get(reverse("training:external-proof", args=[record.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_liaison_declares_for_their_city_only(college, users):
    liaison = users[Role.LIAISON]  # Dalian
    record = external_declare(
        cadre=college.cadres_dalian[1], by=liaison, proof=proof(), **declaration()
    )
    assert record.declared_by == liaison
    with pytest.raises(PermissionDenied):
        external_declare(
            cadre=college.cadres_shenyang[0], by=liaison, proof=proof(), **declaration()
        )
    with pytest.raises(PermissionDenied):  # a trainee, for someone else
        external_declare(
            cadre=college.cadres_dalian[1], by=users[Role.TRAINEE], proof=proof(), **declaration()
        )
    with pytest.raises(PermissionDenied):  # a head teacher declares nothing
        external_declare(
            cadre=college.cadres_dalian[1],
            by=users[Role.HEAD_TEACHER],
            proof=proof(),
            **declaration(),
        )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": dt.date(2024, 3, 1)}, "end_date", "The last day is before the first day."),
        ({"end_date": dt.date(2099, 1, 1)}, "end_date", "Declare training once it has ended."),
        ({"hours_claimed": Decimal(61)}, "hours_claimed", "More than 12 hours a day"),
    ],
)
def test_a_declaration_is_checked_and_nothing_is_kept_of_a_refused_one(
    college, users, overrides, field, message
):
    with pytest.raises(ValidationError) as caught:
        external_declare(
            cadre=college.cadres_dalian[0],
            by=users[Role.STAFF],
            proof=proof(),
            **declaration(**overrides),
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert not ExternalTraining.objects.exists()


def test_the_proof_is_required_and_checked_by_its_content(college, users, client_as):
    staff = users[Role.STAFF]
    cadre = college.cadres_dalian[0]
    with pytest.raises(ValidationError) as caught:
        external_declare(cadre=cadre, by=staff, proof=None, **declaration())
    assert "proof" in caught.value.message_dict
    with pytest.raises(ValidationError):  # a text file named .pdf
        external_declare(
            cadre=cadre, by=staff, proof=proof(content=b"not a pdf at all"), **declaration()
        )
    assert not ExternalTraining.objects.exists()
    # The page shows the errors in the form and keeps what was typed.
    response = client_as(Role.STAFF).post(
        reverse("training:external-new", args=[cadre.pk]),
        {**declaration(), "proof": proof(content=b"MZ\x90\x00")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "社区书记轮训班" in response.content.decode()


def test_the_same_training_is_recorded_once(college, users):
    staff = users[Role.STAFF]
    cadre = college.cadres_dalian[0]
    external_declare(cadre=cadre, by=staff, proof=proof(), **declaration())
    with pytest.raises(ValidationError, match="already on record"):
        external_declare(cadre=cadre, by=staff, proof=proof(), **declaration())
    assert ExternalTraining.objects.count() == 1


def test_reducing_or_refusing_needs_a_reason_and_decides_once(
    college, users, django_capture_on_commit_callbacks
):
    staff = users[Role.STAFF]
    cadre = college.cadres_dalian[0]
    record = external_declare(cadre=cadre, by=staff, proof=proof(), **declaration())
    with pytest.raises(ValidationError) as caught:
        external_decide(record=record, by=staff, decision=Decision.REDUCE, hours=Decimal(30))
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        external_decide(
            record=record, by=staff, decision=Decision.REDUCE, hours=Decimal(60), reason="超出"
        )
    assert "hours" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        external_decide(record=record, by=users[Role.LIAISON], decision=Decision.APPROVE)
    with django_capture_on_commit_callbacks(execute=True):
        record = external_decide(
            record=record,
            by=staff,
            decision=Decision.REDUCE,
            hours=Decimal(30),
            reason="两天为自学，不计学时",
        )
    assert (record.status, record.hours_approved, record.hours_credited, record.reduced) == (
        ExternalStatus.APPROVED,
        Decimal(30),
        Decimal(30),
        True,
    )
    with pytest.raises(ValidationError, match="already been decided"):
        external_decide(record=record, by=staff, decision=Decision.REFUSE, reason="重复")
    other = external_declare(
        cadre=cadre, by=staff, proof=proof(), **declaration(title="网络课程", kind="online")
    )
    with pytest.raises(ValidationError):
        external_decide(record=other, by=staff, decision=Decision.REFUSE)
    with django_capture_on_commit_callbacks(execute=True):
        other = external_decide(record=other, by=staff, decision=Decision.REFUSE, reason="无证明")
    assert (other.status, other.hours_approved, other.hours_credited) == (
        ExternalStatus.REFUSED,
        None,
        None,
    )
    texts = list(Notification.objects.order_by("pk").values_list("text", flat=True))
    assert "两天为自学" in texts[0]
    assert "无证明" in texts[1]


def test_online_hours_at_the_colleges_rate_and_the_yearly_cap(college, users, client_as):
    staff = users[Role.STAFF]
    cadre = college.cadres_dalian[0]
    CollegeSettings(online_hours_rate=Decimal("0.50"), external_hours_cap=Decimal(40)).save()
    online = external_declare(
        cadre=cadre,
        by=staff,
        proof=proof(),
        **declaration(kind="online", title="网络课程", hours_claimed=Decimal(45)),
    )
    online = external_decide(record=online, by=staff, decision=Decision.APPROVE)
    assert online.hours_credited == Decimal("22.5")  # 45 × 0.50
    school = external_declare(cadre=cadre, by=staff, proof=proof(), **declaration())
    external_decide(record=school, by=staff, decision=Decision.APPROVE)  # 50, in full
    archive = client_as(Role.STAFF).get(cadre.get_absolute_url()).context["archive"]
    row = year_row(archive, 2024)
    assert (row.college, row.external, row.hours) == (9, 40, 49)  # 72.5 capped at 40
    # The compliance list counts the same.
    listed = stats.compliance_list(year=2024).get(pk=cadre.pk)
    assert (listed.college_hours, listed.external_hours, listed.hours) == (9, 40, 49)
    # A rate changed later does not change hours already credited (recognised then).
    CollegeSettings(online_hours_rate=Decimal("1.00")).save()
    online.refresh_from_db()
    assert online.hours_credited == Decimal("22.5")


def test_the_college_settings_refuse_a_rate_out_of_range(client_as):
    response = client_as(Role.ADMIN).post(
        reverse("admin:college_collegesettings_add"),
        {"certificate_date": "class_end", "online_hours_rate": "1.5", "external_hours_cap": ""},
    )
    assert response.status_code == 200
    assert "online_hours_rate" in response.context["adminform"].form.errors
    assert not CollegeSettings.objects.exists()


def test_compliance_and_statistics_show_college_and_external_hours(college, users, settings):
    settings.LUODI_ANNUAL_HOURS_TARGETS = {"secretary": 20}
    staff = users[Role.STAFF]
    below = stats.hours_compliance(Scope(first=2024, last=2024))
    secretaries = next(r for r in below if r["post"] == "secretary")
    assert secretaries["below_target"] == secretaries["below_target_college_only"] == 4
    record = external_declare(
        cadre=college.cadres_dalian[0], by=staff, proof=proof(), **declaration()
    )
    external_decide(record=record, by=staff, decision=Decision.APPROVE)
    after = next(r for r in stats.hours_compliance(Scope(first=2024, last=2024)))
    assert (after["below_target"], after["below_target_college_only"]) == (3, 4)
    call_command("check_figures", verbosity=0)  # the cached figures agree with the records


def test_the_five_year_target_counts_college_and_external_hours_of_five_years(college, users):
    """The four secretaries have 6 to 9 hours at the college in 2024. A five-year target of
    10: all four below; 50 party-school hours of 2022 lift one above it, in the list and the
    figure. The yearly cap applies year by year, as in the archive."""
    CollegeSettings(
        annual_hours_targets={"secretary": 5}, five_year_hours_targets={"secretary": 10}
    ).save()
    scope = Scope(first=2024, last=2024)
    row = next(r for r in stats.hours_compliance(scope) if r["post"] == "secretary")
    assert (row["below_target"], row["five_year_target"], row["below_five_year_target"]) == (
        0,
        10,
        4,
    )
    staff = users[Role.STAFF]
    cadre = college.cadres_dalian[0]
    record = external_declare(
        cadre=cadre,
        by=staff,
        proof=proof(),
        **declaration(start_date=dt.date(2022, 4, 1), end_date=dt.date(2022, 4, 5)),
    )
    external_decide(record=record, by=staff, decision=Decision.APPROVE)  # 50 hours in 2022
    listed = stats.compliance_list(year=2024).get(pk=cadre.pk)
    assert (listed.hours, listed.five_year_hours, listed.below_five_years) == (9, 59, False)
    row = next(r for r in stats.hours_compliance(scope) if r["post"] == "secretary")
    assert row["below_five_year_target"] == 3
    # Years before the five are left out: for 2029 (2025–2029), neither 2022 nor 2024 counts.
    assert stats.compliance_list(year=2029).get(pk=cadre.pk).five_year_hours == 0
    # A yearly cap of 20 applies to 2022 alone: 9 + 20.
    settings_row = CollegeSettings.load()
    settings_row.external_hours_cap = Decimal(20)
    settings_row.save()
    assert stats.compliance_list(year=2024).get(pk=cadre.pk).five_year_hours == 29
    archive = personal_archive(cadre)
    assert archive.five_years.hours == 29
    call_command("check_figures", verbosity=0)


def _workbook(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "姓名", "身份证号码", "课程名称", "平台", "完成时间", "获得学时"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile("学习记录.xlsx", data.getvalue())


def _import(file, by):
    kind = kinds.get("external")
    table = import_services.read_table(kind, file, check_file(file))
    return import_services.commit(kind, table, options={"training_class": None}, by=by)


def test_a_platforms_export_is_imported_as_approved_hours_once(college, users):
    staff = users[Role.STAFF]
    CollegeSettings(online_hours_rate=Decimal("0.50")).save()
    a, b = college.cadres_dalian[0], college.cadres_shenyang[0]
    rows = [
        [1, a.name, a.id_number, "基层治理能力提升专题", "辽宁干部在线学习网", "2024-05-10", 20],
        [
            2,
            b.name,
            b.id_number,
            "基层治理能力提升专题",
            "辽宁干部在线学习网",
            "2024-05-12",
            "8学时",
        ],
    ]
    plan = _import(_workbook(rows), staff)
    assert plan.problems == []
    assert [o.action for o in plan.outcomes] == ["create", "create"]
    record = ExternalTraining.objects.get(cadre=a)
    assert (record.status, record.source, record.kind, record.hours_credited) == (
        ExternalStatus.APPROVED,
        ExternalSource.IMPORTED,
        ExternalKind.ONLINE,
        Decimal(10),
    )
    assert record.start_date == record.end_date == dt.date(2024, 5, 10)
    again = _import(_workbook(rows), staff)
    assert [o.action for o in again.outcomes] == ["unchanged", "unchanged"]
    assert ExternalTraining.objects.count() == 2
    assert audit.recent("import.external")[-1]["details"]["recorded"] == "2"


def test_an_export_with_a_bad_row_writes_nothing(college, users):
    a = college.cadres_dalian[0]
    rows = [
        [1, a.name, a.id_number, "专题一", "在线学习网", "2024-05-10", 20],
        [2, a.name, a.id_number, "专题二", "在线学习网", "2099-05-10", 8],
        [3, "某某", "210202198001011234", "专题三", "在线学习网", "2024-05-10", 8],
        [4, a.name, a.id_number, "专题四", "在线学习网", "2024-05-10", "很多"],
        [5, a.name, a.id_number, "专题一", "在线学习网", "2024-05-10", 20],
    ]
    plan = _import(_workbook(rows), users[Role.STAFF])
    reasons = {(p.row, p.reason) for p in plan.problems}
    assert (3, "Declare training once it has ended.") in reasons
    assert any(row == 4 and "ID number" not in reason for row, reason in reasons)
    assert (6, "the same course as row 2") in reasons
    assert {row for row, _r in reasons} == {3, 4, 5, 6}
    assert not ExternalTraining.objects.exists()
