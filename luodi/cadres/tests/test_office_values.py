"""A cadre file's headers and values as offices write them (issue 9's import)."""

import pytest

from luodi.cadres.models import Education, Gender, PoliticalStatus, Post
from luodi.cadres.office_values import (
    field_for_header,
    parse_education,
    parse_gender,
    parse_political_status,
    parse_post,
)
from luodi.lib.office_values import OfficeValueError


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("身份证号", "id_number"),
        ("身份证号码", "id_number"),
        ("公民身份号码", "id_number"),
        ("身份证号码（18位）", "id_number"),
        (" 身份证号： ", "id_number"),
        ("联系电话", "phone"),
        ("手机", "phone"),
        ("手机号码", "phone"),
        ("出生年月", "birth_date"),
        ("出生日期", "birth_date"),
        ("现任职务", "post"),
        ("职务", "post"),
        ("区（县）", "district"),
        ("*姓名", "name"),
        ("备注", None),
    ],
)
def test_headers_are_recognised_the_way_offices_name_them(header, field):
    assert field_for_header(header) == field


@pytest.mark.parametrize(
    ("cell", "value"),
    [("男", Gender.MALE), (" 女 ", Gender.FEMALE), ("男性", Gender.MALE), ("F", Gender.FEMALE)],
)
def test_genders(cell, value):
    assert parse_gender(cell) == value


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("中共党员", PoliticalStatus.PARTY_MEMBER),
        ("党员", PoliticalStatus.PARTY_MEMBER),
        ("中共预备党员", PoliticalStatus.PROBATIONARY),
        ("共青团员", PoliticalStatus.LEAGUE_MEMBER),
        ("九三学社", PoliticalStatus.DEMOCRATIC_PARTY),
        ("群众", PoliticalStatus.MASSES),
    ],
)
def test_political_status_in_its_common_variants(cell, value):
    assert parse_political_status(cell) == value


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("本科", Education.BACHELOR),
        ("大学本科学历", Education.BACHELOR),
        ("大专毕业", Education.COLLEGE),
        ("硕士研究生", Education.POSTGRADUATE),
        ("中专", Education.SECONDARY),
        ("初中及以下", Education.JUNIOR),
    ],
)
def test_education(cell, value):
    assert parse_education(cell) == value


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("党委书记、居委会主任", Post.SECRETARY),
        ("居委会主任，党委副书记", Post.DEPUTY_SECRETARY),
        ("社区党支部书记", Post.SECRETARY),
        ("居委会委员", Post.COMMITTEE_MEMBER),
        ("网格员", Post.GRID_WORKER),
        ("社区专职工作者", Post.OTHER),
    ],
)
def test_posts_including_combined_ones(cell, value):
    assert parse_post(cell) == value


@pytest.mark.parametrize(
    ("parse", "cell"),
    [
        (parse_gender, "未知"),
        (parse_political_status, "党外"),
        (parse_education, "大学肄业"),
        (parse_post, ""),
    ],
)
def test_an_unknown_value_is_refused_with_a_reason(parse, cell):
    with pytest.raises(OfficeValueError) as refused:
        parse(cell)
    assert refused.value.reason
