"""A survey's results, and the teaching evaluation's scores rolled up over time.

Every figure is an SQL aggregate (``GROUP BY`` question, item, value on ``Answer``): the
number of queries is the same for five responses or a hundred thousand, and Python only
turns the few grouped rows into percentages and means. Text answers are the exception by
nature: they are read (one query) to be shown and their keywords counted.

Results of a group (the survey, or the part of it a filter keeps) with fewer than
``LUODI_SURVEY_MIN_RESPONSES`` responses are withheld, so that no one's answer can be read
off a group of one; under ``FEW_RESPONSES`` a warning says the figures are shaky.

The teaching evaluation (``blueprints.RUBRIC``: five items scored 0–20) gives each response
a total out of 100; a session's satisfaction is the mean total, as a percentage of the
highest possible total, and is flagged below ``LUODI_SATISFACTION_LINE``. Every item of the
rubric is required, so the mean total is the sum of all its scores over the number of
responses that scored it, which SQL computes without reading a response.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import ExtractYear

from luodi.curriculum.models import Course
from luodi.faculty.models import Teacher
from luodi.surveys.blueprints import RUBRIC, satisfaction_line
from luodi.surveys.models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    Purpose,
    Question,
    QuestionKind,
    Response,
    Review,
    Survey,
)
from luodi.training.models import Session

FEW_RESPONSES = 4  # under this many, the page warns that the figures are shaky
TEXTS_SHOWN = 200  # text answers listed per question; the keywords count them all
KEYWORDS_FROM = 5000  # at most so many texts per question are cut into words


def min_responses() -> int:
    return settings.LUODI_SURVEY_MIN_RESPONSES


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# ---- one survey's results --------------------------------------------------------------------


@dataclass
class Share:
    """One option or one score: how many chose it and their share."""

    label: str
    count: int
    percent: float


@dataclass
class ScaleResult:
    """A rating, or one item of a matrix: how many gave each score, and the mean."""

    label: str
    distribution: list[Share]
    answered: int
    mean: float | None


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0  # responses that answered it
    options: list[Share] = field(default_factory=list)  # choice questions
    scale: ScaleResult | None = None  # rating
    items: list[ScaleResult] = field(default_factory=list)  # matrix
    texts: list[Answer] = field(default_factory=list)  # text questions, the first shown
    text_count: int = 0
    keywords: list[tuple[str, int]] = field(default_factory=list)
    chart: Any = None  # drawn by the page (an SVG)

    @property
    def kind(self) -> str:
        return self.question.kind


@dataclass
class SurveyResults:
    survey: Survey
    responses: int  # in the group the filters keep
    questions: list[QuestionResult]
    withheld: bool  # fewer than the minimum: nothing but the count is given
    minimum: int

    @property
    def few(self) -> bool:
        return not self.withheld and self.responses < FEW_RESPONSES


def survey_responses(
    survey: Survey, *, city_id: int | None = None, post: str = "", class_id: int | None = None
) -> QuerySet[Response]:
    """The survey's responses of one city, post or class (each filter optional)."""
    found = Response.objects.filter(survey=survey)
    if city_id:
        found = found.filter(city_id=city_id)
    if post:
        found = found.filter(post=post)
    if class_id:
        found = found.filter(training_class_id=class_id)
    return found


def _scale(label: str, question: Question, counts: dict[int, int], answered: int) -> ScaleResult:
    total = sum(counts.values())
    mean = round(sum(value * n for value, n in counts.items()) / total, 2) if total else None
    return ScaleResult(
        label=label,
        distribution=[
            Share(str(value), counts.get(value, 0), _percent(counts.get(value, 0), total))
            for value in question.scale
        ],
        answered=answered,
        mean=mean,
    )


def survey_results(
    survey: Survey,
    *,
    city_id: int | None = None,
    post: str = "",
    class_id: int | None = None,
    show_text: str = "public",
    keywords: bool = True,
) -> SurveyResults:
    """Per question: counts and shares of each option, each score's count and the mean of a
    rating or each matrix item, and the text answers with their keywords. ``show_text`` is
    "all" (staff: every text answer, with its review state), "public" (a teacher: those
    reviewed as public) or "none". Four queries (five with a multiple choice), and one more
    per text question shown."""
    questions = list(survey.questions.all())
    responses = survey_responses(survey, city_id=city_id, post=post, class_id=class_id)
    count = responses.count()
    minimum = min_responses()
    if count < minimum:
        return SurveyResults(survey, count, [QuestionResult(q) for q in questions], True, minimum)
    answers = Answer.objects.filter(question_id__in=[q.pk for q in questions])
    if city_id or post or class_id:
        answers = answers.filter(response__in=responses)
    # One GROUP BY over the index (question, item, value): every score and option chosen,
    # and (value NULL) the number of text answers.
    counts: dict[int, dict[Any, dict[Any, int]]] = defaultdict(lambda: defaultdict(dict))
    for question_id, item, value, n in (
        answers.values("question_id", "item", "value")
        .annotate(n=Count("*"))  # not Count("id"): the index alone answers COUNT(*)
        .values_list("question_id", "item", "value", "n")
        .order_by()
    ):
        counts[question_id][item][value] = n
    # A multiple choice has a row per option ticked: count its respondents apart.
    multiple = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE]
    respondents = (
        dict(
            answers.filter(question_id__in=multiple)
            .values("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .values_list("question_id", "n")
            .order_by()
        )
        if multiple
        else {}
    )
    results = []
    for q in questions:
        mine = counts.get(q.pk, {})
        per_item = {item: sum(values.values()) for item, values in mine.items()}
        result = QuestionResult(
            q,
            # Every item of a matrix is scored by whoever answers it (all are required).
            answered=respondents.get(q.pk, 0)
            if q.kind == QuestionKind.MULTIPLE
            else max(per_item.values(), default=0),
        )
        if q.kind in CHOICE_KINDS:
            chosen = mine.get(None, {})
            result.options = [
                Share(label, chosen.get(n, 0), _percent(chosen.get(n, 0), result.answered))
                for n, label in enumerate(q.options)
            ]
        elif q.kind == QuestionKind.RATING:
            result.scale = _scale(q.text, q, mine.get(None, {}), result.answered)
        elif q.kind == QuestionKind.MATRIX:
            result.items = [
                _scale(label, q, mine.get(item, {}), per_item.get(item, 0))
                for item, label in enumerate(q.options)
            ]
        elif q.kind in TEXT_KINDS and show_text != "none":
            _texts(result, answers.filter(question=q), show_text=show_text, keywords=keywords)
        results.append(result)
    return SurveyResults(survey, count, results, False, minimum)


def _texts(result: QuestionResult, answers: QuerySet[Answer], *, show_text: str, keywords: bool):
    answers = answers.exclude(text="")
    if show_text != "all":
        answers = answers.filter(review=Review.PUBLIC)
    # Unordered in SQL: ORDER BY id would walk the whole table in id order instead of the
    # question's index; a few thousand rows are sorted here.
    texts = sorted(answers.order_by().values_list("id", "text", "review")[:KEYWORDS_FROM])
    result.text_count = len(texts)
    result.texts = [
        Answer(id=pk, text=text, review=review) for pk, text, review in texts[:TEXTS_SHOWN]
    ]
    if keywords and texts:
        from luodi.lib.keywords import keywords as count_keywords

        result.keywords = count_keywords(text for _pk, text, _review in texts)


# ---- the teaching evaluation ---------------------------------------------------------------


@dataclass
class Score:
    """The mean evaluation of a group of sessions (one session, a teacher, a course, a year):
    the mean total of its responses as a percentage of the highest total, and how many."""

    key: Any  # the session, teacher or course the row is about, or the year
    responses: int
    points: int  # the sum of the rubric's scores of all its responses
    possible: int  # the sum of the highest scores of the same answers
    sessions: int = 1
    year: int | None = None  # when split by year

    @property
    def withheld(self) -> bool:
        return self.responses < min_responses()

    @property
    def score(self) -> float | None:
        if self.withheld or not self.possible:
            return None
        return round(100 * self.points / self.possible, 1)

    @property
    def flagged(self) -> bool:
        return self.score is not None and self.score < satisfaction_line()


def _rubric_answers() -> QuerySet[Answer]:
    return Answer.objects.filter(
        question__role=RUBRIC,
        question__survey__purpose=Purpose.EVALUATION,
        question__survey__session__isnull=False,
        value__isnull=False,
    )


GROUPS = {
    "session": "question__survey__session_id",
    "teacher": "question__survey__session__teacher_id",
    "course": "question__survey__session__course_id",
    "year": "year",
}


def evaluation_scores(
    group: str = "session",
    *,
    teacher_id: int | None = None,
    course_id: int | None = None,
    year: int | None = None,
    by_year: bool = False,
    flagged_only: bool = False,
) -> list[Score]:
    """Evaluation scores grouped by session, teacher, course or year (``GROUPS``), each with
    its number of responses; ``by_year`` splits each group by year too (a teacher over
    time). ``flagged_only`` keeps the groups below the satisfaction line that have enough
    responses, in SQL. Two queries, the second loading the sessions, teachers or courses."""
    answers = _rubric_answers().annotate(year=ExtractYear("question__survey__session__date"))
    if teacher_id:
        answers = answers.filter(question__survey__session__teacher_id=teacher_id)
    if course_id:
        answers = answers.filter(question__survey__session__course_id=course_id)
    if year:
        answers = answers.filter(question__survey__session__date__year=year)
    keys = [GROUPS[group]] + (["year"] if by_year and group != "year" else [])
    rows = (
        answers.values(*keys)
        .annotate(
            points=Sum("value"),
            possible=Sum("question__scale_max"),
            responses=Count("response_id", distinct=True),
            sessions=Count("question__survey__session_id", distinct=True),
        )
        .order_by()
    )
    if flagged_only:
        # points / possible < line / 100, kept in integers
        rows = rows.filter(
            responses__gte=min_responses(),
            possible__gt=0,
            points__lt=F("possible") * satisfaction_line() / 100.0,
        )
    rows = list(rows)
    objects = _objects(group, {row[keys[0]] for row in rows})
    return [
        Score(
            key=objects.get(row[keys[0]]),
            responses=row["responses"],
            points=row["points"] or 0,
            possible=row["possible"] or 0,
            sessions=row["sessions"],
            year=row.get("year"),
        )
        for row in rows
    ]


def evaluation_score(survey: Survey, responses: QuerySet[Response] | None = None) -> Score | None:
    """The session's satisfaction: its responses' mean rubric total as a percentage of the
    highest (None: the survey has no rubric). ``responses`` narrows it to a filtered group.
    One query."""
    if survey.purpose != Purpose.EVALUATION:
        return None
    answers = Answer.objects.filter(question__survey=survey, question__role=RUBRIC).exclude(
        value__isnull=True
    )
    if responses is not None:
        answers = answers.filter(response__in=responses)
    found = answers.aggregate(
        points=Sum("value"),
        possible=Sum("question__scale_max"),
        responses=Count("response_id", distinct=True),
    )
    return Score(
        key=survey,
        responses=found["responses"],
        points=found["points"] or 0,
        possible=found["possible"] or 0,
    )


def _objects(group: str, ids: set) -> dict:
    if group == "session":
        return Session.objects.select_related(
            "course", "teacher", "training_class__class_type", "evaluation"
        ).in_bulk(ids)
    if group == "teacher":
        return Teacher.objects.in_bulk(ids)
    if group == "course":
        return Course.objects.in_bulk(ids)
    return {i: i for i in ids}


def flagged_evaluations() -> list[Score]:
    """The sessions whose evaluation, with enough responses, is below the satisfaction line:
    lowest first. Two queries."""
    flagged = evaluation_scores("session", flagged_only=True)
    return sorted(flagged, key=lambda s: (s.score or 0, s.key.date, s.key.pk))
