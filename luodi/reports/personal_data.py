"""A person's rights under the PIPL: everything Luodi holds about one cadre, as one download
(art. 45), and anonymisation that keeps the statistics whole (art. 47).

Both live in reports because they reach every layer: the cadre, their account, enrolments,
attendance, leave, reflections and certificates.
"""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from luodi.accounts.models import User
from luodi.cadres.models import Cadre
from luodi.certificates.models import Certificate
from luodi.faculty.models import Teacher
from luodi.lib import audit, pinyin
from luodi.lib.documents import xlsx
from luodi.training.models import (
    ApplicationStory,
    Attendance,
    Enrolment,
    LeaveRequest,
    Reflection,
)

# What anonymised free text reads; the row stays, so counts (reflections handed in, leave
# requests) do not change.
ANONYMISED_TEXT = "（已匿名）"
Sheet = tuple[str, tuple[str, ...], list[tuple]]


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def subject_sheets(cadre: Cadre) -> list[Sheet]:
    """Everything held about ``cadre``: (sheet title, headers, rows) per kind of record."""
    c = cadre
    profile = [
        ("姓名", c.name),
        ("性别", c.get_gender_display()),
        ("出生日期", c.birth_date),
        ("民族", c.ethnicity),
        ("政治面貌", c.get_political_status_display()),
        ("学历", c.get_education_display()),
        ("身份证号", c.id_number),
        ("手机号", c.phone),
        ("城市", c.community.city.name),
        ("社区", c.community.name),
        ("职务", c.get_post_display()),
        ("参加社区工作时间", c.started_on),
        ("任现职时间", c.post_since or ""),
        ("记录创建时间", _local(c.created_at)),
        ("记录更新时间", _local(c.updated_at)),
    ]
    enrolments = Enrolment.objects.filter(cadre=c).select_related(
        "training_class__class_type", "city", "community"
    )
    attendance = (
        Attendance.objects.filter(enrolment__cadre=c)
        .select_related("session__training_class__class_type")
        .order_by("session__date", "session__start_time")
    )
    leave = (
        LeaveRequest.objects.filter(enrolment__cadre=c)
        .select_related("enrolment__training_class__class_type")
        .prefetch_related("sessions")
    )
    reflections = Reflection.objects.filter(enrolment__cadre=c).select_related(
        "enrolment__training_class__class_type"
    )
    stories = ApplicationStory.objects.filter(cadre=c).select_related(
        "community", "training_class__class_type", "course"
    )
    certificates = Certificate.objects.filter(enrolment__cadre=c).select_related(
        "enrolment__training_class__class_type"
    )
    accounts = User.objects.filter(cadre=c)
    return [
        ("个人信息", ("项目", "内容"), profile),
        (
            "培训记录",
            ("班次", "开班", "结业", "状态", "认定学时", "提名时城市", "提名时社区", "结果说明"),
            [
                (
                    e.training_class.title,
                    e.training_class.start_date,
                    e.training_class.end_date,
                    e.get_status_display(),
                    e.hours_credited,
                    e.city.name,
                    e.community.name,
                    e.result_reason,
                )
                for e in enrolments
            ],
        ),
        (
            "考勤",
            ("班次", "日期", "时段", "考勤", "签到时间"),
            [
                (
                    a.session.training_class.title,
                    a.session.date,
                    a.session.get_slot_display(),
                    a.get_status_display(),
                    _local(a.checked_in_at),
                )
                for a in attendance
            ],
        ),
        (
            "请假",
            ("班次", "课次", "事由", "状态", "审批时间", "审批意见"),
            [
                (
                    r.enrolment.training_class.title,
                    "、".join(f"{s.date:%m-%d} {s.get_slot_display()}" for s in r.sessions.all()),
                    r.reason,
                    r.get_status_display(),
                    _local(r.decided_at),
                    r.decision_note,
                )
                for r in leave
            ],
        ),
        (
            "培训心得",
            ("班次", "提交时间", "心得"),
            [(r.enrolment.training_class.title, _local(r.created_at), r.text) for r in reflections],
        ),
        (
            "学以致用",
            ("社区", "班次", "课程", "问题", "学以致用", "成效", "仍需", "记录时间"),
            [
                (
                    x.community.name,
                    x.training_class.title if x.training_class else "",
                    x.course.title if x.course else "",
                    x.problem,
                    x.applied,
                    x.outcome,
                    x.still_needed,
                    _local(x.created_at),
                )
                for x in stories
            ],
        ),
        (
            "结业证书",
            ("班次", "证书编号", "学时", "颁发时间", "撤销时间", "撤销原因"),
            [
                (
                    x.enrolment.training_class.title,
                    x.serial,
                    x.hours,
                    _local(x.issued_at),
                    _local(x.revoked_at),
                    x.revoke_reason,
                )
                for x in certificates
            ],
        ),
        (
            "账号",
            ("用户名", "姓名", "电子邮箱", "角色", "启用", "最近登录", "注册时间"),
            [
                (
                    u.username,
                    u.get_full_name(),
                    u.email,
                    u.get_role_display(),
                    "是" if u.is_active else "否",
                    _local(u.last_login),
                    _local(u.date_joined),
                )
                for u in accounts
            ],
        ),
    ]


def subject_export(*, cadre: Cadre, by) -> bytes:
    """The person's data as an xlsx workbook, one sheet per kind of record; recorded."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in subject_sheets(cadre):
        ws = workbook.create_sheet(title)
        xlsx.set_widths(ws, [14] + [18] * (len(headers) - 1))
        header = xlsx.append_row(ws, headers, header=True)
        for row in rows:
            n = xlsx.append_row(ws, row)
            for cell in ws[n]:
                if isinstance(cell.value, date):
                    cell.number_format = xlsx.DATE_FORMAT
        xlsx.print_setup(ws, header_row=header)
    audit.record("personal.export_subject", by=by, obj=cadre)
    return xlsx.workbook_bytes(workbook)


@transaction.atomic
def anonymise_cadre(*, cadre: Cadre, by, reason: str) -> Cadre:
    """Remove what identifies ``cadre`` for good: name, ID and phone numbers (and their
    digests), exact birth and start dates (the years stay), free text they wrote, the link
    to their account (which is deactivated and renamed) and to a teacher record. Gender,
    ethnicity, community, post and every enrolment, attendance and hour stay, so figures do not
    change. Irreversible."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for anonymising this person.")})
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if cadre.is_anonymised:
        raise ValidationError(_("This person has already been anonymised."))
    name = f"已匿名 #{cadre.pk}"
    Cadre.objects.filter(pk=cadre.pk).update(
        name=name,
        name_pinyin=pinyin.full(name),
        name_initials="",
        id_number="",
        id_number_digest=f"anonymised:{secrets.token_hex(26)}",  # unique, matches nothing
        phone="",
        phone_digest="",
        birth_date=date(cadre.birth_date.year, 1, 1),
        started_on=date(cadre.started_on.year, 1, 1),
        post_since=date(cadre.post_since.year, 1, 1) if cadre.post_since else None,
        updated_at=timezone.now(),
    )
    for reflection in Reflection.objects.filter(enrolment__cadre=cadre).exclude(attachment=""):
        reflection.attachment.delete(save=False)  # a photo of a handwritten page names them
    Reflection.objects.filter(enrolment__cadre=cadre).update(
        text=ANONYMISED_TEXT, attachment="", attachment_name="", outstanding_comment=""
    )
    ApplicationStory.objects.filter(cadre=cadre).update(
        problem=ANONYMISED_TEXT,
        applied=ANONYMISED_TEXT,
        outcome=ANONYMISED_TEXT,
        still_needed="",
    )
    LeaveRequest.objects.filter(enrolment__cadre=cadre).update(reason=ANONYMISED_TEXT)
    Teacher.objects.filter(cadre=cadre).update(cadre=None)
    for user in User.objects.filter(cadre=cadre):
        user.cadre = None
        user.is_active = False
        user.username = f"anonymised-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.set_unusable_password()
        user.save()
        audit.record("user.deactivate", by=by, obj=user, why="personal.anonymise")
    audit.record("personal.anonymise", by=by, obj=cadre, reason=reason)
    cadre.refresh_from_db()
    return cadre
