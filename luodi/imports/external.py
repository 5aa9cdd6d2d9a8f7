"""Importing training hours a cadre earned outside the college, as an online-learning platform
(网络学院) or a district party school exports them: one row per cadre per course.

The platform's record is the proof: the rows are recorded as approved (学时认定 by the staff
member who imports them) and credited by the college's rules (an online course at the college's
rate). A row already on record for its cadre (same organiser, title and first day) is left
unchanged, so an export imported again adds nothing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.college.models import CollegeSettings
from luodi.imports.base import CREATE, UNCHANGED, Column, Outcome, Plan, Progress, Row
from luodi.imports.cadres import check_trainee, known_cadres, trainee_columns
from luodi.imports.history import parse_hours
from luodi.imports.kinds import ImportKind, register
from luodi.lib import audit, personal
from luodi.lib.office_values import OfficeValueError, clean_text, parse_date, parse_id_number
from luodi.training.models import ExternalKind, ExternalTraining
from luodi.training.services.external import check_dates_and_hours, external_import_row

_KINDS = {
    ExternalKind.PARTY_SCHOOL: ("党校", "党校培训", "党校班"),
    ExternalKind.ONLINE: ("网络", "网络培训", "网络学院", "在线", "线上", "网课", "online"),
    ExternalKind.CIVIL_AFFAIRS: ("民政", "民政培训", "民政系统"),
    ExternalKind.OTHER: ("其他", "其它", "other"),
}
_KIND_BY_NAME = {name: kind for kind, names in _KINDS.items() for name in names}


def parse_kind(value: object) -> str:
    text = clean_text(value).replace(" ", "").lower()
    if text in _KIND_BY_NAME:
        return _KIND_BY_NAME[text]
    raise OfficeValueError(_("write 党校, 网络, 民政 or 其他"))


class ExternalImport(ImportKind):
    name = "external"
    label = gettext_lazy("Training hours outside the college")
    key_label = gettext_lazy("ID number and course")
    columns = (
        *trainee_columns(gettext_lazy("The cadre must be registered (import the cadres first).")),
        Column(
            "title",
            gettext_lazy("name of the training"),
            ("课程名称", "培训名称", "培训项目", "课程", "班次名称"),
            True,
            example="基层治理能力提升专题",
        ),
        Column(
            "organiser",
            gettext_lazy("organiser"),
            ("主办单位", "举办单位", "培训机构", "课程来源", "平台"),
            True,
            example="辽宁干部在线学习网",
        ),
        Column(
            "kind",
            gettext_lazy("kind of training"),
            ("培训类型", "培训形式", "类型"),
            note=gettext_lazy("党校, 网络, 民政 or 其他; empty: 网络 (online)."),
            example="网络",
        ),
        Column(
            "start_date",
            gettext_lazy("first day"),
            ("开始日期", "开始时间", "学习开始时间", "培训开始日期"),
            note=gettext_lazy("Empty: the same as the last day."),
            example="2026-03-02",
        ),
        Column(
            "end_date",
            gettext_lazy("last day"),
            ("结束日期", "完成日期", "完成时间", "结束时间", "培训结束日期"),
            True,
            example="2026-03-20",
        ),
        Column(
            "hours",
            gettext_lazy("hours"),
            ("学时", "获得学时", "认定学时", "完成学时"),
            True,
            example="12",
        ),
    )

    def plan_rows(self, rows: list[Row], *, options: dict, progress: Progress) -> Plan:
        plan = Plan()
        read = []
        for row in rows:
            values = self.read(row)
            if row.problems:
                plan.problems.extend(row.problems)
            else:
                read.append((row, values))
        cadres = known_cadres([v["id_number"] for _r, v in read])
        on_record = set(
            ExternalTraining.objects.filter(cadre__in=[c.pk for c in cadres.values()]).values_list(
                "cadre_id", "organiser", "title", "start_date"
            )
        )
        seen: dict[tuple, int] = {}
        for row, v in read:
            cadre = cadres.get(v["id_number"])
            check_trainee(row, cadre)
            if cadre is None:
                plan.problems.extend(row.problems)
                continue
            key = (cadre.pk, v["organiser"], v["title"], v["start_date"])
            if key in seen:
                row.problem("title", _("the same course as row %d") % seen[key])
            seen.setdefault(key, row.number)
            if row.problems:
                plan.problems.extend(row.problems)
                continue
            label = f"{personal.mask_id_number(v['id_number'])} · {v['title']}"
            action = UNCHANGED if key in on_record else CREATE
            plan.outcomes.append(Outcome(row.number, label, action, [], (cadre.pk, v)))
        progress(len(rows), len(rows))
        return plan

    def read(self, row: Row) -> dict:
        v: dict = {
            "id_number": row.get("id_number", parse_id_number),
            "title": clean_text(row.get("title") or "")[:200],
            "organiser": clean_text(row.get("organiser") or "")[:100],
            "kind": row.get("kind", parse_kind) or ExternalKind.ONLINE,
            "end_date": row.get("end_date", parse_date),
            "hours_claimed": row.get("hours", parse_hours),
        }
        v["start_date"] = row.get("start_date", parse_date) or v["end_date"]
        if row.problems:
            return v
        try:
            check_dates_and_hours(
                kind=v["kind"],
                start_date=v["start_date"],
                end_date=v["end_date"],
                hours_claimed=v["hours_claimed"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                column = {"hours_claimed": "hours"}.get(field, field)
                for error in errors:
                    row.problem(column, error)
        return v

    def write(self, plan: Plan, *, options: dict, by, progress: Progress) -> None:
        college = CollegeSettings.load()
        new = [o for o in plan.outcomes if o.action == CREATE]
        written = 0
        for done, outcome in enumerate(new, 1):
            cadre_id, values = outcome.record
            if external_import_row(cadre_id=cadre_id, fields=values, by=by, college=college):
                written += 1
            if done % 100 == 0:
                progress(done, len(new))
        audit.record("import.external", by=by, recorded=written)


register(ExternalImport())
