"""A cadre's columns as offices name and fill them (issue 9's import reads cadre files with
these): which header names which field, and the common ways of writing a gender, a political
status, an education and a post. Cells are first cleaned by ``lib.office_values``.
"""

import re
from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.cadres.models import Education, Gender, PoliticalStatus, Post
from luodi.lib.office_values import OfficeValueError, clean_text, header_key, split_list

# Header → field. Headers are compared cleaned, without spaces, brackets or a trailing colon,
# so "身份证号码（18位）" and "身份证号：" both name ``id_number``.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "学员姓名", "干部姓名", "名字"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"),
    "phone": ("联系电话", "手机", "手机号", "手机号码", "电话", "联系方式", "移动电话"),
    "gender": ("性别",),
    "birth_date": ("出生年月", "出生日期", "出生年月日", "生日"),
    "ethnicity": ("民族",),
    "political_status": ("政治面貌", "党派"),
    "education": ("学历", "文化程度", "最高学历"),
    "post": ("现任职务", "职务", "岗位", "现职务"),
    "started_on": ("参加社区工作时间", "从事社区工作时间", "参加工作时间"),
    "post_since": ("任现职时间", "任现职务时间", "现职务任职时间", "任职时间", "任现职日期"),
    "community": ("社区", "所在社区", "社区名称", "工作单位"),
    "street": ("街道", "所在街道", "街道（乡镇）"),
    "district": ("区", "县区", "区县", "区（县）", "所在区"),
    "city": ("市", "所在市", "地市"),
}
_BY_HEADER = {header_key(h): field for field, names in HEADERS.items() for h in names}


def field_for_header(header: object) -> str | None:
    """The cadre field a column header names, or None when it is not recognised."""
    return _BY_HEADER.get(header_key(header))


def _lookup(value: object, table: Mapping[str, str], what: Promise) -> str:
    text = re.sub(r"\s", "", clean_text(value))
    if text in table:
        return str(table[text])
    raise OfficeValueError(_("not a known %(what)s") % {"what": what})


_GENDERS = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "M": Gender.MALE,
    "m": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "F": Gender.FEMALE,
    "f": Gender.FEMALE,
}
_POLITICAL = {
    **dict.fromkeys(
        ("中共党员", "党员", "中国共产党党员", "正式党员"), PoliticalStatus.PARTY_MEMBER
    ),
    **dict.fromkeys(("中共预备党员", "预备党员"), PoliticalStatus.PROBATIONARY),
    **dict.fromkeys(("共青团员", "团员", "中国共产主义青年团团员"), PoliticalStatus.LEAGUE_MEMBER),
    **dict.fromkeys(
        ("民主党派", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟"),
        PoliticalStatus.DEMOCRATIC_PARTY,
    ),
    **dict.fromkeys(("群众", "无党派", "无党派人士", "无"), PoliticalStatus.MASSES),
}
_EDUCATION = {
    **dict.fromkeys(("研究生", "硕士", "博士", "硕士研究生", "博士研究生"), Education.POSTGRADUATE),
    **dict.fromkeys(("本科", "大学本科", "大学", "学士"), Education.BACHELOR),
    **dict.fromkeys(("大专", "专科", "大学专科", "高职"), Education.COLLEGE),
    **dict.fromkeys(("高中", "中专", "中技", "职高", "技校", "高中及中专"), Education.SECONDARY),
    **dict.fromkeys(("初中", "小学", "初中及以下", "初中以下"), Education.JUNIOR),
}


def parse_gender(value: object) -> str:
    return _lookup(value, _GENDERS, gettext_lazy("gender"))


def parse_political_status(value: object) -> str:
    return _lookup(value, _POLITICAL, gettext_lazy("political status"))


def parse_education(value: object) -> str:
    text = re.sub(r"\s", "", clean_text(value))
    text = re.sub(r"(学历|毕业|在读)$", "", text)  # "本科学历", "大专毕业"
    return _lookup(text, _EDUCATION, gettext_lazy("education"))


# The posts, most senior first: a combined post ("党委书记、居委会主任") counts as the first of
# these it names, as the college's classes are planned for the senior post.
_POSTS: list[tuple[str, str]] = [
    (r"副书记", Post.DEPUTY_SECRETARY),
    (r"书记", Post.SECRETARY),
    (r"主任", Post.DIRECTOR),
    (r"委员", Post.COMMITTEE_MEMBER),
    (r"网格", Post.GRID_WORKER),
]


def parse_post(value: object) -> str:
    """The post a cell names; a combined post is its most senior part, anything else unknown is
    "other community worker" (an office's own title for a worker)."""
    parts = split_list(value)
    if not parts:
        raise OfficeValueError(_("empty"))
    found = set()
    for part in parts:
        for pattern, post in _POSTS:
            if re.search(pattern, part):
                found.add(post)
                break
    for post in (
        Post.SECRETARY,
        Post.DEPUTY_SECRETARY,
        Post.DIRECTOR,
        Post.COMMITTEE_MEMBER,
        Post.GRID_WORKER,
    ):
        if post in found:
            return post
    return Post.OTHER
