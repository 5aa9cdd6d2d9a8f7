"""Solving a draft runs as a background job: a term of classes takes up to a minute.

The job's subject is the draft; the solver's result is kept on the draft (for the page), and
the job's document is the proposal as JSON."""

import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.accounts.access import Perm, has_perm
from luodi.jobs.kinds import Document, JobError, JobKind, register
from luodi.timetabling import problem, services, solver
from luodi.timetabling.models import Draft


def time_limit(draft: Draft) -> tuple[float, float | None]:
    """Seconds the solver may take, and after how long without a better timetable it stops:
    a class is solved in seconds; a term of classes keeps improving for its whole time."""
    one, term = settings.LUODI_TIMETABLE_SECONDS
    if draft.classes.count() <= 1:
        return one, solver.ONE_CLASS_STALL
    return term, None


def build_solve(job, progress) -> Document:
    draft = Draft.objects.filter(pk=job.subject_parts[1]).first()
    if draft is None:
        raise JobError(_("This draft has been deleted."))
    revision = job.parameters.get("revision")
    if revision != draft.revision:
        raise JobError(_("The draft was solved again meanwhile; a newer result replaces this one."))
    with translation.override(draft.language):
        try:
            classes = {c.pk: c for c in draft.classes.all()}
            reasons = problem.spec_reasons(draft, classes)
            if reasons:
                result = solver.Result(status="infeasible", reasons=reasons)
            else:
                seconds, stall = time_limit(draft)
                result = solver.solve(
                    problem.build(draft), seconds=seconds, stall=stall, progress=progress
                )
                if result.status == "infeasible" and not result.reasons:
                    result.reasons = [
                        _("The sessions do not fit in the slots the classes have left.")
                    ]
        except Exception:
            services.draft_failed(
                draft, revision, _("The timetable could not be solved. Tell the administrator.")
            )
            raise
        services.draft_store_result(draft, revision, result)
    return Document(
        content=json.dumps(
            {
                "status": result.status,
                "placements": [p.__dict__ for p in result.placements],
                "reasons": result.reasons,
            },
            default=str,
            ensure_ascii=False,
        ).encode(),
        filename=f"timetable-draft-{draft.pk}.json",
        content_type="application/json",
    )


def may_use(user, job) -> bool:
    return has_perm(user, Perm.PLAN_CLASSES)


register(
    JobKind(
        name=services.SOLVE_JOB,
        label=gettext_lazy("Timetable proposal"),
        build=build_solve,
        may_use=may_use,
    )
)
