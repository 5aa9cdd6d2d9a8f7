"""Importing communities and their profiles from a city's list as its office keeps it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from luodi.accounts.models import Role
from luodi.imports import kinds, services
from luodi.imports.models import ImportRun, ImportStatus
from luodi.imports.reading import CSV, read_sheets
from luodi.imports.tests.conftest import FILES
from luodi.lib import audit, uploads
from luodi.regions.models import Community, PartyOrgType, Region, RegionLevel

KIND = kinds.get("communities")


@pytest.fixture
def staff(users):
    return users[Role.STAFF]


def _table(name: str):
    with (FILES / name).open("rb") as file:
        return services.read_table(KIND, file, uploads.XLSX)


def _problems(plan) -> dict[tuple[int, str], tuple[str, str]]:
    return {(p.row, p.column): (p.value, p.reason) for p in plan.problems}


def test_an_office_list_is_read_under_its_title_with_loose_names_and_counts(college):
    table = _table("communities-office.xlsx")
    assert (table.sheet, table.header) == ("社区基本情况", 2)
    assert "备注" not in {KIND.column(f).header for f in table.mapping.values()}

    plan = services.check(KIND, table, options={})

    assert plan.problems == []
    counts = plan.counts()
    assert (counts["rows"], counts["create"], counts["update"], counts["unchanged"]) == (7, 4, 2, 1)
    by_row = {o.row: o for o in plan.outcomes}
    assert (by_row[4].key, by_row[4].action) == ("210202001001", "update")
    assert set(by_row[4].changes) == {
        "households",
        "residents",
        "buildings",
        "party_members",
        "party_org_type",
        "address",
    }
    assert (by_row[5].key, by_row[5].action) == ("210202001002", "unchanged")
    assert by_row[6].key == "210202001003"  # after the street's 001 and 002
    # The new street takes the code its community has in the file; its code-less
    # communities are numbered after that one.
    assert by_row[9].key == "210202005001"
    assert (by_row[8].key, by_row[10].key) == ("210202005002", "210202005003")
    assert not Community.objects.filter(name="友好社区").exists()  # a check writes nothing


def test_importing_it_writes_the_profiles_the_new_street_and_communities(college, staff):
    plan = services.commit(KIND, _table("communities-office.xlsx"), options={}, by=staff)

    assert plan.counts()["create"] == 4
    yongjing = Community.objects.get(code="210202001001")
    assert (
        yongjing.households,
        yongjing.residents,
        yongjing.buildings,
        yongjing.party_members,
        yongjing.party_org_type,
        yongjing.address,
    ) == (2860, 7450, 42, 236, PartyOrgType.COMMITTEE, "中山区青泥洼桥路1号")
    street = Region.objects.get(code="210202005")
    assert (street.name, street.level, street.parent) == (
        "桃源街道",
        RegionLevel.STREET,
        college.streets[0].parent,
    )
    chunguang = Community.objects.get(code="210202005001")
    assert (chunguang.name, chunguang.households, chunguang.residents) == ("春光社区", 12000, 31000)
    assert chunguang.party_org_type == PartyOrgType.COMMITTEE
    assert (chunguang.street, chunguang.district, chunguang.city) == (
        street,
        street.parent,
        college.dalian,
    )
    chunliu = Community.objects.get(code="210202005003")
    assert (chunliu.name, chunliu.party_org_type) == ("春柳社区", PartyOrgType.BRANCH)
    youhao = Community.objects.get(code="210202001003")
    assert (youhao.name, youhao.party_org_type, youhao.households) == (
        "友好社区",
        PartyOrgType.GENERAL_BRANCH,
        1800,
    )
    taiyuan = college.communities_shenyang[0]
    taiyuan.refresh_from_db()
    assert (taiyuan.households, taiyuan.residents, taiyuan.party_members) == (1500, 4500, 120)
    details = audit.recent("import.communities")[-1]["details"]
    assert (details["created"], details["updated"], details["streets_created"]) == ("4", "2", "1")


def test_importing_the_same_file_again_changes_nothing(college, staff):
    services.commit(KIND, _table("communities-office.xlsx"), options={}, by=staff)
    before = list(Community.objects.values_list("code", "updated_at"))

    again = services.commit(KIND, _table("communities-office.xlsx"), options={}, by=staff)

    assert again.problems == []
    assert again.counts()["unchanged"] == 7
    assert not again.changes_anything
    assert list(Community.objects.values_list("code", "updated_at")) == before
    assert Region.objects.filter(level=RegionLevel.STREET).count() == 3


def test_each_problem_names_row_column_value_and_reason(college):
    plan = services.check(KIND, _table("communities-errors.xlsx"), options={})
    problems = _problems(plan)

    assert problems[(5, "district")] == ("西岗", "no such district in 大连市")
    assert problems[(6, "city")] == ("铁岭", "no such city")
    assert problems[(7, "party members")] == ("5000", "more than the residents (3000)")
    assert problems[(8, "code")] == ("21020200100", "not a 12-digit code")
    assert problems[(9, "community")] == ("测试2", "the community with this code is 拥警社区")
    assert problems[(10, "community")] == ("", "required, but empty")
    assert problems[(11, "households")] == ("约两千", "not a number")
    assert problems[(11, "party organisation")] == ("党小组", "not 党委, 党总支 or 党支部")
    assert problems[(12, "street")] == ("", "needed for a new community, but empty")
    assert problems[(14, "community")] == ("友好社区", "the same community as row 13")
    assert problems[(15, "code")] == (
        "210202001009",
        "does not begin with the code of 和平区 (210102)",
    )
    assert (4, "community") not in problems  # the first row is fine …
    assert len(plan.problems) == 11


def test_a_row_with_a_problem_means_nothing_is_written(college, staff):
    communities = Community.objects.count()

    plan = services.commit(KIND, _table("communities-errors.xlsx"), options={}, by=staff)

    assert plan.problems
    assert Community.objects.count() == communities  # … but is not imported alone
    assert not Community.objects.filter(name="安乐社区").exists()
    assert audit.recent("import.communities") == []


def test_more_party_members_than_residents_is_reported_for_an_update_too(college):
    """The file lowers the residents below the party members the records hold."""
    rows = [["社区名称", "区", "街道", "人口"], ["拥警", "中山", "青泥洼桥", "100"]]
    plan = KIND.plan(rows, 0, {0: "name", 1: "district", 2: "street", 3: "residents"}, options={})
    assert _problems(plan)[(2, "party members")] == ("", "more than the residents (100)")


def test_a_checks_queries_do_not_grow_with_its_rows(college, django_assert_max_num_queries):
    header = ["市", "区", "街道", "社区", "户数", "人口", "党员数"]
    mapping = dict(enumerate(["city", "district", "street", "name", "households", "residents"]))
    mapping[6] = "party_members"
    few = [header] + [["大连", "中山", "新街", f"新{n}", 10, 30, 3] for n in range(3)]
    many = [header] + [["大连", "中山", f"新街{n % 7}", f"新{n}", 10, 30, 3] for n in range(300)]
    many += [["大连", "中山", "青泥洼桥", "拥警", 10, 30, 3], ["沈阳", "和平", "太原街", "测试3"]]
    with django_assert_max_num_queries(4) as few_queries:
        KIND.plan(few, 0, mapping, options={})
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        plan = KIND.plan(many, 0, mapping, options={})
    assert plan.counts()["create"] == 300


def test_more_rows_than_a_batch_are_numbered_and_written(college, staff):
    header = ["区", "街道", "社区", "户数"]
    rows = [header] + [["中山", f"新街{n % 3}", f"新{n}", n] for n in range(1500)]
    mapping = {0: "district", 1: "street", 2: "name", 3: "households"}
    plan = KIND.plan(rows, 0, mapping, options={})
    KIND.write(plan, options={}, by=staff, progress=lambda done, total: None)
    assert Community.objects.filter(district=college.streets[0].parent).count() == 1502
    assert sorted(
        Region.objects.filter(name__startswith="新街").values_list("code", flat=True)
    ) == ["210202002", "210202003", "210202004"]


def test_the_template_has_the_headers_offices_use_and_reads_back(client_as, college):
    response = client_as(Role.STAFF).get(reverse("imports:template", args=["communities"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [
        "市",
        "区",
        "所属街道",
        "社区名称",
        "社区代码",
        "户数",
        "人口",
        "楼栋数",
        "党员数",
        "党组织类型",
        "地址",
    ]
    notes = workbook.worksheets[1]
    also = {row[0].value: row[2].value for row in notes.iter_rows(min_row=2)}
    assert "常住人口" in also["人口"]
    assert "街道（乡镇）" in also["所属街道"]
    # The example row is itself importable (a new street and community under 中山区).
    plan = KIND.plan(
        [header, [c.value for c in sheet[2]]], 0, dict(enumerate(_fields())), options={}
    )
    assert plan.problems == []
    assert plan.counts()["create"] == 1


def _fields():
    return [c.field for c in KIND.columns]


def test_a_csv_list_with_other_header_names_is_read(college):
    text = "城市,区县,所属街道,社区,代码,居民人数,党员数量,党组织类型\n"
    text += "大连市,中山区,青泥洼桥街道,拥警社区,210202001001,3000,120,党支部\n"
    sheet = read_sheets(io.BytesIO(text.encode("gb18030")), CSV)[0]
    table = KIND.detect(sheet.rows)
    assert table is not None
    plan = KIND.plan(sheet.rows, *table, options={})
    assert plan.problems == []
    assert [o.action for o in plan.outcomes] == ["unchanged"]


def test_staff_import_a_community_list_through_the_pages(client_as, upload, college):
    client = client_as(Role.STAFF)
    client.post(
        reverse("imports:index"),
        {"kind": "communities", "file": upload("communities-office.xlsx")},
    )
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.CHECKED
    assert (run.summary["create"], run.summary["update"], run.summary["new_communities"]) == (
        4,
        2,
        0,
    )
    assert run.can_import
    client.post(reverse("imports:commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert Community.objects.filter(name="春柳社区").exists()


def test_two_new_communities_cannot_share_a_code(college):
    rows = [
        ["区", "街道", "社区", "代码"],
        ["中山", "青泥洼桥", "甲", "210202001050"],
        ["中山", "青泥洼桥", "乙", "210202001050"],
    ]
    plan = KIND.plan(rows, 0, {0: "district", 1: "street", 2: "name", 3: "code"}, options={})
    assert _problems(plan) == {(3, "code"): ("210202001050", "the same code as row 2")}


def test_a_failure_while_writing_leaves_nothing_behind(college, staff, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("luodi.imports.communities.audit.record", fail)
    regions, communities = Region.objects.count(), Community.objects.count()

    with pytest.raises(RuntimeError):
        services.commit(KIND, _table("communities-office.xlsx"), options={}, by=staff)

    assert (Region.objects.count(), Community.objects.count()) == (regions, communities)
    assert Community.objects.get(code="210202001001").households == 1000


def test_the_command_imports_the_list_then_finds_nothing_to_change(college, users):
    out = io.StringIO()
    call_command(
        "import_records", "communities", str(FILES / "communities-office.xlsx"), stdout=out
    )
    assert "7 rows: 4 new, 2 to update, 1 unchanged, 0 with problems. Imported." in out.getvalue()
    out = io.StringIO()
    call_command(
        "import_records", "communities", str(FILES / "communities-office.xlsx"), stdout=out
    )
    assert "7 unchanged" in out.getvalue()
    assert "Nothing to change." in out.getvalue()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command(
            "import_records", "communities", str(FILES / "communities-errors.xlsx"), stdout=out
        )
