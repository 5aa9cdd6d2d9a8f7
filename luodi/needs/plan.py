"""A suggested course plan for a new class, from the ranked need topics (``needs.analysis``).

The objective (``docs/needs.md``): choose active courses, within the class's hours, that
maximise the need covered,

    value = Σ over topics t covered: score(t) × max quality(teacher of a chosen course covering t)

where ``quality`` = 0.9 + 0.2 × rating / 100 (a mean rubric total of 90 gives 1.08; a teacher
with no ratings yet counts as rated ``UNRATED_AS``), and with a mix of teaching methods: a
lecture is taken only while there are fewer than two lectures per other method chosen, unless
no other method that covers a remaining need fits. Deterministic greedy: each step takes the
admissible course with the most value added per hour (ties: more value, a better-rated teacher,
title, id). Only the ``TOP_TOPICS`` best-ranked topics with a score count.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from luodi.college.models import CollegeSettings
from luodi.curriculum.models import Course, TeachingMethod
from luodi.faculty.models import PoliticalReview, Teacher
from luodi.surveys.ratings import teacher_ratings
from luodi.timetabling.slots import SLOT_TIMES
from luodi.training.models import TimeSlot, TrainingClass

TOP_TOPICS = 10
UNRATED_AS = 80.0  # a teacher with no ratings yet, between a poor and a good rating
# The slots a draft timetable fills, each day of the class, in order.
SLOTS = tuple((slot, *SLOT_TIMES[slot][:2]) for slot in (TimeSlot.MORNING, TimeSlot.AFTERNOON))
SLOT_HOURS = SLOT_TIMES[TimeSlot.MORNING][2]


def class_hours(training_class: TrainingClass) -> Decimal:
    """The hours a class's days hold: its days × the college's hours per full day (学时
    conversion, the college settings; 6 by default: a morning and an afternoon)."""
    return CollegeSettings.load().hours_per_day * training_class.days


@dataclass(frozen=True)
class TeacherOption:
    id: int
    name: str
    rating: float | None = None  # None: no ratings yet
    cleared: bool = True  # passed political review

    @property
    def quality(self) -> float:
        rating = UNRATED_AS if self.rating is None else self.rating
        return 0.9 + 0.2 * rating / 100


def _teacher_order(t: TeacherOption):
    return (not t.cleared, t.rating is None, -(t.rating or 0), t.name, t.id)


@dataclass(frozen=True)
class CourseOption:
    id: int
    title: str
    method: str
    hours: Decimal
    topic_ids: frozenset[int]
    teachers: tuple[TeacherOption, ...] = ()

    @property
    def is_lecture(self) -> bool:
        return self.method == TeachingMethod.LECTURE

    @property
    def method_label(self) -> str:
        return str(TeachingMethod(self.method).label)

    def best_teacher(self) -> TeacherOption | None:
        """A cleared teacher before one not cleared, the best rated first, unrated last."""
        return min(self.teachers, key=_teacher_order, default=None)

    def teacher(self, teacher_id: int | None) -> TeacherOption | None:
        found = [t for t in self.teachers if t.id == teacher_id]
        return found[0] if found else self.best_teacher()


@dataclass(frozen=True)
class PlanItem:
    course: CourseOption
    teacher: TeacherOption | None

    @property
    def quality(self) -> float:
        return self.teacher.quality if self.teacher else TeacherOption(0, "").quality


@dataclass
class Plan:
    items: list[PlanItem]
    hours_available: Decimal
    scores: dict[int, float] = field(default_factory=dict)  # the topics counted, best first

    @property
    def hours(self) -> Decimal:
        return sum((i.course.hours for i in self.items), Decimal(0))

    @property
    def covered(self) -> list[int]:
        """The counted topics the plan covers, in rank order: what the class targets."""
        chosen = set().union(*(i.course.topic_ids for i in self.items))
        return [t for t in self.scores if t in chosen]

    @property
    def value(self) -> float:
        return plan_value(self.items, self.scores)

    @property
    def lectures(self) -> int:
        return sum(1 for i in self.items if i.course.is_lecture)


def _credit(items: Iterable[PlanItem], scores: Mapping[int, float]) -> dict[int, float]:
    credit: dict[int, float] = {}
    for item in items:
        for topic_id in item.course.topic_ids & scores.keys():
            credit[topic_id] = max(credit.get(topic_id, 0.0), scores[topic_id] * item.quality)
    return credit


def plan_value(items: Iterable[PlanItem], scores: Mapping[int, float]) -> float:
    """The objective: each counted topic's score once, by the best teacher covering it."""
    return sum(_credit(items, scores).values())


def mix_allows(items: Sequence[PlanItem], course: CourseOption) -> bool:
    """Whether adding ``course`` keeps fewer than two lectures per other method before it."""
    if not course.is_lecture:
        return True
    lectures = sum(1 for i in items if i.course.is_lecture)
    return lectures < 2 * (len(items) - lectures)


def counted_scores(ranked: Iterable[tuple[int, float]], top: int = TOP_TOPICS) -> dict[int, float]:
    """The ``top`` best (topic id, score) pairs with a score above 0, in rank order."""
    return dict([(t, s) for t, s in ranked if s > 0][:top])


def suggest(
    *, scores: Mapping[int, float], hours: Decimal, courses: Sequence[CourseOption]
) -> Plan:
    """The greedy plan (module docstring) for topics ``scores`` (id → score, best first)."""
    items: list[PlanItem] = []
    remaining = Decimal(hours)
    candidates = [c for c in courses if c.topic_ids & scores.keys()]
    while True:
        credit = _credit(items, scores)
        options = []
        for course in candidates:
            if course.hours > remaining or any(i.course.id == course.id for i in items):
                continue
            item = PlanItem(course, course.best_teacher())
            gain = sum(
                max(0.0, scores[t] * item.quality - credit.get(t, 0.0))
                for t in course.topic_ids & scores.keys()
            )
            if gain > 0:
                options.append((item, gain))
        if not any(i.course.is_lecture is False for i, _ in options):
            admissible = options  # no other method left: lectures may follow lectures
        else:
            admissible = [(i, g) for i, g in options if mix_allows(items, i.course)]
        if not admissible:
            break
        item, gain = min(admissible, key=lambda o: _choice_order(*o))
        items.append(item)
        remaining -= item.course.hours
    return Plan(items=items, hours_available=Decimal(hours), scores=dict(scores))


def _choice_order(item: PlanItem, gain: float):
    rating = item.teacher.rating if item.teacher and item.teacher.rating is not None else -1.0
    return (-gain / float(item.course.hours), -gain, -rating, item.course.title, item.course.id)


def course_options(
    *, topic_ids: Iterable[int] = (), course_ids: Iterable[int] = (), day=None
) -> list[CourseOption]:
    """The active courses covering any of ``topic_ids`` or named in ``course_ids``, with their
    topics and teachers (rated, and whether cleared by political review on ``day``, by
    default today): four queries."""
    day = day or timezone.localdate()
    cleared = PoliticalReview.objects.covering(day).filter(teacher=OuterRef("pk"))
    teachers = Teacher.objects.annotate(is_cleared=Exists(cleared))
    wanted = Q(need_topics__in=list(topic_ids)) | Q(pk__in=list(course_ids))
    courses = (
        Course.objects.filter(wanted, is_active=True)
        .distinct()
        .prefetch_related("need_topics", Prefetch("teachers", queryset=teachers))
        .order_by("title", "id")
    )
    ratings = teacher_ratings()
    return [
        CourseOption(
            id=c.pk,
            title=c.title,
            method=c.method,
            hours=c.default_hours,
            topic_ids=frozenset(t.pk for t in c.need_topics.all()),
            teachers=tuple(
                TeacherOption(
                    id=t.pk,
                    name=t.name,
                    rating=ratings.get(t.pk),
                    cleared=getattr(t, "is_cleared", False),  # annotated above
                )
                for t in c.teachers.all()
            ),
        )
        for c in courses
    ]
