"""A class's attendance (its sessions with their marks) and its leave requests: one reading of
each for the page and its xlsx export (``jobs.exports``). Both are bounded by one class (a few
dozen sessions, a few hundred requests at most), so they are built in the request."""

from luodi.accounts.access import Perm
from luodi.jobs.exports import ListExport, register_list
from luodi.lib.documents.tables import Column, Kind
from luodi.training.models import LeaveRequest, Session, TrainingClass
from luodi.training.policies import may_read_class_records, may_run_class


def class_sessions(user, filters: dict[str, str], training_class: TrainingClass):
    """The class's sessions in timetable order, each with its attendance counts."""
    return (
        Session.objects.filter(training_class=training_class)
        .select_related("course", "teacher")
        .with_attendance_counts()
        .order_by("date", "start_time", "id")
    )


ATTENDANCE = register_list(
    ListExport(
        name="checkin.attendance-xlsx",
        title=lambda tc: f"{tc.title}考勤汇总",
        columns=[
            Column("日期", 12, lambda s: s.date, Kind.DATE),
            Column("时段", 7, lambda s: s.get_slot_display()),
            Column("时间", 13, lambda s: f"{s.start_time:%H:%M}–{s.end_time:%H:%M}"),
            Column("课程", 32, lambda s: s.course.title),
            Column("授课教师", 10, lambda s: s.teacher.name if s.teacher else ""),
            Column("学时", 7, lambda s: s.hours, Kind.HOURS),
            Column("出勤", 7, lambda s: s.present_count, Kind.NUMBER),
            Column("迟到", 7, lambda s: s.late_count, Kind.NUMBER),
            Column("请假", 7, lambda s: s.leave_count, Kind.NUMBER),
            Column("缺勤", 7, lambda s: s.absent_count, Kind.NUMBER),
        ],
        rows=class_sessions,
        url_name="checkin:class-attendance-xlsx",
        page_name="checkin:class-attendance",
        perms=(Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS),
        model=TrainingClass,
        rule=may_read_class_records,
    )
)


def class_leave_requests(user, filters: dict[str, str], training_class: TrainingClass):
    """Every leave request of the class, pending and decided, oldest first."""
    return (
        LeaveRequest.objects.filter(enrolment__training_class=training_class)
        .select_related("enrolment__cadre__community", "decided_by")
        .prefetch_related("sessions__course")
        .order_by("created_at", "id")
    )


def _sessions_text(request: LeaveRequest) -> str:
    return "；".join(
        f"{s.date:%m-%d} {s.get_slot_display()} {s.course.title}" for s in request.sessions.all()
    )


LEAVE = register_list(
    ListExport(
        name="checkin.leave-xlsx",
        title=lambda tc: f"{tc.title}请假记录",
        columns=[
            Column("姓名", 10, lambda r: r.enrolment.cadre.name),
            Column("社区", 22, lambda r: r.enrolment.cadre.community.name),
            Column("提交时间", 17, lambda r: r.created_at, Kind.DATETIME),
            Column("请假课次", 40, _sessions_text),
            Column("请假学时", 9, lambda r: sum(s.hours for s in r.sessions.all()), Kind.HOURS),
            Column("事由", 30, lambda r: r.reason),
            Column("状态", 8, lambda r: r.get_status_display()),
            Column("审批人", 10, lambda r: r.decided_by.display_name if r.decided_by else ""),
            Column("审批时间", 17, lambda r: r.decided_at, Kind.DATETIME),
            Column("审批意见", 24, lambda r: r.decision_note),
        ],
        rows=class_leave_requests,
        url_name="checkin:class-leave-xlsx",
        page_name="checkin:class-leave",
        perms=(Perm.RUN_CLASSES,),
        model=TrainingClass,
        rule=may_run_class,
    )
)
