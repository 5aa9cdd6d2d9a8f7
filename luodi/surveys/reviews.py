"""Who reads a survey's results, and the review of text answers before a teacher sees them.

Results are read by academic staff (every survey), by a head teacher (the surveys of the
classes they run) and by a liaison (a needs survey's results, for their own city only: the
results pages narrow them with ``results_city``). A teacher reads their own sessions'
evaluations on their own page, which shows only the comments reviewed as public.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, Reach, has_perm, reach
from luodi.accounts.models import User
from luodi.lib import audit
from luodi.surveys.models import TEXT_KINDS, Answer, Review, Survey

# Planning staff read every survey's results, a head teacher their classes', a liaison the
# needs research of their city (``Survey.objects.visible_to`` says which surveys each reaches).
RESULTS_PERMS = (Perm.PLAN_CLASSES, Perm.RUN_CLASSES, Perm.NOMINATE)


def may_read_results(user, survey: Survey) -> bool:
    return (
        any(has_perm(user, p) for p in RESULTS_PERMS)
        and Survey.objects.visible_to(user).filter(pk=survey.pk).exists()
    )


def results_city(user) -> int | None:
    """The city a user's results are narrowed to (a liaison's), or None for all."""
    return user.city_id if reach(user) == Reach.CITY else None


def text_shown(user) -> str:
    """Which text answers a user reads on results pages (``results.survey_results``): staff
    every one, with its review; anyone else only those reviewed as public."""
    return "all" if has_perm(user, Perm.MANAGE_RECORDS) else "public"


def may_review(user, answer: Answer) -> bool:
    return has_perm(user, Perm.MANAGE_RECORDS)


@transaction.atomic
def answer_review(*, answer: Answer, review: str, by: User) -> Answer:
    """Decide who reads a text answer: the teacher (public), staff only, or no one (hidden,
    e.g. an insult or a name). The answer's text never changes."""
    if review not in Review.values:
        raise ValidationError(_("Choose how the answer is shown."))
    answer = Answer.objects.select_for_update().select_related("question").get(pk=answer.pk)
    if answer.question.kind not in TEXT_KINDS:
        raise ValidationError(_("Only text answers are reviewed."))
    if answer.review != review:
        before = answer.review
        answer.review = review
        answer.save(update_fields=["review"])
        # The survey, not the answer: an anonymous answer's id is not to be linked to a time.
        audit.record(
            "survey.answer_review",
            by=by,
            obj=answer.question.survey,
            question=answer.question_id,
            before=before,
            review=review,
        )
    return answer
