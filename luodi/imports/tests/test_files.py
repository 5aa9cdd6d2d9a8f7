"""Files as offices send them: every quirk of issue 9 §1, in committed files (make_files.py)."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from luodi.cadres.models import Cadre, Education, PoliticalStatus, Post
from luodi.imports import kinds, services
from luodi.imports.reading import check_file
from luodi.lib.uploads import Refused

ROSTERS = [
    "roster-excel.xlsx",
    "roster-libreoffice.xlsx",
    "roster.xls",
    "roster-utf8.csv",
    "roster-utf8-bom.csv",
    "roster-gbk.csv",
]
CADRES = kinds.get("cadres")


def checked(upload, name, content=None, **options):
    file = upload(name, content)
    table = services.read_table(CADRES, file, check_file(file))
    return table, services.check(CADRES, table, options=options)


@pytest.mark.parametrize("name", ROSTERS)
def test_every_saved_form_of_the_roster_reads_the_same(upload, college, name):
    table, plan = checked(upload, name)
    assert table.header == (0 if name.endswith(".csv") else 2)  # a title and a note above
    assert plan.problems == []
    assert [o.action for o in plan.outcomes] == ["create"] * 4
    values = {o.record["name"]: o.record for o in plan.outcomes}
    wang, li, zhao, sun = (values[n] for n in ("王丽", "李强", "赵敏", "孙伟"))
    # Ideographic and stray spaces, full-width digits.
    assert zhao["id_number"].isascii()
    # Dates: a date cell, 2008.9, 20150301, 2016-3-1; birth dates from the ID number.
    assert wang["started_on"] == dt.date(2012, 6, 1)
    assert li["started_on"] == dt.date(2008, 9, 1)
    assert zhao["started_on"] == dt.date(2015, 3, 1)
    assert sun["started_on"] == dt.date(2016, 3, 1)
    assert wang["birth_date"] == dt.date(1985, 3, 15)
    # Phones with spaces, dashes, +86, and as a number cell.
    assert [v["phone"] for v in (wang, li, zhao, sun)] == [
        "13904110027",
        "13904110028",
        "13904110029",
        "13904110030",
    ]
    # Variants: 党员, 本科学历, a combined post, 汉 for 汉族, 网格员.
    assert li["political_status"] == PoliticalStatus.PARTY_MEMBER
    assert wang["education"] == Education.BACHELOR
    assert wang["post"] == Post.SECRETARY
    assert zhao["post"] == Post.GRID_WORKER
    assert wang["ethnicity"] == "汉族"
    # Places written loosely: 大连/中山/拥警 and 测试2社区居委会.
    home = college.communities_dalian
    assert {wang["community"], zhao["community"], sun["community"]} == {home[0].pk}
    assert li["community"] == home[1].pk


def test_missing_communities_are_created_only_when_asked(upload, college):
    _table, plan = checked(upload, "roster-new-community.xlsx")
    assert {p.row for p in plan.problems} == {4, 5}
    table, plan = checked(upload, "roster-new-community.xlsx", create_communities=True)
    assert plan.problems == []
    services.commit(CADRES, table, options={"create_communities": True}, by=None)
    qian, chen = Cadre.objects.get(name="钱进"), Cadre.objects.get(name="陈红")
    assert qian.community == chen.community  # 桃源 and 桃源社区 are one community
    assert qian.community.name == "桃源社区"
    assert qian.community.street.name == "桃源街道"
    assert qian.community.district.name == "中山区"
    assert qian.community.code.startswith(qian.community.street.code)


def test_an_update_changes_only_what_differs_and_an_empty_cell_changes_nothing(upload, college):
    table, _plan = checked(upload, "roster-excel.xlsx")
    services.commit(CADRES, table, options={}, by=None)
    wang = Cadre.objects.get(name="王丽")
    rows = [list(r) for r in table.rows]
    rows[3][8] = "网格员"  # her post, in the file
    rows[3][14] = ""  # no phone in this file: keep the one on record
    plan = services.check(CADRES, services.Table("", rows, 2, table.mapping), options={})
    actions = {o.record[0].name if o.action != "create" else "": o for o in plan.outcomes}
    assert actions["王丽"].action == "update"
    assert actions["王丽"].changes == ["post"]
    assert [o.action for o in plan.outcomes].count("unchanged") == 3
    services.commit(CADRES, services.Table("", rows, 2, table.mapping), options={}, by=None)
    wang.refresh_from_db()
    assert (wang.post, wang.phone) == (Post.GRID_WORKER, "13904110027")


def test_a_crash_mid_import_leaves_nothing(upload, college, monkeypatch):
    table, _plan = checked(upload, "roster-new-community.xlsx", create_communities=True)
    before = (Cadre.objects.count(), college.streets[0].children.count())

    def crash(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Cadre.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError):
        services.commit(CADRES, table, options={"create_communities": True}, by=None)
    from luodi.regions.models import Community, Region

    assert (Cadre.objects.count(), college.streets[0].children.count()) == before
    assert not Region.objects.filter(name="桃源街道").exists()
    assert not Community.objects.filter(name="桃源社区").exists()


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_formula_cells_are_read_as_their_saved_values_never_run(upload, college):
    """A formula cell reads as the value the spreadsheet saved with it; a formula saved with no
    value (as a script writes one) reads as empty: Luodi never evaluates a formula."""
    content = _xlsx(
        [
            ["姓名", "身份证号", "社区"],
            ['=HYPERLINK("http://x","张三")', "=1+1", "=A1"],
            ["李四", "=2+2", "拥警"],
        ]
    )
    table, plan = checked(upload, "formula.xlsx", content)
    assert table.rows[1:] == [["", "", ""], ["李四", "", "拥警"]]
    assert [(p.column, p.reason) for p in plan.problems] == [("ID number", "required, but empty")]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("roster.xlsx", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "extension"),
        ("roster.xlsm", b"PK\x03\x04", "macros"),
        ("roster.csv", b"PK\x03\x04" + b"\0" * 100, "extension"),
        ("roster.pdf", b"%PDF-1.4", "kind"),
        ("roster.xlsx", b"", "empty"),
        ("roster.csv", b"\xff\xfe" + "姓名\x00".encode("utf-16-le"), "binary"),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_a_reason(db, upload, name, content, code):
    file = upload(name, content)
    with pytest.raises(Refused) as refused:
        services.read_table(CADRES, file, check_file(file))
    assert refused.value.code == code


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(db, upload, settings):
    settings.LUODI_IMPORT_MAX_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/workbook.xml", "<workbook/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(Refused) as refused:
        check_file(upload("bomb.xlsx", out.getvalue()))
    assert refused.value.code == "zip_bomb"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""


def test_billion_laughs_is_not_expanded(db, upload):
    """The shared strings of a workbook declare nested entities: read without expanding them
    (a refusal or the literal text), never a gigabyte of memory."""
    out = io.BytesIO()
    plain = io.BytesIO(_xlsx([["姓名", "身份证号"], ["x", "y"]]))
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", BILLION_LAUGHS)
    file = upload("laughs.xlsx", out.getvalue())
    try:
        table = services.read_table(CADRES, file, check_file(file))
    except ValidationError:
        return  # refused: fine
    assert all(len(str(c)) < 1000 for row in table.rows for c in row)


def test_a_sheet_over_the_row_limit_is_refused(db, upload, settings):
    settings.LUODI_IMPORT_MAX_ROWS = 10
    content = _xlsx([["姓名", "身份证号"]] + [["张三", "x"]] * 100)
    with pytest.raises(Refused) as refused:
        checked(upload, "big.xlsx", content)
    assert refused.value.code == "too_many_rows"


def test_a_file_naming_no_known_column_is_refused_at_once(db, upload):
    with pytest.raises(Refused) as refused:
        checked(upload, "other.xlsx", _xlsx([["甲", "乙"], [1, 2]]))
    assert refused.value.code == "no_header"


def test_the_date_a_cadre_took_up_their_post_is_read_and_checked(upload, college):
    table, _plan = checked(upload, "roster-excel.xlsx")
    rows = [
        [*list(r), v]
        for r, v in zip(
            table.rows, ["", "", "任现职时间", "2021.11", "", "2001-01-01", ""], strict=True
        )
    ]
    mapping = {**table.mapping, 16: "post_since"}
    plan = services.check(CADRES, services.Table("", rows, 2, mapping), options={})
    assert [(p.row, p.reason) for p in plan.problems] == [
        (6, "before the cadre started community work")
    ]
    del rows[5]
    services.commit(CADRES, services.Table("", rows, 2, mapping), options={}, by=None)
    assert Cadre.objects.get(name="王丽").post_since == dt.date(2021, 11, 1)
    assert Cadre.objects.get(name="李强").post_since is None


def test_an_import_reports_its_progress_from_checking_to_writing(upload, college):
    table, _plan = checked(upload, "roster-excel.xlsx")
    calls = []
    services.commit(CADRES, table, options={}, by=None, progress=lambda d, t: calls.append((d, t)))
    fractions = [done / total for done, total in calls]
    assert fractions == sorted(fractions)
    assert fractions[0] <= 0.5 < fractions[-1] == 1
