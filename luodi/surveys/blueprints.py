"""The ready-made questionnaires: needs research, session evaluation (评教), class
satisfaction and the three-month follow-up. Each builds a draft survey through
``survey_create``; staff may change the questions until the first answer arrives.

Questions that results and the needs analysis read are marked with a ``role``."""

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.college.models import CollegeSettings
from luodi.curriculum.models import NeedTopic, TeachingMethod
from luodi.surveys import services
from luodi.surveys.models import Audience, Purpose, QuestionKind, Survey
from luodi.surveys.services import QuestionSpec, survey_create, survey_publish
from luodi.training.models import Session, TrainingClass

# Roles of template questions that results read.
RUBRIC = "rubric"  # the 5 × 20-point teaching evaluation
COMMENT = "comment"
NEED_LEVEL = "need_level"  # needs research: how much each topic is needed (1–5)
PROBLEM = "problem"  # needs research: the hardest problem at work
OVERALL = "overall"  # satisfaction: the class overall (1–5)
NEED_MET = "need_met"  # satisfaction: how far each targeted need was met (1–5)
APPLIED_ANY = "applied_any"  # follow-up: applied anything? (yes / not yet)
# Follow-up: what was applied, what happened, what is still needed (a story is made of them).
APPLIED, OUTCOME, STILL_NEEDED = services.APPLIED, services.OUTCOME, services.STILL_NEEDED

# A topic's need, or a need's being met, counts from this score of 1–5.
HIGH_SCORE = 4
FOLLOW_UP_AFTER = timedelta(days=90)
FOLLOW_UP_OPEN_DAYS = 30


def rubric_criteria() -> list[str]:
    """The five criteria of the 5 × 20-point rubric (``docs/domain.md``)."""
    return [
        _("Relevance to practice"),
        _("Theory"),
        _("Amount of information"),
        _("Delivery"),
        _("Teaching manner"),
    ]


def satisfaction_line() -> int:
    """The pass line of an evaluation, as a percentage (the college settings; 85 by default)."""
    return CollegeSettings.load().pass_line


def _topics_by_category() -> dict[Any, list[NeedTopic]]:
    grouped: dict[Any, list[NeedTopic]] = defaultdict(list)
    for topic in NeedTopic.objects.select_related("category"):
        grouped[topic.category].append(topic)
    return grouped


def needs_questionnaire(
    *,
    by: User | None,
    title: str = "",
    audience: str = Audience.CADRES,
    cities=(),
    posts=(),
    training_class: TrainingClass | None = None,
    anonymous: bool = False,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Survey:
    """Needs research: one matrix per course category, each need topic scored 1–5, then the
    hardest problem at work and the teaching methods that help most."""
    specs = [
        QuestionSpec(
            kind=QuestionKind.MATRIX,
            text=_("How much do you need training in “%(category)s”?") % {"category": category},
            help_text=_("1 = not needed, 5 = urgently needed"),
            options=[t.name for t in topics],
            option_topics=[t.pk for t in topics],
            scale=(1, 5),
            role=NEED_LEVEL,
        )
        for category, topics in _topics_by_category().items()
    ]
    specs += [
        QuestionSpec(
            kind=QuestionKind.LONG_TEXT,
            text=_("What is the hardest problem in your work now?"),
            role=PROBLEM,
        ),
        QuestionSpec(
            kind=QuestionKind.MULTIPLE,
            text=_("Which ways of teaching help you most?"),
            options=[str(label) for label in TeachingMethod.labels],
            required=False,
        ),
    ]
    return survey_create(
        by=by,
        title=title or _("Training needs questionnaire"),
        purpose=Purpose.NEEDS,
        audience=audience,
        anonymous=anonymous,
        intro=_(
            "Tell us what your work needs, so that the college designs courses that fit it. "
            "It takes about five minutes."
        ),
        training_class=training_class,
        cities=cities,
        posts=posts,
        opens_at=opens_at,
        closes_at=closes_at,
        questions=specs,
    )


@transaction.atomic
def session_evaluation(*, session: Session, by: User | None) -> Survey:
    """The session's evaluation (made once, then reused): anonymous, for the class's
    trainees, open from the session's start until three days after it ends."""
    existing = Survey.objects.filter(session=session).first()
    if existing is not None:
        return existing
    survey = survey_create(
        by=by,
        title=_("Evaluation: %(course)s (%(teacher)s, %(date)s)")
        % {"course": session.course, "teacher": session.teacher, "date": session.date},
        purpose=Purpose.EVALUATION,
        audience=Audience.CLASS,
        anonymous=True,
        training_class=session.training_class,
        session=session,
        opens_at=session.starts_at,
        closes_at=session.ends_at + timedelta(days=3),
        questions=[
            QuestionSpec(
                kind=QuestionKind.MATRIX,
                text=_("Score the session on each criterion"),
                help_text=_("0 to 20 points each; 100 in all"),
                options=rubric_criteria(),
                scale=(0, 20),
                role=RUBRIC,
            ),
            QuestionSpec(
                kind=QuestionKind.LONG_TEXT,
                text=_("Comments and suggestions for the teacher"),
                required=False,
                role=COMMENT,
            ),
        ],
    )
    return survey_publish(survey=survey, by=by)


def _needs_met(needs: list[NeedTopic], text: str, help_text: str) -> QuestionSpec:
    """A matrix scoring 1–5, for each need a class targeted, how far it was met or helped."""
    return QuestionSpec(
        kind=QuestionKind.MATRIX,
        text=text,
        help_text=help_text,
        options=[n.name for n in needs],
        option_topics=[n.pk for n in needs],
        scale=(1, 5),
        role=NEED_MET,
    )


def class_satisfaction(
    *,
    training_class: TrainingClass,
    by: User | None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Survey:
    """The class's satisfaction survey: overall, then for each need the class targeted, how
    far it was met (closing the loop of the needs analysis)."""
    needs = list(training_class.target_needs.all())
    specs = [
        QuestionSpec(
            kind=QuestionKind.RATING,
            text=_("Overall, how satisfied are you with this class?"),
            help_text=_("1 = not at all, 5 = very satisfied"),
            scale=(1, 5),
            role=OVERALL,
        )
    ]
    if needs:
        specs.append(
            _needs_met(
                needs,
                _("How far did the class meet these needs?"),
                _("1 = not at all, 5 = fully"),
            )
        )
    specs.append(
        QuestionSpec(
            kind=QuestionKind.LONG_TEXT,
            text=_("What else should the college teach or change?"),
            required=False,
            role=COMMENT,
        )
    )
    end = timezone.make_aware(datetime.combine(training_class.end_date, time(12)))
    return survey_create(
        by=by,
        title=_("Satisfaction: %(class)s") % {"class": training_class.title},
        purpose=Purpose.SATISFACTION,
        audience=Audience.CLASS,
        anonymous=True,
        training_class=training_class,
        opens_at=opens_at or end - timedelta(days=1),
        closes_at=closes_at or end + timedelta(days=7),
        questions=specs,
    )


def follow_up(
    *,
    training_class: TrainingClass,
    by: User | None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Survey:
    """The follow-up three months after the class: named, so that what a trainee applied
    can become an application story."""
    needs = list(training_class.target_needs.all())
    opens = opens_at or timezone.make_aware(
        datetime.combine(training_class.end_date + FOLLOW_UP_AFTER, time(9))
    )
    specs = [
        QuestionSpec(
            kind=QuestionKind.SINGLE,
            text=_("Have you applied in your work what you learned in the class?"),
            options=[_("Yes"), _("Not yet")],
            role=APPLIED_ANY,
        ),
        QuestionSpec(
            kind=QuestionKind.LONG_TEXT,
            text=_("What did you apply, and from which course or teacher?"),
            role=APPLIED,
            show_if=0,
            show_if_options=[0],
        ),
        QuestionSpec(
            kind=QuestionKind.LONG_TEXT,
            text=_("What happened? What changed in your community?"),
            role=OUTCOME,
            show_if=0,
            show_if_options=[0],
        ),
    ]
    if needs:
        specs.append(
            _needs_met(
                needs,
                _("How much has the class helped your work on these needs?"),
                _("1 = not at all, 5 = a great deal"),
            )
        )
    specs.append(
        QuestionSpec(
            kind=QuestionKind.LONG_TEXT,
            text=_("What do you still need to learn?"),
            required=False,
            role=STILL_NEEDED,
        )
    )
    return survey_create(
        by=by,
        title=_("Follow-up: %(class)s") % {"class": training_class.title},
        purpose=Purpose.FOLLOW_UP,
        audience=Audience.CLASS,
        anonymous=False,
        training_class=training_class,
        opens_at=opens,
        closes_at=closes_at or opens + timedelta(days=FOLLOW_UP_OPEN_DAYS),
        questions=specs,
    )


BLUEPRINTS = {
    Purpose.NEEDS: needs_questionnaire,
    Purpose.SATISFACTION: class_satisfaction,
    Purpose.FOLLOW_UP: follow_up,
}
