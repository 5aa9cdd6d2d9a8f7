"""The college's settings: one row, defaults until saved, changed by administrators only."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.college.documents import college_name
from luodi.college.models import CertificateDate, CollegeSettings

pytestmark = pytest.mark.django_db


def test_defaults_until_an_administrator_saves_them(settings):
    college = CollegeSettings.load()
    assert college.pk == 1
    assert college._state.adding
    assert college.certificate_date == CertificateDate.CLASS_END
    assert college_name() == "辽宁社区干部学院"  # the configured name, in Chinese
    CollegeSettings(name="沈阳市社区干部学院").save()
    assert college_name() == "沈阳市社区干部学院"


def test_there_is_only_ever_one_row():
    CollegeSettings(name="甲").save()
    CollegeSettings(name="乙").save()
    assert list(CollegeSettings.objects.values_list("pk", "name")) == [(1, "乙")]


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_edit_them_in_the_admin(client_as, role):
    CollegeSettings(name="甲").save()
    client = client_as(role)
    url = reverse("admin:college_collegesettings_change", args=[1])
    response = client.get(url)
    if role == Role.ADMIN:
        assert response.status_code == 200
        response = client.post(
            url, {"name": "乙", "certificate_date": "issued", "online_hours_rate": "1.00"}
        )
        assert response.status_code == 302
        college = CollegeSettings.load()
        assert (college.name, college.certificate_date) == ("乙", CertificateDate.ISSUED)
        # nobody deletes it, and no second one is added
        assert client.get(reverse("admin:college_collegesettings_add")).status_code == 403
        assert (
            client.get(reverse("admin:college_collegesettings_delete", args=[1])).status_code == 403
        )
    else:
        assert response.status_code in (302, 403)
        assert CollegeSettings.load().name == "甲"
