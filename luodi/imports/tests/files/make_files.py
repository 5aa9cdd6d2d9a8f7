"""How the test files beside this script were made (run once by hand; the files are committed).

    .venv/bin/python luodi/imports/tests/files/make_files.py [communities teachers]

A roster as a district's organization department sends it: a merged title row and a note row
above the header, office header names, loosely written places, dates in four forms, phones with
spaces, dashes and +86, full-width digits, ideographic spaces, a combined post. The .xlsx saved
by openpyxl stands for Excel; LibreOffice (``soffice --convert-to``) saves the same workbook
again as .xlsx and as .xls, as offices using WPS or LibreOffice send them. The CSV files hold
the same rows in UTF-8 with and without a BOM and in GB18030 (GBK).
"""

import csv
import datetime as dt
import io
import shutil
import subprocess  # nosec B404 # a developer's script, run by hand
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
from luodi.lib.personal import make_id_number

HERE = Path(__file__).parent
IDEO = chr(0x3000)  # ideographic space
HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "身份证号码",
    "政治面貌",
    "文化程度",
    "现任职务",
    "参加社区工作时间",
    "所在市",
    "所在区",
    "所在街道",
    "社区名称",
    "手机号码",
    "备注",
]


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


ROSTER = [
    [
        1,
        f"王{IDEO}丽",
        "女",
        "汉",
        "1985.03",
        make_id_number("210202", "19850315", 2),
        "中共党员",
        "本科学历",
        "党委书记、居委会主任",
        dt.date(2012, 6, 1),
        "大连",
        "中山",
        "青泥洼桥",
        "拥警",
        "139 0411 0027",
        "",
    ],
    [
        2,
        "李强",
        "男",
        "满族",
        "1979年11月",
        make_id_number("210202", "19791102", 3),
        "党员",
        "大专",
        "副书记",
        "2008.9",
        "大连市",
        "中山区",
        "青泥洼桥街道",
        "测试2社区居委会",
        "139-0411-0028",
        "新任",
    ],
    [
        3,
        " 赵敏 ",
        "女",
        "汉族",
        31048,
        fullwidth(make_id_number("210202", "19850101", 4)),
        "群众",
        "高中",
        "网格员",
        "20150301",
        "大连",
        "中山区",
        "青泥洼桥",
        "拥警社区",
        "+86 13904110029",
        "",
    ],
    [
        4,
        "孙伟",
        "男",
        "汉族",
        "1990-5-1",
        make_id_number("210202", "19900501", 5),
        "共青团员",
        "大学本科",
        "委员",
        "2016-3-1",
        "大连市",
        "中山",
        "青泥洼桥街道",
        "拥警",
        13904110030,
        "",
    ],
]


def roster_workbook(rows, header=HEADER, title="大连市中山区社区干部花名册（2026年）") -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([f"填报单位：中山区委组织部{IDEO * 4}填报日期：2026年11月"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=4, min_col=6, max_col=6):
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    return workbook


def main() -> None:
    roster_workbook(ROSTER).save(HERE / "roster-excel.xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        for target, name in (("xlsx", "roster-libreoffice.xlsx"), ("xls", "roster.xls")):
            subprocess.run(  # nosec B603 B607 # a developer's script
                [
                    "soffice",
                    "--headless",
                    "--convert-to",
                    target,
                    "--outdir",
                    tmp,
                    str(HERE / "roster-excel.xlsx"),
                ],
                check=True,
                capture_output=True,
            )
            shutil.move(Path(tmp) / f"roster-excel.{target}", HERE / name)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    for row in ROSTER:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    (HERE / "roster-utf8.csv").write_bytes(text.getvalue().encode("utf-8"))
    (HERE / "roster-utf8-bom.csv").write_bytes(text.getvalue().encode("utf-8-sig"))
    (HERE / "roster-gbk.csv").write_bytes(text.getvalue().encode("gb18030"))

    errors = [
        # An ID number Excel stored as a number: its last digits are gone.
        [
            1,
            "周平",
            "男",
            "汉族",
            "",
            float(make_id_number("210202", "19800101", 7)[:17] + "1"),
            "党员",
            "本科",
            "书记",
            "2010-01-01",
            "大连",
            "中山",
            "青泥洼桥",
            "拥警",
            "",
            "",
        ],
        # A community the province does not have.
        [
            2,
            "吴芳",
            "女",
            "汉族",
            "",
            make_id_number("210202", "19800202", 8),
            "党员",
            "本科",
            "主任",
            "2010-01-01",
            "大连",
            "中山",
            "桃源",
            "桃源",
            "",
            "",
        ],
        # The gender and birth month disagree with the ID number; the phone is too short.
        [
            3,
            "郑洁",
            "男",
            "汉族",
            "1980.04",
            make_id_number("210202", "19800303", 10),
            "党员",
            "本科",
            "主任",
            "2010-01-01",
            "大连",
            "中山",
            "青泥洼桥",
            "拥警",
            "1390411",
            "",
        ],
        # The same person twice.
        [
            4,
            "王丽",
            "女",
            "汉族",
            "",
            make_id_number("210202", "19850315", 2),
            "党员",
            "本科",
            "书记",
            "2012-06-01",
            "大连",
            "中山",
            "青泥洼桥",
            "拥警",
            "",
            "",
        ],
        [
            5,
            "王丽",
            "女",
            "汉族",
            "",
            make_id_number("210202", "19850315", 2),
            "党员",
            "本科",
            "书记",
            "2012-06-01",
            "大连",
            "中山",
            "青泥洼桥",
            "拥警",
            "",
            "",
        ],
        # No name, and a political status nobody uses.
        [
            6,
            "",
            "女",
            "汉族",
            "",
            make_id_number("210202", "19800404", 12),
            "积极分子",
            "本科",
            "书记",
            "2010-01-01",
            "大连",
            "中山",
            "青泥洼桥",
            "拥警",
            "",
            "",
        ],
    ]
    roster_workbook(errors).save(HERE / "roster-errors.xlsx")
    new_place = [
        [
            1,
            "钱进",
            "男",
            "汉族",
            "",
            make_id_number("210202", "19820707", 13),
            "党员",
            "本科",
            "书记",
            "2011-01-01",
            "大连",
            "中山",
            "桃源街道",
            "桃源",
            "",
            "",
        ],
        [
            2,
            "陈红",
            "女",
            "汉族",
            "",
            make_id_number("210202", "19830808", 14),
            "党员",
            "本科",
            "主任",
            "2011-01-01",
            "大连",
            "中山",
            "桃源",
            "桃源社区",
            "",
            "",
        ],
    ]
    roster_workbook(new_place).save(HERE / "roster-new-community.xlsx")
    history_and_enrolments()
    communities()
    teachers()


def history_and_enrolments() -> None:
    """Past classes of the roster's cadres (one named by type and term instead of its title),
    and a city's list of trainees for a class, with the name column the office added."""
    wang, li, zhao, sun = (r[5] for r in ROSTER)
    title = "2019年第3期社区党组织书记培训班"
    history = [
        [1, title, "", "", dt.date(2019, 5, 6), dt.date(2019, 5, 10), "王丽", wang, "结业", 30],
        [2, title, "", "", dt.date(2019, 5, 6), dt.date(2019, 5, 10), "李强", li, "结业", "30学时"],
        [3, title, "", "", dt.date(2019, 5, 6), dt.date(2019, 5, 10), "赵敏", zhao, "未结业", ""],
        [4, "", "社区党组织书记培训班", "第1期", "2020.6.1", "2020.6.5", "孙伟", sun, "合格", 30],
    ]
    header = [
        "序号",
        "班次名称",
        "班型",
        "期次",
        "开班日期",
        "结业日期",
        "姓名",
        "身份证号码",
        "结业情况",
        "获得学时",
    ]
    roster_workbook(history, header, "历年培训学员名单").save(HERE / "history.xlsx")
    trainees = [[1, "王丽", wang], [2, "李强", li]]
    roster_workbook(trainees, ["序号", "姓名", "公民身份号码"], "大连市参训人员名单").save(
        HERE / "enrolments.xlsx"
    )


def office_workbook(sheet_name: str, title: str, note: str, header: list, rows: list) -> Workbook:
    """A list as an office keeps it: a merged title row, a merged note row, then the table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([note])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return workbook


COMMUNITY_HEADER = [
    "序号",
    "市",
    "县区",
    "街道（乡镇）",
    "社区名称",
    "社区代码",
    "居民户数",
    "常住人口",
    "楼栋数",
    "党员人数",
    "党组织设置",
    "办公地址",
    "备注",
]


def communities() -> None:
    """A city's community list (the regions of the ``college`` fixture: 大连市中山区青泥洼桥街道
    holds 拥警社区 210202001001 and 测试2社区 210202001002; 沈阳市和平区太原街街道 holds
    测试3社区 and 测试4社区, each 1000 households, 3000 residents, 20 buildings, 120 party
    members, a party branch). Counts written as offices write them; one blank row."""
    # fmt: off
    rows = [
        # Known, found by its loose name: every profile field changes.
        [1, "大连", "中山", "青泥洼桥", "拥警", "", "2,860", "7450人", 42, fullwidth("236"),
         "社区党委", "中山区青泥洼桥路1号", ""],
        # Known, found by its code: the file says what the records say.
        [2, "大连市", "中山区", "青泥洼桥街道", "测试2", "210202001002", 1000, "3000", "20",
         120, "党支部", "", ""],
        # New in a known street: numbered after the street's communities.
        [3, "大连", "中山区", "青泥洼桥", "友好社区居委会", "", "1800户", "5,120", 31, 98,
         "党总支", "中山区友好街8号", "新建"],
        [None] * 13,
        # A new street: numbered as its communities' code in the file says.
        [4, "大连", "中山", "桃源街道", "桃源", "", 2100, 6000, 35, 150, "党委", "", ""],
        [5, "大连", "中山", "桃源", "春光社区", "210202005001", "1.2万", "3.1万人", 60,
         "1,020", "中共春光社区委员会", "", ""],
        [6, "大连", "中山", "桃源街道", f"{IDEO}春 柳{IDEO}", "", 1200.0, 3600.0, 18.0, 80.0,
         "联合党支部", "", ""],
        # Known, in the other city.
        [7, "沈阳", "和平", "太原街", "测试3", "", fullwidth("1,500"), "4500", "", "", "", "",
         ""],
    ]
    errors = [
        [1, "大连", "中山", "青泥洼桥", "安乐", "", 900, 2700, 12, 60, "党支部", "", ""],
        [2, "大连", "西岗", "人民广场", "长春", "", 900, 2700, 12, 60, "党支部", "", ""],
        [3, "铁岭", "银州", "红旗", "新华", "", 900, 2700, 12, 60, "党支部", "", ""],
        [4, "大连", "中山", "青泥洼桥", "拥警", "", "", "", "", 5000, "", "", ""],
        [5, "大连", "中山", "青泥洼桥", "新华", "21020200100", "", "", "", "", "", "", ""],
        [6, "大连", "中山", "青泥洼桥", "测试2", "210202001001", "", "", "", "", "", "", ""],
        [7, "大连", "中山", "青泥洼桥", "", "", 900, 2700, 12, 60, "党支部", "", ""],
        [8, "大连", "中山", "青泥洼桥", "明珠", "", "约两千", 2700, 12, 60, "党小组", "", ""],
        [9, "大连", "中山", "", "明珠", "", 900, 2700, 12, 60, "党支部", "", ""],
        [10, "大连", "中山", "青泥洼桥", "友好", "", 900, 2700, 12, 60, "党支部", "", ""],
        [11, "大连", "中山", "青泥洼桥", "友好社区", "", 900, 2700, 12, 60, "党支部", "", ""],
        [12, "沈阳", "和平", "太原街", "北市", "210202001009", 900, 2700, 12, 60, "", "", ""],
    ]
    # fmt: on
    note = f"填报单位：大连市民政局{IDEO * 4}截至2026年10月"
    office_workbook(
        "社区基本情况", "大连市社区基本情况统计表（2026年）", note, COMMUNITY_HEADER, rows
    ).save(HERE / "communities-office.xlsx")
    office_workbook("社区基本情况", "社区基本情况统计表", note, COMMUNITY_HEADER, errors).save(
        HERE / "communities-errors.xlsx"
    )


TEACHER_HEADER = [
    "序号",
    "教师姓名",
    "专/兼职",
    "工作单位",
    "职称",
    "擅长领域",
    "联系电话",
    "政审情况",
    "政审日期",
    "个人简介",
]


def teachers() -> None:
    """The college's faculty list (the ``college`` fixture has 张平 of 东北大学, full-time,
    review passed on 2020-01-01, no title, no expertise)."""
    # fmt: off
    rows = [
        [1, f"刘{IDEO}建华", "兼职教师", "大连市委党校", "教授", "基层党建、社区治理，城市管理",
         "139 0411 0101", "合格", "2025.3.18", "长期从事基层党建研究。\n著有《社区治理》。"],
        [2, "张平", "专职", "东北大学", "副教授", "社区治理", "", "通过", dt.date(2020, 1, 1), ""],
        [3, "王海燕", "外聘", "辽宁师范大学", "讲师", "心理健康, 沟通技巧", "+86 13904110102",
         "待审", "", ""],
        [4, "陈雪", "兼职", f"中山区{IDEO}青泥洼桥街道 拥警社区", "", "社区治理、网格化管理",
         13904110103, "政审通过", 45000, ""],
        [5, "Anna Li", "兼 职", "大连外国语大学", "副教授", "", "", "", "", ""],
    ]
    errors = [
        [1, "周明", "专职", "大连市委党校", "", "", "", "", "", ""],
        [2, "", "专职", "大连市委党校", "", "", "", "", "", ""],
        [3, "吴刚", "专职", "", "", "", "", "", "", ""],
        [4, "郑洁", "临时", "大连理工大学", "", "", "", "", "", ""],
        [5, "孙丽", "兼职", "大连理工大学", "", "", "", "通过", "", ""],
        [6, "钱进", "兼职", "大连理工大学", "", "", "1390411", "", "", ""],
        [7, "冯楠", "", "大连理工大学", "", "", "", "", "", ""],
        [8, "何静", "兼职", "大连 理工大学", "", "", "", "", "", ""],
        [9, "何静", "兼职", "大连理工大学", "", "", "", "", "", ""],
        [10, "许诺", "兼职", "大连理工大学", "", "", "", "未通过", "2025-13-01", ""],
    ]
    # fmt: on
    note = f"制表：培训部{IDEO * 4}2026年11月"
    office_workbook("师资库", "大连市社区干部学院师资库名单", note, TEACHER_HEADER, rows).save(
        HERE / "teachers-office.xlsx"
    )
    office_workbook("师资库", "师资库名单", note, TEACHER_HEADER, errors).save(
        HERE / "teachers-errors.xlsx"
    )
    # The same list as an office on LibreOffice or WPS sends it: Excel 97-2003 (.xls).
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # nosec B603 B607 # a developer's script
            [
                "soffice",
                "--headless",
                "--convert-to",
                "xls",
                "--outdir",
                tmp,
                str(HERE / "teachers-office.xlsx"),
            ],
            check=True,
            capture_output=True,
        )
        shutil.move(Path(tmp) / "teachers-office.xls", HERE / "teachers.xls")


if __name__ == "__main__":
    # ``make_files.py communities teachers`` remakes only those files.
    for name in sys.argv[1:]:
        globals()[name]()
    if len(sys.argv) == 1:
        main()
