"""Teachers' ratings: the mean rubric total of the evaluations of their sessions."""

from django.db.models import Count, F, Sum

from luodi.surveys.blueprints import RUBRIC
from luodi.surveys.models import Answer, Purpose


def teacher_ratings() -> dict[int, float]:
    """Each teacher's mean rubric total (0–100) over the evaluations of their sessions: one
    aggregate over the rubric answers. Teachers with no evaluation are absent."""
    rows = (
        Answer.objects.filter(
            question__role=RUBRIC,
            question__survey__purpose=Purpose.EVALUATION,
            question__survey__session__teacher__isnull=False,
            value__isnull=False,
        )
        .values(teacher=F("question__survey__session__teacher_id"))
        .annotate(points=Sum("value"), responses=Count("response_id", distinct=True))
        .order_by()
    )
    return {r["teacher"]: round(r["points"] / r["responses"], 1) for r in rows if r["responses"]}
