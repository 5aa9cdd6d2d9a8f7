"""Any province's division tree from GB/T 2260 (``manage.py load_regions``): created once,
brought up to date by code, refused whole when the database disagrees."""

import io

import pytest
from django.core.management import CommandError, call_command

from luodi.lib import audit
from luodi.regions import gb2260
from luodi.regions.models import Community, Region, RegionLevel

pytestmark = pytest.mark.django_db


def _load(province: str) -> str:
    out = io.StringIO()
    call_command("load_regions", province=province, stdout=out)
    return out.getvalue()


def test_a_name_in_use_now_is_the_one_without_an_end_year():
    assert gb2260.current_name("[1983-2013]东陵区,[2014-]浑南区") == "浑南区"
    assert gb2260.current_name("[-1980]旅大市,[1981-]大连市") == "大连市"
    assert gb2260.current_name("沈阳市") == "沈阳市"
    assert gb2260.current_name("[-2016]辽中县") is None
    assert gb2260.provinces()["21"] == "辽宁省"
    assert len(gb2260.provinces()) == 34


def test_liaoning_loads_its_14_cities_and_100_districts_once():
    assert "辽宁省: 14 cities and 100 districts; 115 created, 0 updated" in _load("21")
    province = Region.objects.get(code="210000")
    assert (province.name, province.level, province.parent) == ("辽宁省", "province", None)
    cities = Region.objects.cities()
    assert cities.count() == 14
    assert {c.parent_id for c in cities} == {province.pk}
    dalian = Region.objects.get(code="210200")
    assert dalian.name == "大连市"
    assert set(dalian.children.values_list("name", flat=True)) >= {"中山区", "金州区", "庄河市"}
    # The current names only: 东陵区 became 浑南区 in 2014; 辽中县 is now 辽中区.
    assert Region.objects.get(code="210112").name == "浑南区"
    assert not Region.objects.filter(name__in=["东陵区", "辽中县", "旅大市"]).exists()
    assert Region.objects.filter(level=RegionLevel.DISTRICT).count() == 100

    assert "0 created, 0 updated, 115 unchanged" in _load("21")
    assert Region.objects.count() == 115
    assert audit.recent("regions.load")[-1]["details"]["created"] == "0"


def test_a_renamed_district_keeps_its_row_and_its_communities(make):
    _load("21")
    district = Region.objects.get(code="210112")
    district.name = "东陵区"  # as loaded before 2014
    district.save()
    street = Region.objects.create(
        code="210112001", name="某街道", level=RegionLevel.STREET, parent=district
    )
    community = Community.objects.create(code="210112001001", name="某社区", street=street)
    assert "0 created, 1 updated" in _load("21")
    district.refresh_from_db()
    assert district.name == "浑南区"
    assert Community.objects.get(pk=community.pk).street.parent == district


def test_another_province_and_a_municipality_load_the_same_way():
    assert "广东省: 21 cities" in _load("44")
    assert Region.objects.get(code="440300").name == "深圳市"
    _load("11")
    beijing = Region.objects.get(code="110100")  # "市辖区" stands where a city would
    assert (beijing.name, beijing.level, beijing.parent.name) == ("北京市", "city", "北京市")
    assert Region.objects.get(code="110108").parent == beijing  # 海淀区


def test_an_unknown_province_or_a_disagreeing_database_is_refused_whole():
    with pytest.raises(CommandError, match="no province 99"):
        _load("99")
    with pytest.raises(CommandError, match="--province"):
        call_command("load_regions", stdout=io.StringIO())
    province = Region.objects.create(code="210000", name="辽宁省", level=RegionLevel.PROVINCE)
    # 210200 held here as a district of a city of another code: the table says a city.
    city = Region.objects.create(code="219900", name="某市", level="city", parent=province)
    Region.objects.create(code="210200", name="大连", level=RegionLevel.DISTRICT, parent=city)
    with pytest.raises(CommandError, match="210200"):
        _load("21")
    assert Region.objects.count() == 3  # nothing written


def test_the_provinces_are_listed():
    out = io.StringIO()
    call_command("load_regions", show=True, stdout=out)
    assert "21  辽宁省" in out.getvalue()
