"""Object rules of assessment projects: who manages, who scores, who reads what."""

from luodi.accounts.access import Perm, has_perm
from luodi.assessments.models import Evidence, Project, Sheet, SheetStatus


def may_manage(user, project: Project | None = None) -> bool:
    """Staff set projects up and read every score and result."""
    return has_perm(user, Perm.MANAGE_ASSESSMENTS)


def is_expert(user, project: Project) -> bool:
    return has_perm(user, Perm.SCORE_ASSESSMENTS) and project.experts.filter(pk=user.pk).exists()


def may_see_project(user, project: Project) -> bool:
    return may_manage(user) or is_expert(user, project)


def has_submitted(user, unit_id: int) -> bool:
    return Sheet.objects.filter(
        unit_id=unit_id, expert_id=user.pk, status=SheetStatus.SUBMITTED
    ).exists()


def may_see_others(user, unit_id: int) -> bool:
    """Other experts' scores of a unit: staff; an expert once their own sheet is submitted."""
    return may_manage(user) or has_submitted(user, unit_id)


def may_read_evidence(user, evidence: Evidence) -> bool:
    sheet = evidence.score.sheet
    if may_manage(user) or sheet.expert_id == user.pk:
        return True
    return is_expert(user, sheet.unit.project) and has_submitted(user, sheet.unit_id)
