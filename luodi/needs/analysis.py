"""The needs analysis: which need topics a group of cadres needs most, and why.

A topic's score (0–100) combines three kinds of evidence (``docs/needs.md``):

* the needs questionnaires: the mean level (1–5) the group's respondents gave the topic and
  the share of them who gave it 4 or 5;
* the findings of needs research records (visits, forums) of the group's cities tagged with
  the topic;
* keyword hits: how many of the group's "hardest problem" answers and of those findings
  name the topic.

Seven queries whatever the number of responses: the sums and counts are SQL aggregates.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from luodi.cadres.models import Post
from luodi.curriculum.models import NeedTopic
from luodi.lib.params import parse_id
from luodi.needs.models import Finding
from luodi.surveys.blueprints import HIGH_SCORE, NEED_LEVEL, PROBLEM
from luodi.surveys.models import Answer, Purpose, Question, Review

# The weights of the three kinds of evidence (they add up to 1).
SURVEY_WEIGHT = 0.6
FINDINGS_WEIGHT = 0.25
KEYWORDS_WEIGHT = 0.15
# The needs questionnaire's scale.
SCALE_MIN, SCALE_MAX = 1, 5
# How many text answers are read for sample quotes, and how many are shown per topic.
QUOTE_POOL = 2000
QUOTES_PER_TOPIC = 3
FINDINGS_SHOWN = 5


@dataclass(frozen=True)
class Group:
    """Whom the analysis is for: cadres of these cities and posts (none given: all), or only
    the new secretaries (in the post since ``LUODI_NEW_SECRETARY_DAYS`` or fewer days)."""

    city_ids: tuple[int, ...] = ()
    posts: tuple[str, ...] = ()
    new_secretaries: bool = False

    @classmethod
    def from_query(cls, query) -> "Group":
        """Read a group from a query string or POST data (unknown values are ignored)."""
        cities = tuple(sorted(set(ids(query.getlist("city")))))
        posts = tuple(p for p in Post.values if p in query.getlist("post"))
        return cls(city_ids=cities, posts=posts, new_secretaries=query.get("new") == "1")

    def query(self) -> str:
        pairs = [("city", c) for c in self.city_ids] + [("post", p) for p in self.posts]
        if self.new_secretaries:
            pairs.append(("new", "1"))
        return urlencode(pairs)

    def responses(self, today: date | None = None) -> Q:
        """The condition on answers whose respondent belongs to the group."""
        q = Q()
        if self.city_ids:
            q &= Q(response__city_id__in=self.city_ids)
        if self.posts:
            q &= Q(response__post__in=self.posts)
        if self.new_secretaries:
            today = today or timezone.localdate()
            since = today - timedelta(days=settings.LUODI_NEW_SECRETARY_DAYS)
            # Only named responses keep the cadre, and so the date the post was taken up.
            q &= Q(response__post=Post.SECRETARY, response__cadre__post_since__gte=since)
        return q

    def findings(self) -> QuerySet:
        found = Finding.objects.all()
        if self.city_ids:
            found = found.filter(record__city_id__in=self.city_ids)
        return found


@dataclass
class TopicRank:
    topic: NeedTopic
    respondents: int = 0  # answers on the topic from the group
    mean: float | None = None  # mean level, 1–5
    share_high: float | None = None  # share of answers of 4 or 5
    finding_count: int = 0
    findings: list[Finding] = field(default_factory=list)  # the first few, for links
    keyword_hits: int = 0
    quotes: list[str] = field(default_factory=list)
    score: float = 0.0

    @property
    def mean_shown(self) -> float | None:
        return None if self.mean is None else round(self.mean, 2)

    @property
    def share_high_percent(self) -> float | None:
        return None if self.share_high is None else round(self.share_high * 100, 1)


def ids(values) -> list[int]:
    """The keys among ``values`` (query-string text), in order; anything else is ignored."""
    return [i for i in map(parse_id, values) if i is not None]


def survey_part(mean: float | None, share_high: float | None) -> float:
    """The questionnaire evidence as 0–1: half the mean level on its scale, half the share
    of high scores."""
    if mean is None or share_high is None:
        return 0.0
    return 0.5 * (mean - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) + 0.5 * share_high


def combined_score(rank: TopicRank, *, most_findings: int, most_hits: int) -> float:
    survey = survey_part(rank.mean, rank.share_high)
    findings = rank.finding_count / most_findings if most_findings else 0.0
    keywords = rank.keyword_hits / most_hits if most_hits else 0.0
    total = SURVEY_WEIGHT * survey + FINDINGS_WEIGHT * findings + KEYWORDS_WEIGHT * keywords
    return round(100 * total, 1)


@dataclass(frozen=True)
class TopicScore:
    """Answers scoring one need topic (matrix items that stand for it), 1–5."""

    n: int
    points: int
    high: int  # how many scored HIGH_SCORE or more

    @property
    def mean(self) -> float | None:
        return self.points / self.n if self.n else None

    @property
    def share_high(self) -> float | None:
        return self.high / self.n if self.n else None

    @property
    def share_high_percent(self) -> float | None:
        return None if self.n == 0 else round(100 * self.high / self.n, 1)

    @property
    def mean_shown(self) -> float | None:
        return None if self.mean is None else round(self.mean, 2)


def topic_scores(questions: QuerySet, answers: Q | None = None) -> dict[int, TopicScore]:
    """Per need topic, the answers to the matrix ``questions`` whose items stand for topics
    (``Question.option_topics``), narrowed by ``answers``: one query for the questions, one
    aggregate over their answers, whatever their number."""
    item_topic: dict[tuple[int, int], int] = {}
    for question_id, topics in questions.values_list("id", "option_topics"):
        for item, topic_id in enumerate(topics or []):
            item_topic[(question_id, item)] = topic_id
    if not item_topic:
        return {}
    rows = (
        Answer.objects.filter(
            answers or Q(),
            question_id__in={q for q, _ in item_topic},
            item__isnull=False,
            value__isnull=False,
        )
        .values("question_id", "item")
        .annotate(
            n=Count("id"),
            points=Sum("value"),
            high=Count("id", filter=Q(value__gte=HIGH_SCORE)),
        )
        .order_by()
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        topic_id = item_topic.get((row["question_id"], row["item"] or 0))
        if topic_id is not None:
            total = totals[topic_id]
            total[0] += row["n"]
            total[1] += row["points"]
            total[2] += row["high"]
    return {t: TopicScore(n, points, high) for t, (n, points, high) in totals.items()}


def _level_answers(group: Group, ranks: dict[int, TopicRank], today: date | None) -> None:
    """Mean and share of high scores per topic among the group's needs answers."""
    questions = Question.objects.filter(role=NEED_LEVEL, survey__purpose=Purpose.NEEDS)
    for topic_id, score in topic_scores(questions, group.responses(today)).items():
        if topic_id in ranks:
            rank = ranks[topic_id]
            rank.respondents = score.n
            rank.mean = score.mean
            rank.share_high = score.share_high


def _findings(group: Group, ranks: dict[int, TopicRank]) -> None:
    """Findings tagged with each topic in the group's cities: one query of (topic, finding)
    pairs, the finding and its record joined."""
    through = Finding.topics.through.objects.filter(
        finding__in=group.findings(), needtopic_id__in=ranks
    ).select_related("finding__record")
    for pair in through.order_by("-finding__record__date", "finding_id"):
        rank = ranks[pair.needtopic_id]
        rank.finding_count += 1
        if len(rank.findings) < FINDINGS_SHOWN:
            rank.findings.append(pair.finding)


def _problem_answers(group: Group, today: date | None) -> QuerySet:
    return Answer.objects.filter(
        group.responses(today),
        question__role=PROBLEM,
        question__survey__purpose=Purpose.NEEDS,
    ).exclude(text="")


def keyword_hits(texts: QuerySet, topics: Sequence[NeedTopic]) -> dict[int, int]:
    """How many of ``texts`` (rows with a ``text`` column) name each topic: one aggregate in
    the database. A topic's name is a phrase (物业纠纷调解), matched whole: cutting it into
    jieba's words would count every text that says 服务 for every service topic."""
    if not topics:
        return {}
    counts = texts.order_by().aggregate(
        **{f"t{t.pk}": Count("pk", filter=Q(text__contains=t.name)) for t in topics}
    )
    return {t.pk: counts[f"t{t.pk}"] or 0 for t in topics}


def _keywords(group: Group, ranks: dict[int, TopicRank], today: date | None) -> None:
    topics = [r.topic for r in ranks.values()]
    answers = _problem_answers(group, today)
    from_answers = keyword_hits(answers, topics)
    from_findings = keyword_hits(group.findings(), topics)
    for topic_id, rank in ranks.items():
        rank.keyword_hits = from_answers[topic_id] + from_findings[topic_id]
    # Sample quotes from a bounded pool (the ids are random: no order of arrival).
    pool = answers.exclude(review=Review.HIDDEN).values_list("text", flat=True)[:QUOTE_POOL]
    for text in pool:
        for rank in ranks.values():
            if len(rank.quotes) < QUOTES_PER_TOPIC and rank.topic.name in text:
                rank.quotes.append(text)


def rank_topics(group: Group, *, today: date | None = None) -> list[TopicRank]:
    """Every need topic with its evidence for ``group``, the most needed first (ties: more
    respondents, then the topics' own order)."""
    topics = list(NeedTopic.objects.select_related("category"))
    ranks = {t.pk: TopicRank(topic=t) for t in topics}
    if not ranks:
        return []
    _level_answers(group, ranks, today)
    _findings(group, ranks)
    _keywords(group, ranks, today)
    most_findings = max(r.finding_count for r in ranks.values())
    most_hits = max(r.keyword_hits for r in ranks.values())
    for rank in ranks.values():
        rank.score = combined_score(rank, most_findings=most_findings, most_hits=most_hits)
    order = {t.pk: i for i, t in enumerate(topics)}
    return sorted(ranks.values(), key=lambda r: (-r.score, -r.respondents, order[r.topic.pk]))
