"""Building, publishing and answering surveys.

Answering keeps who from what (``models`` docstring): one transaction writes the participation
row (unique per person or one-time code: a second response fails there, whatever the timing)
and the response with its answers. An anonymous response gets no cadre and no time; its
answers are written in a random order so nothing in the table follows the form.
"""

import hashlib
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.cadres.models import Cadre
from luodi.curriculum.models import Course
from luodi.lib import audit
from luodi.notifications.models import NotificationKind
from luodi.notifications.services import notify
from luodi.surveys.models import (
    CHOICE_KINDS,
    SCALE_KINDS,
    Answer,
    Audience,
    OneTimeCode,
    Participation,
    Purpose,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from luodi.training.models import Enrolment, TrainingClass
from luodi.training.services.notices import users_of_cadres
from luodi.training.services.stories import story_from_follow_up

TEXT_MAX_LENGTH = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 5000}
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread on a slip
CODE_LENGTH = 8


@dataclass
class QuestionSpec:
    """A question to create, before it has a survey (templates and the builder form)."""

    kind: str
    text: str
    required: bool = True
    options: list[str] = field(default_factory=list)
    scale: tuple[int, int] | None = None
    option_topics: list[int] = field(default_factory=list)
    help_text: str = ""
    role: str = ""
    # Skip logic: the position (0-based, in this list) of an earlier choice question, and the
    # option numbers of it that show this one.
    show_if: int | None = None
    show_if_options: list[int] = field(default_factory=list)


def _check_spec(spec: QuestionSpec, index: int, specs: Sequence[QuestionSpec]) -> None:
    if spec.kind not in QuestionKind.values:
        raise ValidationError(_("Unknown question kind: %(kind)s.") % {"kind": spec.kind})
    if not spec.text.strip():
        raise ValidationError(_("Question %(n)d has no text.") % {"n": index + 1})
    if spec.kind in CHOICE_KINDS | {QuestionKind.MATRIX} and len(spec.options) < (
        1 if spec.kind == QuestionKind.MATRIX else 2
    ):
        raise ValidationError(
            _("Question %(n)d needs its options (two or more; a matrix, one item or more).")
            % {"n": index + 1}
        )
    if spec.kind in SCALE_KINDS and (spec.scale is None or spec.scale[1] <= spec.scale[0]):
        raise ValidationError(
            _("Question %(n)d needs a scale whose highest score is above its lowest.")
            % {"n": index + 1}
        )
    if spec.option_topics and len(spec.option_topics) != len(spec.options):
        raise ValidationError(_("Question %(n)d: one need topic per option.") % {"n": index + 1})
    if spec.show_if is not None:
        if not (0 <= spec.show_if < index) or specs[spec.show_if].kind not in CHOICE_KINDS:
            raise ValidationError(
                _("Question %(n)d can only depend on an earlier choice question.")
                % {"n": index + 1}
            )
        choices = range(len(specs[spec.show_if].options))
        if not spec.show_if_options or any(o not in choices for o in spec.show_if_options):
            raise ValidationError(
                _("Question %(n)d: choose the answers that show it.") % {"n": index + 1}
            )


def _create_questions(survey: Survey, specs: Sequence[QuestionSpec]) -> list[Question]:
    for index, spec in enumerate(specs):
        _check_spec(spec, index, specs)
    created: list[Question] = []
    for index, spec in enumerate(specs):
        created.append(_new_question(survey, index + 1, spec, created))
    return created


def _new_question(
    survey: Survey, position: int, spec: QuestionSpec, earlier: Sequence[Question]
) -> Question:
    """Save ``spec`` (checked) at ``position``; its skip condition names one of ``earlier``."""
    return Question.objects.create(
        survey=survey,
        position=position,
        kind=spec.kind,
        text=spec.text.strip(),
        help_text=spec.help_text,
        required=spec.required,
        options=[o.strip() for o in spec.options],
        scale_min=spec.scale[0] if spec.scale else None,
        scale_max=spec.scale[1] if spec.scale else None,
        option_topics=list(spec.option_topics),
        role=spec.role,
        show_if=earlier[spec.show_if] if spec.show_if is not None else None,
        show_if_options=list(spec.show_if_options),
    )


@transaction.atomic
def survey_create(
    *,
    by: User | None,
    title: str,
    purpose: str,
    audience: str,
    questions: Sequence[QuestionSpec],
    anonymous: bool = True,
    intro: str = "",
    training_class: TrainingClass | None = None,
    session=None,
    cities: Iterable[Any] = (),
    posts: Sequence[str] = (),
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    allow_empty: bool = False,
) -> Survey:
    """A draft survey with its questions (none yet only with ``allow_empty``: a blank survey
    whose questions staff add one by one); ``survey_publish`` opens it to its audience."""
    if not questions and not allow_empty:
        raise ValidationError(_("A survey needs at least one question."))
    survey = Survey(
        title=title,
        purpose=purpose,
        audience=audience,
        anonymous=anonymous,
        intro=intro,
        training_class=training_class,
        session=session,
        posts=list(posts),
        opens_at=opens_at or timezone.now(),
        closes_at=closes_at,
        created_by=by,
    )
    survey.full_clean(exclude=["created_by"])
    survey.save()
    survey.cities.set(cities)
    _create_questions(survey, questions)
    audit.record("survey.create", by=by, obj=survey, questions=len(questions))
    return survey


@transaction.atomic
def survey_replace_questions(
    *, survey: Survey, questions: Sequence[QuestionSpec], by: User
) -> list[Question]:
    """Replace a survey's questions, refused once anyone has answered (the answers given
    would no longer match their question: the survey is frozen, ``docs/surveys.md``)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_frozen:
        raise ValidationError(
            _("This survey has been answered: its questions can no longer change.")
        )
    if not questions:
        raise ValidationError(_("A survey needs at least one question."))
    survey.questions.all().delete()
    created = _create_questions(survey, questions)
    audit.record("survey.questions", by=by, obj=survey, questions=len(created))
    return created


def _refuse_if_frozen(survey: Survey) -> None:
    if survey.is_frozen:
        raise ValidationError(
            _("This survey has been answered: its questions can no longer change.")
        )


@transaction.atomic
def question_add(*, survey: Survey, spec: QuestionSpec, by: User) -> Question:
    """Add a question at the end of an unanswered survey. ``spec.show_if`` names the
    position (0-based) of an earlier question of the survey."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _refuse_if_frozen(survey)
    existing = list(survey.questions.all())
    specs = [_spec_of(q, existing) for q in existing] + [spec]
    _check_spec(spec, len(existing), specs)
    position = existing[-1].position + 1 if existing else 1
    question = _new_question(survey, position, spec, existing)
    audit.record("survey.question_add", by=by, obj=survey, question=question.text)
    return question


def _spec_of(question: Question, questions: Sequence[Question]) -> QuestionSpec:
    ids = [q.pk for q in questions]
    scale = None
    if question.scale_min is not None and question.scale_max is not None:
        scale = (question.scale_min, question.scale_max)
    return QuestionSpec(
        kind=question.kind,
        text=question.text,
        required=question.required,
        options=list(question.options),
        scale=scale,
        option_topics=list(question.option_topics),
        show_if=ids.index(question.show_if_id) if question.show_if_id in ids else None,
        show_if_options=list(question.show_if_options),
    )


@transaction.atomic
def question_delete(*, question: Question, by: User) -> None:
    """Remove a question from an unanswered survey, with the questions shown only after it."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _refuse_if_frozen(survey)
    audit.record("survey.question_delete", by=by, obj=survey, question=question.text)
    question.delete()


@transaction.atomic
def survey_publish(*, survey: Survey, by: User | None) -> Survey:
    """Open the survey to its audience (from ``opens_at``); its respondents are told at once
    if it is open now, otherwise when it opens (``surveys_announce``)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.published_at is not None:
        return survey
    if not survey.questions.exists():
        raise ValidationError(_("A survey needs at least one question."))
    survey.published_at = timezone.now()
    survey.save(update_fields=["published_at", "updated_at"])
    audit.record("survey.publish", by=by, obj=survey)
    if survey.opens_at <= survey.published_at:
        _announce(survey, by=by)
    return survey


def _announce(survey: Survey, *, by: User | None) -> None:
    """Notify the audience (bell and text). Not for a session's evaluation: its QR code on
    the classroom screen and the phone's home page ask for it, and three sessions a day would
    make three texts."""
    users = audience_user_ids(survey) if survey.purpose != Purpose.EVALUATION else []
    if users:
        notify(
            users=users,
            kind=NotificationKind.SURVEY_DUE,
            text=_("Please answer the survey “%(title)s”.") % {"title": survey.title},
            url=survey.answer_url(),
            by=by,
        )
    survey.announced_at = timezone.now()
    survey.save(update_fields=["announced_at", "updated_at"])


def surveys_announce(now: datetime | None = None) -> int:
    """Tell the respondents of every published survey that has opened since and was not
    announced yet (run daily: ``manage.py announce_surveys``); each survey is announced once.
    Returns the number of surveys announced."""
    now = now or timezone.now()
    announced = 0
    for pk in (
        Survey.objects.open_at(now).filter(announced_at__isnull=True).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            survey = Survey.objects.select_for_update().get(pk=pk)
            if survey.announced_at is None:
                _announce(survey, by=None)
                announced += 1
    return announced


@transaction.atomic
def survey_close(*, survey: Survey, by: User) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    now = timezone.now()
    if survey.closes_at is None or survey.closes_at > now:
        survey.closes_at = max(now, survey.opens_at + timedelta(seconds=1))
        survey.save(update_fields=["closes_at", "updated_at"])
        audit.record("survey.close", by=by, obj=survey)
    return survey


# Who answers ---------------------------------------------------------------------------------


def audience_enrolments(survey: Survey):
    """The roster enrolments of a class survey's class."""
    return Enrolment.objects.on_roster().filter(training_class_id=survey.training_class_id)


def audience_user_ids(survey: Survey) -> list[int]:
    """The accounts a survey is meant for: a class's trainees, or the cadres of its cities and
    posts who have an account. An open survey has no list (it is answered with codes)."""
    if survey.audience == Audience.CLASS:
        cadre_ids = audience_enrolments(survey).values_list("cadre_id", flat=True)
    elif survey.audience == Audience.CADRES:
        cadre_ids = User.objects.filter(
            is_active=True, cadre__isnull=False, **_cadre_filter(survey, "cadre__")
        ).values_list("cadre_id", flat=True)
    else:
        return []
    return users_of_cadres(cadre_ids)


def _cadre_filter(survey: Survey, prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    city_ids = [c.pk for c in survey.cities.all()]
    if city_ids:
        found[f"{prefix}community__city_id__in"] = city_ids
    if survey.posts:
        found[f"{prefix}post__in"] = survey.posts
    return found


def may_answer(user, survey: Survey) -> bool:
    """Whether a logged-in user is in the survey's audience (not whether they answered): the
    object rule of the answering page."""
    cadre_id = getattr(user, "cadre_id", None)
    if not cadre_id:
        return False
    if survey.audience == Audience.CLASS:
        return audience_enrolments(survey).filter(cadre_id=cadre_id).exists()
    if survey.audience == Audience.CADRES:
        return Cadre.objects.filter(pk=cadre_id, **_cadre_filter(survey)).exists()
    return False


def has_answered(survey: Survey, user) -> bool:
    return Participation.objects.filter(survey=survey, user=user).exists()


def surveys_due(user, now: datetime | None = None) -> list[Survey]:
    """Open surveys a trainee is asked to answer and has not: their classes' surveys and
    those for their city and post. Two queries whatever the number of surveys."""
    cadre = getattr(user, "cadre", None)
    if cadre is None:
        return []
    now = now or timezone.now()
    classes = Enrolment.objects.on_roster().filter(cadre=cadre).values("training_class_id")
    answered = Participation.objects.filter(user=user).values("survey_id")
    open_ = Survey.objects.open_at(now).exclude(pk__in=answered)
    for_class = open_.filter(audience=Audience.CLASS, training_class_id__in=classes)
    for_cadres = [
        s
        for s in open_.filter(audience=Audience.CADRES).prefetch_related("cities")
        if (not s.posts or cadre.post in s.posts)
        and (not s.cities.all() or any(c.pk == cadre.community.city_id for c in s.cities.all()))
    ]
    due = list(for_class.select_related("session__course", "training_class__class_type"))
    return sorted(due + for_cadres, key=lambda s: (s.closes_at is None, s.closes_at, s.pk))


# One-time codes for open surveys -------------------------------------------------------------


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


@transaction.atomic
def codes_issue(*, survey: Survey, count: int, by: User) -> list[str]:
    """``count`` new one-time codes for an open survey; only their digests are kept, so they
    are shown once (to print or send) and cannot be listed again."""
    if survey.audience != Audience.OPEN:
        raise ValidationError(_("Only a survey answered with codes has one-time codes."))
    if not 1 <= count <= 2000:
        raise ValidationError(_("Issue between 1 and 2000 codes at a time."))
    codes = [
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)
    ]
    OneTimeCode.objects.bulk_create(OneTimeCode(survey=survey, digest=_digest(c)) for c in codes)
    audit.record("survey.codes", by=by, obj=survey, count=count)
    return [f"{c[:4]}-{c[4:]}" for c in codes]


def code_for(survey: Survey, code: str) -> OneTimeCode | None:
    return OneTimeCode.objects.filter(survey=survey, digest=_digest(code)).first()


# Answering -----------------------------------------------------------------------------------


def visible_questions(questions: Sequence[Question], chosen: Mapping[int, set[int]]) -> list:
    """The questions shown for the answers given: one whose condition is an earlier
    question's answer is shown only when that answer (and so that question) was shown and
    includes one of the options named."""
    shown: list[Question] = []
    shown_ids: set[int] = set()
    for q in questions:
        if q.show_if_id is not None and not (
            q.show_if_id in shown_ids and chosen.get(q.show_if_id, set()) & set(q.show_if_options)
        ):
            continue
        shown.append(q)
        shown_ids.add(q.pk)
    return shown


def _int(raw: str) -> int | None:
    try:
        return int(raw.strip())
    except (TypeError, ValueError):
        return None


def _values(data, key: str) -> list[str]:
    """All values of a form field: a request's QueryDict, or a plain mapping to lists."""
    if hasattr(data, "getlist"):
        return [str(v) for v in data.getlist(key)]
    found = data.get(key, [])
    return [found] if isinstance(found, str) else [str(v) for v in found]


def read_answers(
    questions: Sequence[Question], data: Mapping[str, Sequence[str]]
) -> tuple[list[Answer], dict[int, str]]:
    """The answers in a submitted form (``q<id>``, a matrix item ``q<id>_<item>``), checked:
    returns the unsaved answers of the questions shown and a message per question in error.
    Answers to questions hidden by skip logic are dropped, and never required."""
    chosen: dict[int, set[int]] = {}
    for q in questions:
        if q.kind in CHOICE_KINDS:
            chosen[q.pk] = {n for v in _values(data, f"q{q.pk}") if (n := _int(v)) is not None}
    answers: list[Answer] = []
    errors: dict[int, str] = {}
    for q in visible_questions(questions, chosen):
        key = f"q{q.pk}"
        values = [v for v in _values(data, key) if v.strip()]
        if q.kind in CHOICE_KINDS:
            parsed = [_int(v) for v in values]
            numbers = [n for n in parsed if n is not None and 0 <= n < len(q.options)]
            if len(numbers) != len(parsed):
                errors[q.pk] = _("Choose one of the options given.")
            elif q.kind == QuestionKind.SINGLE and len(numbers) > 1:
                errors[q.pk] = _("Choose only one option.")
            else:
                answers += [Answer(question=q, value=n) for n in sorted(set(numbers))]
            if not parsed and q.required:
                errors[q.pk] = _("This question needs an answer.")
        elif q.kind == QuestionKind.RATING:
            if values:
                n = _int(values[0])
                if n is None or n not in q.scale:
                    errors[q.pk] = _("Give a score from %(low)d to %(high)d.") % {
                        "low": q.scale_min,
                        "high": q.scale_max,
                    }
                else:
                    answers.append(Answer(question=q, value=n))
            elif q.required:
                errors[q.pk] = _("This question needs an answer.")
        elif q.kind == QuestionKind.MATRIX:
            missing = False
            for item in range(len(q.options)):
                raw = [v for v in _values(data, f"{key}_{item}") if v.strip()]
                n = _int(raw[0]) if raw else None
                if raw and (n is None or n not in q.scale):
                    errors[q.pk] = _("Give a score from %(low)d to %(high)d.") % {
                        "low": q.scale_min,
                        "high": q.scale_max,
                    }
                elif n is not None:
                    answers.append(Answer(question=q, item=item, value=n))
                else:
                    missing = True
            if missing and q.required and q.pk not in errors:
                errors[q.pk] = _("Score every line.")
        else:
            text = values[0].strip() if values else ""
            limit = TEXT_MAX_LENGTH[QuestionKind(q.kind)]
            if len(text) > limit:
                errors[q.pk] = _("Keep the answer within %(n)d characters.") % {"n": limit}
            elif text:
                answers.append(Answer(question=q, text=text))
            elif q.required:
                errors[q.pk] = _("This question needs an answer.")
    return answers, errors


class AnswerRefused(ValidationError):
    """The survey cannot take this response at all (closed, not for this person, answered)."""


def check_open(survey: Survey, now: datetime | None = None) -> None:
    """Refuse (``AnswerRefused``) unless the survey takes answers now."""
    now = now or timezone.now()
    if survey.published_at is None or now < survey.opens_at:
        raise AnswerRefused(_("This survey is not open yet."))
    if survey.closes_at is not None and now >= survey.closes_at:
        raise AnswerRefused(
            _("This survey closed on %(when)s.") % {"when": _when(survey.closes_at)}
        )


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def response_submit(
    *,
    survey: Survey,
    data: Mapping[str, Sequence[str]],
    user: User | None = None,
    code: str = "",
    at: datetime | None = None,
) -> Response:
    """Record one response of ``user`` (a class or cadre survey) or of the holder of ``code``
    (an open survey). Raises ``AnswerRefused`` when the survey cannot take it, or a
    ``ValidationError`` whose ``error_dict`` maps question ids to messages; nothing is saved
    then. A second response of the same person or code is refused, however close in time.
    ``at`` records a response given earlier (paper forms typed in later, the demo college):
    the survey must have been open then."""
    now = at or timezone.now()
    check_open(survey, now)
    questions = list(survey.questions.all())
    answers, errors = read_answers(questions, data)
    if errors:
        raise ValidationError({str(k): v for k, v in errors.items()})
    try:
        with transaction.atomic():
            respondent = _participation(survey, user, code)
            response = _response(survey, respondent, now)
            for answer in answers:
                answer.response = response
            # Written in a random order: nothing in the table follows the form's order.
            random.shuffle(answers)
            Answer.objects.bulk_create(answers)
            _story_from(response, answers, by=user)
    except IntegrityError as exc:
        raise AnswerRefused(_("You have already answered this survey.")) from exc
    audit.record("survey.answer", by=user, obj=survey)
    return response


# Roles of the follow-up's questions (``blueprints`` builds it; the names are repeated here,
# below it, so that answering needs no template).
APPLIED, OUTCOME, STILL_NEEDED = "applied", "outcome", "still_needed"


def _story_from(response: Response, answers: Sequence[Answer], *, by: User | None) -> None:
    """A named follow-up that says what was applied and what happened becomes the trainee's
    application story (学以致用), which staff may then edit or promote into a teaching case."""
    survey = response.survey
    if survey.purpose != Purpose.FOLLOW_UP or response.cadre is None:
        return
    if survey.training_class is None:
        return
    texts = {a.question.role: a.text for a in answers if a.text}
    if not (texts.get(APPLIED) and texts.get(OUTCOME)):
        return
    story_from_follow_up(
        cadre=response.cadre,
        training_class=survey.training_class,
        applied=texts[APPLIED],
        outcome=texts[OUTCOME],
        still_needed=texts.get(STILL_NEEDED, ""),
        course=_course_named(survey.training_class, texts[APPLIED]),
        by=by,
    )


def _course_named(training_class, text: str):
    """The class's course the trainee names in their answer (the longest title found), so
    the story is told under it and the needs it covers."""
    if training_class is None:
        return None
    courses = Course.objects.filter(sessions__training_class=training_class).distinct()
    named = [c for c in courses if c.title in text]
    return max(named, key=lambda c: len(c.title)) if named else None


def _participation(survey: Survey, user: User | None, code: str) -> User | None:
    """Record who answers (unique: a second time fails here); returns the respondent whose
    group the response keeps, None for a code."""
    if survey.audience == Audience.OPEN:
        found = code_for(survey, code) if code else None
        if found is None:
            raise AnswerRefused(_("This code is not valid for this survey."))
        if Participation.objects.filter(code=found).exists():
            raise AnswerRefused(_("This code has already been used."))
        Participation.objects.create(survey=survey, code=found)
        return None
    if user is None or not may_answer(user, survey):
        raise AnswerRefused(_("This survey is not addressed to you."))
    Participation.objects.create(survey=survey, user=user)
    return user


def _response(survey: Survey, respondent: User | None, now: datetime) -> Response:
    cadre = respondent.cadre if respondent is not None else None
    # The city of the trainee's enrolment in the class (one row, by the class and cadre's
    # unique index: no instance, no sorting), else of the cadre's community.
    enrolled_in = (
        list(
            audience_enrolments(survey)
            .filter(cadre=cadre)
            .order_by()
            .values_list("city_id", flat=True)[:1]
        )
        if cadre is not None and survey.training_class_id
        else []
    )
    city_id = enrolled_in[0] if enrolled_in else (cadre.community.city_id if cadre else None)
    return Response.objects.create(
        survey=survey,
        cadre=None if survey.anonymous else cadre,
        submitted_at=None if survey.anonymous else now,
        city_id=city_id,
        post=cadre.post if cadre else "",
        training_class_id=survey.training_class_id,
    )
