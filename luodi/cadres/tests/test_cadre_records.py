import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from luodi.accounts.models import Role
from luodi.cadres.models import Cadre
from luodi.lib.personal import make_id_number

pytestmark = pytest.mark.django_db

_NUMBER = make_id_number("210202", "19820304", 222)
WRONG_CHECK_DIGIT = _NUMBER[:-1] + ("0" if _NUMBER[-1] != "0" else "1")


def _cadre(community, **kw):
    fields = {
        "name": "王芳",
        "gender": "F",
        "birth_date": dt.date(1982, 3, 4),
        "political_status": "party_member",
        "education": "bachelor",
        "id_number": _NUMBER,
        "phone": "13998765432",
        "community": community,
        "post": "director",
        "started_on": dt.date(2006, 1, 1),
    }
    return Cadre(**{**fields, **kw})


def test_it_accepts_a_valid_cadre_and_derives_pinyin(college):
    cadre = _cadre(college.communities_dalian[0])
    cadre.full_clean()
    cadre.save()
    assert (cadre.name_pinyin, cadre.name_initials) == ("wang fang", "wf")
    assert len(cadre.id_number_digest) == 64


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", WRONG_CHECK_DIGIT, "check digit"),
        ("id_number", "210202198203042", "18 characters"),
        ("phone", "1399876543", "11-digit"),
        ("phone", "02488888888", "11-digit"),
        ("gender", "M", "gender does not match"),
        ("birth_date", dt.date(1982, 3, 5), "birth date does not match"),
    ],
)
def test_it_rejects_bad_input_with_a_clear_message(college, field, value, message):
    cadre = _cadre(college.communities_dalian[0], **{field: value})
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            cadre.full_clean()
        assert message in str(exc.value.message_dict[field])


def test_it_explains_errors_in_chinese_by_default(college):
    cadre = _cadre(college.communities_dalian[0], phone="12345")
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            cadre.full_clean()
        assert "手机" in str(exc.value.message_dict["phone"])


def test_it_refuses_a_second_cadre_with_the_same_id_number(college):
    existing = college.cadres_dalian[0]
    twin = _cadre(
        college.communities_dalian[1],
        id_number=existing.id_number,
        birth_date=existing.birth_date,
        gender=existing.gender,
    )
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            twin.full_clean()
        assert "already registered" in str(exc.value.message_dict["id_number"])
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_it_refuses_a_bad_phone_in_validation(college):
    # The phone is encrypted, so the rule lives in the validator, not a database constraint.
    with pytest.raises(ValidationError) as exc:
        _cadre(college.communities_dalian[0], phone="123").full_clean()
    assert "phone" in exc.value.message_dict


def test_database_refuses_impossible_dates(college):
    with pytest.raises(IntegrityError), transaction.atomic():
        _cadre(college.communities_dalian[0], started_on=dt.date(1970, 1, 1)).save()


def test_it_finds_a_cadre_by_exact_id_number_through_the_digest(college):
    cadre = college.cadres_dalian[0]
    assert list(Cadre.objects.with_id_number(cadre.id_number.lower())) == [cadre]


def test_it_searches_by_name_pinyin_initials_and_community(client_as, college):
    client = client_as(Role.STAFF)
    url = reverse("cadres:cadre-list")
    by_initials = client.get(url, {"q": "sj"}).context["page"]
    assert [c.name for c in by_initials] == ["宋娟"]
    by_name = client.get(url, {"q": "宋"}).context["page"]
    assert [c.name for c in by_name] == ["宋娟"]
    by_community = client.get(url, {"q": "拥警"}).context["page"]
    assert "宋娟" in [c.name for c in by_community]
    by_city = client.get(url, {"city": college.shenyang.pk}).context["page"]
    assert {c.pk for c in by_city} == {c.pk for c in college.cadres_shenyang}


def test_lists_and_archives_show_masked_numbers_only(client_as, college):
    cadre = college.cadres_dalian[0]
    client = client_as(Role.STAFF)
    for url in (
        reverse("cadres:cadre-list"),
        cadre.get_absolute_url(),
        reverse("training:class-detail", args=[college.finished.pk]),
    ):
        html = client.get(url).content.decode()
        assert cadre.id_number not in html
        assert cadre.phone not in html
    assert cadre.masked_id_number in client.get(cadre.get_absolute_url()).content.decode()


def test_archive_sums_hours_per_year(client_as, college, make):
    cadre = college.cadres_dalian[0]
    later = make.training_class(college.class_type, start_date=dt.date(2025, 6, 2))
    make.session(later, college.course, college.teacher, hours=2)
    make.session(later, college.course, college.teacher, slot="afternoon", hours=3)
    absent = later.sessions.get(hours=3).pk
    make.enrol(later, cadre, attend={absent: "absent"})
    archive = client_as(Role.STAFF).get(cadre.get_absolute_url()).context["archive"]
    hours = {y.year: y.hours for y in archive.hours_by_year}
    # 2024: three sessions of 3 h attended; 2025: the 2 h session only (absent from the other)
    assert hours[2024] == 9
    assert hours[2025] == 2
    # The class in progress credits nothing until it is completed; the page shows the hours
    # attended so far beside it.
    assert hours[college.running.year] == 0
    running = next(e for e in archive.enrolments if e.training_class == college.running)
    assert running.hours_attended == 3
    assert archive.total_hours == 11


def test_archive_compares_each_year_with_the_posts_annual_target(client_as, college, settings):
    settings.LUODI_ANNUAL_HOURS_TARGETS = {"secretary": 9}
    archive = (
        client_as(Role.STAFF).get(college.cadres_dalian[0].get_absolute_url()).context["archive"]
    )
    assert archive.annual_target == 9
    met = {y.year: y.met for y in archive.hours_by_year}
    assert met[2024] is True  # 9 hours attended
    assert met[college.running.year] is False  # 3 hours so far
    settings.LUODI_ANNUAL_HOURS_TARGETS = {}
    archive = (
        client_as(Role.STAFF).get(college.cadres_dalian[0].get_absolute_url()).context["archive"]
    )
    assert archive.annual_target is None


def test_the_trainee_downloads_their_certificate_from_the_archive(client_as, college, users):
    from luodi.certificates.services import certificate_issue

    enrolment = college.finished.enrolments.get(cadre=college.cadres_dalian[0])
    certificate_issue(enrolment=enrolment, by=users[Role.STAFF])
    client = client_as(Role.TRAINEE)
    html = client.get(reverse("archive:my-archive")).content.decode()
    url = reverse("certificates:mine", args=[enrolment.pk])
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    staff_html = client_as(Role.STAFF).get(college.cadres_dalian[0].get_absolute_url())
    assert enrolment.certificate.serial in staff_html.content.decode()
