"""Object rules for a class: who may run, plan or read the documents of one class.

Which enrolments (roster rows, attendance, results) a user sees is one QuerySet method,
``Enrolment.objects.visible_to(user)``; these rules decide what a user may do with a class.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, Reach, has_perm, reach
from luodi.jobs.kinds import JobError
from luodi.training.models import TrainingClass


def may_run_class(user, training_class) -> bool:
    """Head teachers run their own classes only; staff and administrators run every class."""
    if not has_perm(user, Perm.RUN_CLASSES):
        return False
    if reach(user) == Reach.ALL:
        return True
    return bool(user.teacher_id) and training_class.head_teacher_id == user.teacher_id


def may_run_session(user, session) -> bool:
    """A session's check-in screen, roll call and courseware: whoever runs its class, and the
    teacher who teaches it (their own sessions only; the class's other pages stay the head
    teacher's)."""
    if may_run_class(user, session.training_class):
        return True
    return (
        has_perm(user, Perm.TEACH_SESSIONS)
        and bool(user.teacher_id)
        and session.teacher_id == user.teacher_id
    )


def may_read_class_records(user, training_class) -> bool:
    """A class's attendance, read only: whoever runs the class, and supervisors (every class)."""
    return may_run_class(user, training_class) or (
        has_perm(user, Perm.READ_CLASS_RECORDS) and reach(user) == Reach.ALL
    )


def may_read_timetable(user, training_class) -> bool:
    """A class's whole timetable: everyone who reads classes, and a trainee their own classes."""
    if has_perm(user, Perm.VIEW_CLASSES):
        return True
    return (
        has_perm(user, Perm.TRAINEE_SELF)
        and bool(user.cadre_id)
        and training_class.enrolments.of_user(user).holding_seats().exists()
    )


def may_plan_class(user, training_class) -> bool:
    """Planning is college-wide: whoever plans classes plans every class."""
    return has_perm(user, Perm.PLAN_CLASSES)


def may_read_archive(user, training_class) -> bool:
    """The class archive (一期一档): planning staff for every class, a head teacher for theirs,
    supervisors (read only) for every class."""
    return may_plan_class(user, training_class) or may_read_class_records(user, training_class)


def class_of_job(job):
    """The class a document job is about, loaded for printing; None once it is gone."""
    return (
        TrainingClass.objects.select_related("class_type", "head_teacher")
        .filter(pk=job.parameters.get("class_id"))
        .first()
    )


def class_to_print(job) -> TrainingClass:
    """The class a document job prints; a refusal the user reads when it is gone."""
    training_class = class_of_job(job)
    if training_class is None:
        raise JobError(_("The class no longer exists."))
    return training_class


def job_rule(policy):
    """The ``may_use`` of a document job about a class: whoever ``policy`` lets at the class."""

    def may_use(user, job) -> bool:
        training_class = class_of_job(job)
        return training_class is not None and policy(user, training_class)

    return may_use


def class_for(user, pk: int, rule: Callable) -> TrainingClass:
    """The class ``pk`` for a page guarded by ``rule(user, class)``, loaded for its title:
    404 when there is no such class, 403 when the rule refuses the user."""
    training_class = get_object_or_404(
        TrainingClass.objects.select_related("class_type", "head_teacher"), pk=pk
    )
    if not rule(user, training_class):
        raise PermissionDenied
    return training_class


def may_read_reflection(user, reflection) -> bool:
    """A reflection and its attachment: whoever may read its class's records, and the trainee
    who wrote it."""
    enrolment = reflection.enrolment
    if may_read_class_records(user, enrolment.training_class):
        return True
    return (
        has_perm(user, Perm.TRAINEE_SELF)
        and bool(user.cadre_id)
        and enrolment.cadre_id == user.cadre_id
    )
