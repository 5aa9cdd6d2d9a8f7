"""Closing the loop for one class: for each need it targeted, how much it was needed before
(its needs questionnaire), how much of the timetable covered it, whether trainees found it met
(its satisfaction survey), whether the class helped their work months later (its follow-up),
and the application stories told since, through the courses that cover it.

A fixed number of queries, whatever the number of responses, sessions or stories."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from luodi.curriculum.models import NeedTopic
from luodi.needs.analysis import TopicScore, topic_scores
from luodi.surveys.blueprints import NEED_LEVEL, NEED_MET
from luodi.surveys.models import Purpose, Question
from luodi.training.models import ApplicationStory, Session, TrainingClass


@dataclass
class NeedLoop:
    topic: NeedTopic
    demand: TopicScore | None = None  # before: how much it was needed (1–5)
    sessions: int = 0  # the sessions whose course covers it
    hours: Decimal = Decimal(0)
    met: TopicScore | None = None  # at the end: met (4 or 5 of 5)
    helped: TopicScore | None = None  # months later: the class helped (4 or 5 of 5)
    stories: list[ApplicationStory] = field(default_factory=list)


@dataclass
class ClassLoop:
    needs: list[NeedLoop]
    other_stories: list[ApplicationStory]  # stories of the class about no targeted need
    hours: Decimal  # the timetable's total


def class_loop(training_class: TrainingClass, user) -> ClassLoop:
    """The loop of ``training_class``; the stories are those ``user`` may see."""
    topics = list(training_class.target_needs.select_related("category"))
    questions = Question.objects.filter(survey__training_class=training_class)
    demand = topic_scores(questions.filter(role=NEED_LEVEL, survey__purpose=Purpose.NEEDS))
    met = topic_scores(questions.filter(role=NEED_MET, survey__purpose=Purpose.SATISFACTION))
    helped = topic_scores(questions.filter(role=NEED_MET, survey__purpose=Purpose.FOLLOW_UP))
    sessions = Session.objects.filter(training_class=training_class)
    coverage = {
        row["course__need_topics"]: row
        for row in sessions.filter(course__need_topics__in=topics)
        .values("course__need_topics")
        .annotate(n=Count("id"), hours=Sum("hours"))
        .order_by()
    }
    stories = list(
        ApplicationStory.objects.visible_to(user)
        .filter(training_class=training_class)
        .select_related("cadre", "community", "course")
        .prefetch_related("course__need_topics")
        .order_by("id")
    )
    by_topic: dict[int, list[ApplicationStory]] = defaultdict(list)
    placed: set[int] = set()
    wanted = {t.pk for t in topics}
    for story in stories:
        covered = {t.pk for t in story.course.need_topics.all()} if story.course else set()
        for topic_id in covered & wanted:
            by_topic[topic_id].append(story)
            placed.add(story.pk)
    needs = [
        NeedLoop(
            topic=t,
            demand=demand.get(t.pk),
            sessions=coverage.get(t.pk, {}).get("n", 0),
            hours=coverage.get(t.pk, {}).get("hours") or Decimal(0),
            met=met.get(t.pk),
            helped=helped.get(t.pk),
            stories=by_topic.get(t.pk, []),
        )
        for t in topics
    ]
    total = sessions.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    return ClassLoop(
        needs=needs,
        other_stories=[s for s in stories if s.pk not in placed],
        hours=total,
    )
