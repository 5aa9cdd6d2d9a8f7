"""A class's attendance and leave requests as xlsx (``jobs.exports``): the rows of the pages."""

from luodi.accounts.access import Perm, requires
from luodi.checkin.lists import ATTENDANCE, LEAVE
from luodi.jobs import exports
from luodi.training.policies import class_for, may_read_class_records, may_run_class


@requires(Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_read_class_records)
def class_attendance_xlsx(request, pk: int):
    """Access: as the attendance page (whoever runs the class, a supervisor)."""
    return exports.export(request, ATTENDANCE, class_for(request.user, pk, may_read_class_records))


@requires(Perm.RUN_CLASSES, scope=may_run_class)
def class_leave_xlsx(request, pk: int):
    """Access: as the leave page (whoever runs the class)."""
    return exports.export(request, LEAVE, class_for(request.user, pk, may_run_class))
