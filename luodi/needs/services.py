"""Writes of needs research records. Each takes the acting user (``by``) and is audited."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.curriculum.models import Course, FieldSite, NeedTopic, TeachingMethod
from luodi.faculty.models import Teacher
from luodi.lib import audit
from luodi.needs.models import Finding, ResearchRecord
from luodi.needs.plan import SLOT_HOURS, SLOTS
from luodi.training.models import Session, TrainingClass
from luodi.training.services import scheduling
from luodi.training.services.planning import class_set_target_needs


@dataclass(frozen=True)
class FindingSpec:
    text: str
    topic_ids: Sequence[int] = field(default_factory=tuple)


@transaction.atomic
def record_save(
    *, record: ResearchRecord, findings: Sequence[FindingSpec], by: User | None
) -> ResearchRecord:
    """Save a new or changed record with its findings (which replace the ones it had, in the
    order given). The record's city follows its community when one is given."""
    created = record.pk is None
    if record.community is not None:
        record.city_id = record.community.city_id
    if created:
        record.created_by = by
    record.full_clean()
    record.save()
    record.findings.all().delete()
    for position, spec in enumerate(f for f in findings if f.text.strip()):
        finding = Finding.objects.create(record=record, position=position, text=spec.text.strip())
        finding.topics.set(spec.topic_ids)
    audit.record(
        "research_record.save",
        by=by,
        obj=record,
        created=created,
        findings=len([f for f in findings if f.text.strip()]),
    )
    return record


@dataclass(frozen=True)
class TimetableItem:
    """A course of the plan as it goes into the timetable."""

    course: Course
    teacher: Teacher | None
    field_site: FieldSite | None = None


def _free_slots(training_class: TrainingClass):
    """The class's morning and afternoon slots not yet taken by its sessions, in order."""
    taken = set(training_class.sessions.values_list("date", "slot"))
    for day in range(training_class.days):
        when = training_class.start_date + timedelta(days=day)
        for slot, starts, ends in SLOTS:
            if (when, slot) not in taken:
                yield when, slot, starts, ends


def _ends(day, starts: time, hours: Decimal) -> time:
    return (datetime.combine(day, starts) + timedelta(hours=float(hours))).time()


@dataclass(frozen=True)
class Placement:
    """One session of a course as the draft timetable places it."""

    day: date
    slot: str
    starts: time
    ends: time
    hours: Decimal


def place_courses(
    training_class: TrainingClass, courses: Sequence[Course]
) -> list[list[Placement]]:
    """Where ``plan_to_timetable`` puts each course: in order, into the class's next free
    morning or afternoon slots, a course longer than a slot taking several. Refuses (naming the
    course) when the class runs out of slots."""
    slots = _free_slots(training_class)
    placed = []
    for course in courses:
        left, sessions = Decimal(course.default_hours), []
        while left > 0:
            found = next(slots, None)
            if found is None:
                raise ValidationError(
                    _("The class has no free morning or afternoon left for “%(course)s”.")
                    % {"course": course.title}
                )
            day, slot, starts, _slot_ends = found
            hours = min(left, SLOT_HOURS)
            sessions.append(Placement(day, slot, starts, _ends(day, starts, hours), hours))
            left -= hours
        placed.append(sessions)
    return placed


@transaction.atomic
def plan_to_timetable(
    *,
    training_class: TrainingClass,
    items: Sequence[TimetableItem],
    topic_ids: Sequence[int],
    by: User | None,
) -> list[Session]:
    """Turn a course plan into the class's draft timetable: each course, in order, into the
    next free morning or afternoon slots (``place_courses``), through the timetable's own
    checks (``session_save``); and remember the needs the class targets. All or nothing: the
    first refusal names the course and its reasons, and nothing is kept."""
    placements = place_courses(training_class, [item.course for item in items])
    sessions = []
    for item, placed in zip(items, placements, strict=True):
        course = item.course
        for p in placed:
            session = Session(
                training_class=training_class,
                date=p.day,
                slot=p.slot,
                start_time=p.starts,
                end_time=p.ends,
                course=course,
                teacher=item.teacher,
                method=course.method,
                hours=p.hours,
                venue=training_class.venue,
                field_site=item.field_site if course.method == TeachingMethod.ON_SITE else None,
                case=course.cases.order_by("title", "id").first()
                if course.method == TeachingMethod.CASE_ANALYSIS
                else None,
            )
            try:
                sessions.append(scheduling.session_save(session=session, by=by))
            except ValidationError as exc:
                raise ValidationError(
                    [
                        _("“%(course)s” on %(date)s: %(reason)s")
                        % {"course": course.title, "date": p.day.isoformat(), "reason": reason}
                        for reason in exc.messages
                    ]
                ) from exc
    topics = NeedTopic.objects.in_bulk(topic_ids)
    class_set_target_needs(
        training_class=training_class, topics=[topics[t] for t in topic_ids if t in topics], by=by
    )
    audit.record(
        "class.plan_to_timetable",
        by=by,
        obj=training_class,
        courses=[i.course.pk for i in items],
        sessions=len(sessions),
        target_needs=list(topic_ids),
    )
    return sessions
