"""Importing past classes with their trainees and results, so that a college's earlier years
are counted with the ones Luodi ran.

One row per trainee per class. A class is named by its title as the college writes it
("2019年第3期社区党组织书记培训班") or by its class type and term number, with its dates; it is
created archived (held) with the trainees' results: completed with the hours credited, or not
completed. A class Luodi ran itself (it has sessions) is never changed by an import: its results
come from its own records. Trainees must be registered cadres (import the cadres first); their
city and community are taken as they are now, the file having no record of earlier ones.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.cadres import office_values as cadre_values
from luodi.imports.base import CREATE, UNCHANGED, UPDATE, Column, Outcome, Plan, Progress, Row
from luodi.imports.cadres import BATCH, check_trainee, known_cadres, trainee_columns
from luodi.imports.kinds import ImportKind, register
from luodi.lib import audit, personal
from luodi.lib.office_values import OfficeValueError, clean_text, parse_date, parse_id_number
from luodi.training.models import (
    HELD_STATUSES,
    SEAT_STATUSES,
    ClassStatus,
    ClassType,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)
from luodi.training.services import seats

H = cadre_values.HEADERS
_TITLE = re.compile(r"(?P<year>\d{4})年?(度)?第?(?P<term>\d+)期(?P<type>.+)")
_COMPLETED = {"结业", "已结业", "合格", "是", "完成", "通过", "completed", "yes"}
_NOT_COMPLETED = {"未结业", "不合格", "否", "未完成", "未通过", "not completed", "no"}


def parse_term(value: object) -> int:
    text = clean_text(value).replace(" ", "")
    match = re.fullmatch(r"第?(\d{1,3})期?", text)
    if not match or int(match[1]) < 1:
        raise OfficeValueError(_("not a term number"))
    return int(match[1])


def parse_result(value: object) -> str:
    text = clean_text(value).replace(" ", "").lower()
    if text in _COMPLETED:
        return EnrolmentStatus.COMPLETED
    if text in _NOT_COMPLETED:
        return EnrolmentStatus.NOT_COMPLETED
    raise OfficeValueError(_("write 结业 or 未结业"))


def parse_hours(value: object) -> Decimal:
    text = clean_text(value).replace(" ", "").removesuffix("学时")
    try:
        hours = Decimal(text)
    except InvalidOperation as exc:
        raise OfficeValueError(_("not a number of hours")) from exc
    if not Decimal(0) <= hours <= Decimal(500) or hours != hours.quantize(Decimal("0.1")):
        raise OfficeValueError(_("not a number of hours"))
    return hours


@dataclass
class NewClass:
    class_type: ClassType
    year: int
    term: int
    start_date: object
    end_date: object
    venue: str
    rows: list[int] = field(default_factory=list)


class HistoryImport(ImportKind):
    name = "history"
    label = gettext_lazy("Past classes and results")
    key_label = gettext_lazy("Class and ID number")
    columns = (
        Column(
            "class_title",
            gettext_lazy("class"),
            ("班次", "班次名称", "培训班名称", "培训班", "班级名称"),
            note=gettext_lazy(
                "The full title, e.g. 2019年第3期社区党组织书记培训班; "
                "or fill in the class type and term."
            ),
            example="2019年第3期社区党组织书记培训班",
        ),
        Column(
            "class_type", gettext_lazy("class type"), ("班型", "班次类型", "培训班类型"), example=""
        ),
        Column("term", gettext_lazy("term number"), ("期次", "期数", "期别"), example=""),
        Column(
            "start_date",
            gettext_lazy("start date"),
            ("开班日期", "开始日期", "开班时间", "培训开始日期"),
            True,
            example="2019-05-06",
        ),
        Column(
            "end_date",
            gettext_lazy("end date"),
            ("结业日期", "结束日期", "结业时间", "培训结束日期"),
            True,
            example="2019-05-10",
        ),
        Column(
            "venue", gettext_lazy("venue"), ("培训地点", "地点", "举办地点"), example="学院本部"
        ),
        *trainee_columns(gettext_lazy("The trainee must be registered as a cadre.")),
        Column(
            "result",
            gettext_lazy("result"),
            ("结业情况", "是否结业", "培训结果", "考核结果", "结果"),
            True,
            gettext_lazy("结业 or 未结业."),
            "结业",
        ),
        Column(
            "hours",
            gettext_lazy("hours credited"),
            ("获得学时", "学时", "培训学时", "认定学时"),
            note=gettext_lazy("Needed when the trainee completed the class."),
            example="30",
        ),
    )

    def plan_rows(self, rows: list[Row], *, options: dict, progress: Progress) -> Plan:
        plan = Plan()
        types = {clean_text(t.name).replace(" ", ""): t for t in ClassType.objects.all()}
        existing = {
            (c.class_type_id, c.year, c.term): c
            for c in TrainingClass.objects.select_related("class_type").prefetch_related("sessions")
        }
        new_classes: dict[tuple, NewClass] = {}
        read = []
        for row in rows:
            values = self.read(row, types)
            if row.problems:
                plan.problems.extend(row.problems)
            else:
                read.append((row, values))
        cadres = known_cadres([v["id_number"] for _r, v in read], related=("community",))
        seen: dict[tuple, int] = {}
        planned = []
        for row, v in read:
            key = (v["class_type"].pk, v["year"], v["term"])
            cadre = cadres.get(v["id_number"])
            check_trainee(row, cadre)
            training_class: TrainingClass | NewClass | None = existing.get(key)
            if isinstance(training_class, TrainingClass):
                if training_class.sessions.all() or training_class.status not in HELD_STATUSES:
                    row.problem(
                        "class_title",
                        _("this class was run in Luodi; its results are recorded there"),
                        value=training_class.title,
                    )
                elif (training_class.start_date, training_class.end_date) != (
                    v["start_date"],
                    v["end_date"],
                ):
                    row.problem(
                        "start_date",
                        _("this class is on record with other dates (%s)")
                        % f"{training_class.start_date}–{training_class.end_date}",
                    )
            else:
                plan_class = new_classes.setdefault(
                    key,
                    NewClass(
                        v["class_type"],
                        v["year"],
                        v["term"],
                        v["start_date"],
                        v["end_date"],
                        v["venue"] or "—",
                    ),
                )
                if (plan_class.start_date, plan_class.end_date) != (v["start_date"], v["end_date"]):
                    row.problem("start_date", _("other rows give this class other dates"))
                training_class = plan_class
            if cadre is not None:
                if (key, cadre.pk) in seen:
                    row.problem(
                        "id_number",
                        _("this trainee is already in this class on row %d")
                        % seen[(key, cadre.pk)],
                    )
                seen.setdefault((key, cadre.pk), row.number)
            if row.problems or cadre is None:
                plan.problems.extend(row.problems)
                continue
            planned.append((row, v, cadre, training_class))
        held = self.held_enrolments([c for *_x, c in planned if isinstance(c, TrainingClass)])
        for row, v, cadre, training_class in planned:
            label = f"{_title(v)} · {personal.mask_id_number(v['id_number'])}"
            current = held.get((getattr(training_class, "pk", 0), cadre.pk))
            wanted = (
                v["result"],
                v["hours"] if v["result"] == EnrolmentStatus.COMPLETED else Decimal(0),
            )
            if current is None:
                plan.outcomes.append(
                    Outcome(row.number, label, CREATE, [], (training_class, cadre, wanted))
                )
            elif (current.status, current.hours_credited) == wanted:
                plan.outcomes.append(Outcome(row.number, label, UNCHANGED))
            else:
                changes = ["result"] if current.status != wanted[0] else ["hours"]
                plan.outcomes.append(Outcome(row.number, label, UPDATE, changes, (current, wanted)))
        plan.extra["classes"] = list(new_classes.values())
        progress(len(rows), len(rows))
        return plan

    def read(self, row: Row, types: dict) -> dict:
        v: dict = {
            "id_number": row.get("id_number", parse_id_number),
            "result": row.get("result", parse_result),
            "hours": row.get("hours", parse_hours, required=False),
            "start_date": row.get("start_date", parse_date),
            "end_date": row.get("end_date", parse_date),
            "venue": clean_text(row.raw("venue"))[:100],
        }
        title = clean_text(row.raw("class_title")).replace(" ", "")
        match = _TITLE.fullmatch(title) if title else None
        if title and not match:
            row.problem("class_title", _("write it as 2019年第3期 followed by the class type"))
        type_name = match["type"] if match else clean_text(row.raw("class_type")).replace(" ", "")
        term = int(match["term"]) if match else row.get("term", parse_term, required=not title)
        if not title and not type_name:
            row.problem("class_type", _("give the class's title, or its class type and term"))
        v["class_type"] = types.get(type_name)
        if type_name and v["class_type"] is None:
            row.problem(
                "class_type" if not title else "class_title",
                _("no class type of this name: add it in the admin first"),
                value=type_name,
            )
        v["term"] = term
        if v["start_date"] and v["end_date"]:
            v["year"] = v["start_date"].year
            if v["end_date"] < v["start_date"]:
                row.problem("end_date", _("before the start date"))
            if match and int(match["year"]) != v["year"]:
                row.problem("start_date", _("not in the year of the class's title"))
        if v["result"] == EnrolmentStatus.COMPLETED and v["hours"] is None and not row.problems:
            row.problem("hours", _("needed when the trainee completed the class"))
        return v

    @staticmethod
    def held_enrolments(classes: list[TrainingClass]) -> dict[tuple[int, int], Enrolment]:
        ids = list({c.pk for c in classes})
        found = {}
        for start in range(0, len(ids), BATCH):
            for e in Enrolment.objects.filter(training_class_id__in=ids[start : start + BATCH]):
                found[(e.training_class_id, e.cadre_id)] = e
        return found

    def write(self, plan: Plan, *, options: dict, by, progress: Progress) -> None:
        created_classes = {}
        for new in plan.extra.get("classes", []):
            created_classes[id(new)] = TrainingClass.objects.create(
                class_type=new.class_type,
                year=new.year,
                term=new.term,
                start_date=new.start_date,
                end_date=new.end_date,
                venue=new.venue,
                capacity=max(
                    1, sum(1 for o in plan.outcomes if o.action == CREATE and o.record[0] is new)
                ),
                status=ClassStatus.ARCHIVED,
            )
        enrolments, updated = [], []
        for outcome in plan.outcomes:
            if outcome.action == CREATE:
                training_class, cadre, (status, hours) = outcome.record
                training_class = created_classes.get(id(training_class), training_class)
                enrolments.append(
                    Enrolment(
                        training_class=training_class,
                        cadre=cadre,
                        status=status,
                        hours_credited=hours,
                        nominated_by=by,
                        result_reason=_("imported"),
                        **Enrolment.place_of(cadre),
                    )
                )
            elif outcome.action == UPDATE:
                enrolment, (status, hours) = outcome.record
                enrolment.status, enrolment.hours_credited = status, hours
                updated.append(enrolment)
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        Enrolment.objects.bulk_update(updated, ["status", "hours_credited"], batch_size=BATCH)
        touched = {e.training_class_id for e in enrolments} | {e.training_class_id for e in updated}
        classes = TrainingClass.objects.filter(pk__in=touched)
        # A past class holds everyone the file lists for it.
        listed = Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATUSES))
        for c in classes.annotate(listed=listed).filter(listed__gt=F("capacity")):
            TrainingClass.objects.filter(pk=c.pk).update(capacity=c.listed)
        seats.recount(classes)
        progress(1, 1)
        audit.record(
            "import.history",
            by=by,
            classes=len(created_classes),
            enrolments=len(enrolments),
            updated=len(updated),
        )


def _title(v: dict) -> str:
    return f"{v['year']}年第{v['term']}期{v['class_type'].name}"


register(HistoryImport())
