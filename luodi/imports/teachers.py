"""Importing teachers into the faculty pool (师资库): the college's list of full-time and
part-time teachers, with their units, titles, expertise and political review.

A teacher is identified by their name and source unit (two teachers of one name in one unit
are not told apart by a file; the records are then corrected by hand). A known teacher is
updated with the columns the file has (an empty cell changes nothing; an expertise cell
replaces the teacher's expertise); a new one needs a kind (专职/兼职). A passed or failed
review needs its date, as the records require.
"""

import re
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.faculty.models import ExpertiseTag, ReviewStatus, Teacher, TeacherKind, TitleBand
from luodi.faculty.services import review_record
from luodi.imports.base import CREATE, UNCHANGED, UPDATE, Column, Outcome, Plan, Progress, Row
from luodi.imports.kinds import ImportKind, register
from luodi.lib import audit, pinyin
from luodi.lib.office_values import (
    OfficeValueError,
    clean_text,
    parse_date,
    parse_mobile,
    split_list,
)

BATCH = 1000
# Fields compared with a known teacher's (expertise separately: it is a set of tags).
COMPARED = ("kind", "title", "phone", "bio")
OPTIONAL = ("title", "phone", "bio")  # a new teacher's
# The review columns become a political review record (``faculty.services.review_record``),
# never written onto the teacher directly.
REVIEW = ("review_status", "reviewed_on")
_NOT_LATIN = r"[^\x00-\x7f]"


def _text(limit: int):
    def parse(value: object) -> str:
        text = clean_text(value)
        if len(text) > limit:
            raise OfficeValueError(_("longer than %(limit)s characters") % {"limit": limit})
        return text

    return parse


def _name(value: object) -> str:
    """A name; spaces between Chinese characters (王　丽) are padding, not part of it."""
    text = re.sub(rf"(?<={_NOT_LATIN}) (?={_NOT_LATIN})", "", clean_text(value))
    if len(text) > 30:
        raise OfficeValueError(_("longer than 30 characters"))
    return text


def _unit_key(unit: str) -> str:
    return re.sub(r"\s", "", unit)


_KINDS = {
    **dict.fromkeys(
        ("专职", "全职", "专任", "校内", "专职教师", "专任教师"), TeacherKind.FULL_TIME
    ),
    **dict.fromkeys(
        ("兼职", "外聘", "特聘", "客座", "校外", "兼职教师", "外聘教师", "特聘教师"),
        TeacherKind.PART_TIME,
    ),
    **{str(label): value for value, label in TeacherKind.choices},
}


def parse_kind(value: object) -> str:
    text = re.sub(r"\s", "", clean_text(value))
    found = _KINDS.get(text) or _KINDS.get(re.sub(r"(教师|老师|教员|讲师)$", "", text))
    if found is None:
        raise OfficeValueError(_("not 专职 or 兼职"))
    return str(found)


_REVIEWS = {
    **dict.fromkeys(
        ("通过", "已通过", "审查通过", "政审通过", "合格", "政审合格", "审查合格", "是"),
        ReviewStatus.PASSED,
    ),
    **dict.fromkeys(
        ("未通过", "不通过", "没通过", "不合格", "政审不合格", "审查未通过", "否"),
        ReviewStatus.FAILED,
    ),
    **dict.fromkeys(
        ("待审", "待审查", "待审核", "审查中", "审核中", "未审", "未审查", "待定", "待政审"),
        ReviewStatus.PENDING,
    ),
    **{str(label): value for value, label in ReviewStatus.choices},
}


def parse_review(value: object) -> str:
    text = re.sub(r"\s", "", clean_text(value))
    if text not in _REVIEWS:
        raise OfficeValueError(_("not 通过, 未通过 or 待审"))
    return str(_REVIEWS[text])


def parse_expertise(value: object) -> list[str]:
    """Tags separated by 、，, (or ；/): each at most 30 characters, each once."""
    tags = list(dict.fromkeys(split_list(value)))
    if any(len(tag) > 30 for tag in tags):
        raise OfficeValueError(_("a field of expertise is longer than 30 characters"))
    return tags


def _bio(value: object) -> str:
    """A biography keeps its line breaks; each line is cleaned."""
    lines = (clean_text(line) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


class TeacherImport(ImportKind):
    name = "teachers"
    label = gettext_lazy("Teachers")
    key_label = gettext_lazy("full name and source unit")
    columns = (
        Column(
            "name",
            gettext_lazy("full name"),
            ("姓名", "教师姓名", "师资姓名", "名字"),
            True,
            example="刘建华",
        ),
        Column(
            "kind",
            gettext_lazy("kind"),
            ("类别", "教师类别", "师资类别", "类型", "专兼职", "专/兼职", "专职/兼职", "聘任类型"),
            note=gettext_lazy(
                "专职 or 兼职 (外聘 and 特聘 count as 兼职). Needed for a new teacher."
            ),
            example="兼职",
        ),
        Column(
            "source_unit",
            gettext_lazy("source unit"),
            ("来源单位", "工作单位", "所在单位", "单位", "单位名称", "派出单位"),
            True,
            gettext_lazy(
                "With the name, it tells teachers apart: write it the same way each time."
            ),
            "大连市委党校",
        ),
        Column(
            "title",
            gettext_lazy("professional title"),
            ("职称", "专业技术职务", "技术职称", "职务职称", "职务/职称"),
            example="教授",
        ),
        Column(
            "phone",
            gettext_lazy("mobile phone"),
            ("手机号码", "手机", "手机号", "联系电话", "电话", "联系方式", "移动电话"),
            example="13904110101",
            personal=True,
        ),
        Column(
            "expertise",
            gettext_lazy("expertise"),
            ("擅长领域", "专长", "研究专长", "研究方向", "授课专长", "专业特长", "擅长专题"),
            note=gettext_lazy(
                "Separated by 、 or commas. Replaces the teacher's expertise; new fields are added."
            ),
            example="基层党建、社区治理",
        ),
        Column(
            "review_status",
            gettext_lazy("political review"),
            ("政审情况", "政审结果", "政治审查", "政审", "政审状态", "政治审查结果", "政审意见"),
            note=gettext_lazy("通过, 未通过 or 待审; only a teacher who passed may be scheduled."),
            example="通过",
        ),
        Column(
            "reviewed_on",
            gettext_lazy("reviewed on"),
            ("政审日期", "政审时间", "审查日期", "审查时间", "政审通过时间"),
            note=gettext_lazy("Needed when the review is 通过 or 未通过."),
            example="2025-03-18",
        ),
        Column(
            "bio",
            gettext_lazy("biography"),
            ("个人简介", "简介", "教师简介", "个人简历", "简历"),
            example="长期从事基层党建研究。",
        ),
    )

    def read(self, row: Row) -> dict[str, Any]:
        """The row's values, parsed; what is wrong with them is in ``row.problems``."""
        return {
            "name": row.get("name", _name),
            "kind": row.get("kind", parse_kind),
            "source_unit": row.get("source_unit", _text(100)),
            "title": row.get("title", _text(50)),
            "phone": row.get("phone", parse_mobile),
            "expertise": row.get("expertise", parse_expertise),
            "review_status": row.get("review_status", parse_review),
            "reviewed_on": row.get("reviewed_on", parse_date),
            "bio": row.get("bio", _bio),
        }

    def plan_rows(self, rows: list[Row], *, options: dict, progress: Progress) -> Plan:
        plan = Plan()
        read: list[tuple[Row, dict]] = []
        first_row: dict[tuple[str, str], int] = {}
        for i, row in enumerate(rows, 1):
            values = self.read(row)
            if values["name"] and values["source_unit"]:
                key = (values["name"], _unit_key(values["source_unit"]))
                if key in first_row:
                    row.problem("name", _("the same teacher as row %d") % first_row[key])
                else:
                    first_row[key] = row.number
            if not row.problems:
                read.append((row, values))
            if i % 500 == 0:
                progress(i, len(rows))
        known = self.known([values for _row, values in read])
        for row, values in read:
            found = known.get((values["name"], _unit_key(values["source_unit"])), [])
            if len(found) > 1:
                row.problem(
                    "name",
                    _("%(count)s teachers of this name and unit are in the records")
                    % {"count": len(found)},
                )
                continue
            teacher = found[0] if found else None
            if teacher is None and values["kind"] is None:
                row.problem("kind", _("needed for a new teacher, but empty"))
                continue
            status = values["review_status"] or getattr(teacher, "review_status", None)
            reviewed_on = values["reviewed_on"] or getattr(teacher, "reviewed_on", None)
            if status not in (None, ReviewStatus.PENDING) and reviewed_on is None:
                row.problem("reviewed_on", _("a completed political review needs its date"))
                continue
            shown = f"{values['name']} · {values['source_unit']}"
            if teacher is None:
                plan.outcomes.append(Outcome(row.number, shown, CREATE, [], (None, values)))
                continue
            changes = self.changes(teacher, values)
            action = UPDATE if changes else UNCHANGED
            plan.outcomes.append(Outcome(row.number, shown, action, changes, (teacher, values)))
        for row in rows:
            plan.problems.extend(row.problems)
        tags = {tag for _row, values in read for tag in values["expertise"] or ()}
        # A set, not a list: the summary counts a list in ``extra`` as new communities.
        plan.extra["tags"] = tags - set(self.tag_ids(tags))
        progress(len(rows), len(rows))
        return plan

    @staticmethod
    def known(rows: list[dict]) -> dict[tuple[str, str], list[Teacher]]:
        """The teachers of these names (with their expertise), in queries of ``BATCH``."""
        names = sorted({values["name"] for values in rows})
        found: dict[tuple[str, str], list[Teacher]] = defaultdict(list)
        for start in range(0, len(names), BATCH):
            teachers = Teacher.objects.filter(name__in=names[start : start + BATCH])
            for teacher in teachers.prefetch_related("expertise"):
                found[(teacher.name, _unit_key(teacher.source_unit))].append(teacher)
        return found

    @staticmethod
    def tag_ids(names: set[str]) -> dict[str, int]:
        ordered = sorted(names)
        ids: dict[str, int] = {}
        for start in range(0, len(ordered), BATCH):
            tags = ExpertiseTag.objects.filter(name__in=ordered[start : start + BATCH])
            ids.update(tags.values_list("name", "pk"))
        return ids

    @staticmethod
    def review_of(teacher: Teacher | None, values: dict) -> tuple[str, Any] | None:
        """The review the row records (result, date), or None: none given, pending, or the
        one the teacher's latest review already is."""
        status = values["review_status"]
        if status in (None, ReviewStatus.PENDING):
            return None
        day = values["reviewed_on"] or getattr(teacher, "reviewed_on", None)
        if teacher is not None and (teacher.review_status, teacher.reviewed_on) == (status, day):
            return None
        return status, day

    @classmethod
    def changes(cls, teacher: Teacher, values: dict) -> list[str]:
        changed = [
            f for f in COMPARED if values[f] is not None and getattr(teacher, f) != values[f]
        ]
        if cls.review_of(teacher, values):
            changed.append("review_status")
        tags = values["expertise"]
        if tags and {t.name for t in teacher.expertise.all()} != set(tags):
            changed.append("expertise")
        return changed

    def write(self, plan: Plan, *, options: dict, by, progress: Progress) -> None:
        with transaction.atomic():
            new_tags = sorted(plan.extra.get("tags", ()))
            ExpertiseTag.objects.bulk_create([ExpertiseTag(name=n) for n in new_tags])
            new: list[Teacher] = []
            updated: list[Teacher] = []
            relinked: list[tuple[Teacher, list[str]]] = []  # teachers whose expertise is set
            reviewed: list[tuple[Teacher, tuple[str, Any]]] = []
            fields: set[str] = {"updated_at"}
            for outcome in plan.outcomes:
                teacher, values = outcome.record
                review = self.review_of(teacher, values)
                if outcome.action == CREATE:
                    teacher = Teacher(
                        **{f: values[f] for f in ("name", "kind", "source_unit")},
                        **{f: values[f] for f in OPTIONAL if values[f] is not None},
                    )
                    teacher.name_pinyin = pinyin.full(teacher.name)  # what save() would do
                    teacher.title_band = TitleBand.for_title(teacher.title)
                    new.append(teacher)
                elif outcome.action == UPDATE:
                    for f in outcome.changes:
                        if f not in ("expertise", *REVIEW):
                            setattr(teacher, f, values[f])
                            fields.add(f)
                    updated.append(teacher)
                else:
                    continue
                if review:
                    reviewed.append((teacher, review))
                if values["expertise"] and (
                    outcome.action == CREATE or "expertise" in outcome.changes
                ):
                    relinked.append((teacher, values["expertise"]))
            total = len(new) + len(updated)
            for start in range(0, len(new), BATCH):
                Teacher.objects.bulk_create(new[start : start + BATCH])
                progress(min(start + BATCH, len(new)), total)
            if updated:
                now = timezone.now()
                for teacher in updated:
                    teacher.updated_at = now
                Teacher.objects.bulk_update(updated, sorted(fields), batch_size=BATCH)
            self.link_expertise(relinked)
            for teacher, (status, day) in reviewed:  # after the teachers exist
                review_record(teacher=teacher, date=day, result=status, by=by)
            progress(total, total)
            audit.record(
                "import.teachers",
                by=by,
                created=len(new),
                updated=len(updated),
                tags_created=len(new_tags),
            )

    def link_expertise(self, relinked: list[tuple[Teacher, list[str]]]) -> None:
        """Each teacher's expertise as the file lists it, replacing what they had."""
        if not relinked:
            return
        ids = self.tag_ids({tag for _teacher, tags in relinked for tag in tags})
        through = Teacher.expertise.through
        teachers = [teacher.pk for teacher, _tags in relinked]
        for start in range(0, len(teachers), BATCH):
            through.objects.filter(teacher_id__in=teachers[start : start + BATCH]).delete()
        links = [
            through(teacher_id=teacher.pk, expertisetag_id=ids[tag])
            for teacher, tags in relinked
            for tag in tags
        ]
        through.objects.bulk_create(links, batch_size=BATCH)


register(TeacherImport())
