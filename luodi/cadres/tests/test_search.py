"""Staff find a cadre by name, pinyin initials, the whole name in pinyin, community, or a full ID
or mobile number (matched through the digests, since the numbers are encrypted)."""

import pytest

from luodi.cadres.models import Cadre
from luodi.lib import pinyin

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(college, make):
    community = college.cadres_dalian[0].community
    return {
        "song": make.cadre(community, name="宋娟"),
        "zeng": make.cadre(community, name="曾国强"),
        "other": make.cadre(community, name="王小明"),
    }


def _found(text):
    return set(Cadre.objects.search(text).values_list("name", flat=True))


@pytest.mark.parametrize("text", ["songjuan", "song juan", "SongJuan", "sj", "宋娟", "宋"])
def test_a_name_is_found_by_its_pinyin_initials_or_characters(people, text):
    assert "宋娟" in _found(text)
    assert "王小明" not in _found(text)


def test_a_surname_is_read_as_a_surname(people):
    assert pinyin.full("曾国强") == "zeng guo qiang"
    assert pinyin.initials("曾国强") == "zgq"
    assert pinyin.full("单雄信") == "shan xiong xin"
    assert pinyin.full("尉迟恭") == "yu chi gong"
    assert pinyin.full("曾") == "ceng"  # the character alone is a word, not a surname
    assert "曾国强" in _found("zengguoqiang")
    assert "曾国强" in _found("zgq")
    assert "曾国强" not in _found("ceng")


def test_a_full_id_number_finds_the_cadre_and_nothing_else(people):
    number = people["song"].id_number
    assert _found(number) == {"宋娟"}
    assert _found(number[:6] + " " + number[6:]) == {"宋娟"}  # spaces as typed from a form
    assert _found(number[:17]) == set()  # a part of a number finds nobody


def test_a_full_mobile_number_finds_the_cadre(people):
    phone = people["song"].phone
    assert _found(phone) == {"宋娟"}
    assert _found(f"{phone[:3]}-{phone[3:7]}-{phone[7:]}") == {"宋娟"}


def test_the_cadre_list_searches_the_same_way(people, client_as):
    from django.urls import reverse

    response = client_as("staff").get(reverse("cadres:cadre-list"), {"q": "songjuan"})
    assert response.status_code == 200
    assert "宋娟" in response.content.decode()
    assert "王小明" not in response.content.decode()
