"""Writes of timetable drafts: make one, solve it (in the background), pin, accept.

Each takes the acting user (``by``) and is recorded in the audit log. Accepting puts the
proposal into the classes' timetables through ``training.services.scheduling`` (the checks and
the audit trail of a hand-made session), all or nothing.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.curriculum.models import Course, FieldSite, TeachingCase
from luodi.faculty.models import Teacher
from luodi.lib import audit
from luodi.timetabling.models import Draft, DraftStatus
from luodi.timetabling.slots import SLOT_TIMES
from luodi.training.models import Session, TrainingClass
from luodi.training.services import scheduling

SOLVE_JOB = "timetabling.solve"
SLOT_HOURS = max(hours for _s, _e, hours in SLOT_TIMES.values())


@dataclass(frozen=True)
class Wanted:
    """A course to place in a class: its hours, a teacher (or None: any of the course's), a
    field site for on-site teaching."""

    course: Course
    teacher: Teacher | None = None
    field_site: FieldSite | None = None
    hours: Decimal | None = None


def role_of(title: str) -> str:
    """The opening (开班式, 开班第一课) and closing (结业) sessions, by their titles."""
    if "开班" in title:
        return "opening"
    if "结业" in title:
        return "closing"
    return ""


def _parts(hours: Decimal) -> list[Decimal]:
    """A course longer than a slot as several sessions: whole slots, then the rest."""
    parts = []
    while hours > SLOT_HOURS:
        parts.append(SLOT_HOURS)
        hours -= SLOT_HOURS
    return [*parts, hours]


def _case_for(course: Course) -> int | None:
    return (
        TeachingCase.objects.filter(courses=course)
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )


def items_from_courses(training_class: TrainingClass, wanted: Sequence[Wanted]) -> list[dict]:
    items = []
    for n, want in enumerate(wanted):
        course = want.course
        if want.teacher:
            teachers = [want.teacher.pk]
        else:
            teachers = list(course.teachers.order_by("id").values_list("pk", flat=True))
        for part, hours in enumerate(_parts(Decimal(want.hours or course.default_hours))):
            items.append(
                {
                    "key": f"{training_class.pk}-{n}-{part}",
                    "class": training_class.pk,
                    "course": course.pk,
                    "title": course.title,
                    "method": course.method,
                    "hours": str(hours),
                    "group": f"{training_class.pk}-{n}",
                    "teachers": teachers,
                    "field_site": want.field_site.pk if want.field_site else None,
                    "whole_day": bool(want.field_site and want.field_site.takes_whole_day),
                    "case": _case_for(course) if course.method == "case_analysis" else None,
                    "category": course.category_id,
                    "role": role_of(course.title),
                    "current": None,
                }
            )
    return items


def items_from_timetable(training_class: TrainingClass) -> list[dict]:
    """The class's sessions as they are, to be placed again (re-solving keeps them close)."""
    items = []
    sessions = training_class.sessions.select_related("course", "field_site")
    for session in sessions.order_by("date", "start_time"):
        items.append(
            {
                "key": f"{training_class.pk}-s{session.pk}",
                "class": training_class.pk,
                "course": session.course_id,
                "title": session.course.title,
                "method": session.method,
                "hours": str(session.hours),
                "group": f"{training_class.pk}-{session.course_id}-{session.teacher_id}",
                "teachers": [session.teacher_id] if session.teacher_id else [],
                "field_site": session.field_site_id,
                "whole_day": bool(session.field_site and session.field_site.takes_whole_day),
                "case": session.case_id,
                "category": session.course.category_id,
                "role": role_of(session.course.title),
                "current": [session.date.isoformat(), session.slot],
            }
        )
    return items


def _refuse_started(classes: Sequence[TrainingClass]) -> None:
    for training_class in classes:
        if scheduling.class_has_started(training_class):
            raise ValidationError(
                _(
                    "%(class)s has started: its timetable changes one session at a time, "
                    "with its trainees told."
                )
                % {"class": training_class.title}
            )


def _total(items: Sequence[dict], class_id: int) -> str:
    return str(sum((Decimal(i["hours"]) for i in items if i["class"] == class_id), Decimal(0)))


@transaction.atomic
def draft_create(
    *,
    classes: Sequence[TrainingClass],
    items: Sequence[dict],
    by: User,
    hours: dict[int, Decimal] | None = None,
    use_evenings: bool = False,
    allow_holidays: bool = False,
) -> Draft:
    """A draft for ``classes`` (not started) placing ``items``; each class is to have
    ``hours`` (by default, the hours of its items). Solving starts at once."""
    _refuse_started(classes)
    if not items:
        raise ValidationError(_("There is nothing to place: choose the courses first."))
    wanted = {c.pk: str(Decimal((hours or {}).get(c.pk) or _total(items, c.pk))) for c in classes}
    draft = Draft.objects.create(
        spec={"items": list(items), "hours": wanted},
        use_evenings=use_evenings,
        allow_holidays=allow_holidays,
        language=translation.get_language() or "zh-hans",
        created_by=by,
    )
    draft.classes.set(classes)
    audit.record(
        "timetable_draft.create",
        by=by,
        obj=draft,
        classes=[c.pk for c in classes],
        items=len(items),
    )
    _start(draft, by)
    return draft


def draft_for_timetables(*, classes: Sequence[TrainingClass], by: User, **options) -> Draft:
    """A draft re-arranging the current timetables of ``classes`` together (a term)."""
    items = [i for c in classes for i in items_from_timetable(c)]
    return draft_create(classes=classes, items=items, by=by, **options)


def _start(draft: Draft, by: User) -> None:
    from luodi.jobs.services import job_start

    job_start(kind=SOLVE_JOB, subject=draft, by=by, parameters={"revision": draft.revision})


def _pins_from(draft: Draft, pinned: Sequence[str]) -> list[dict]:
    """Pins at the proposal's places (and teachers) of the items named."""
    keys = set(pinned)
    return [
        {"item": p["item"], "day": p["day"], "slot": p["slot"], "teacher": p.get("teacher")}
        for p in draft.proposal
        if p["item"] in keys
    ]


@transaction.atomic
def draft_resolve(
    *,
    draft: Draft,
    pinned: Sequence[str],
    by: User,
    use_evenings: bool | None = None,
    allow_holidays: bool | None = None,
) -> Draft:
    """Solve again, keeping the sessions named in ``pinned`` where the proposal has them."""
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.status in (DraftStatus.SOLVING, DraftStatus.ACCEPTED):
        raise ValidationError(_("This draft is being solved or was accepted already."))
    _refuse_started(list(draft.classes.all()))
    known = {i["key"] for i in draft.items()}
    kept = [p for p in draft.pins if p["item"] in pinned]  # pins of an infeasible draft stay
    kept_keys = {p["item"] for p in kept}
    draft.pins = kept + [p for p in _pins_from(draft, pinned) if p["item"] not in kept_keys]
    draft.pins = [p for p in draft.pins if p["item"] in known]
    if use_evenings is not None:
        draft.use_evenings = use_evenings
    if allow_holidays is not None:
        draft.allow_holidays = allow_holidays
    draft.revision += 1
    draft.status = DraftStatus.SOLVING
    draft.error = ""
    draft.save()
    audit.record("timetable_draft.resolve", by=by, obj=draft, pins=[p["item"] for p in draft.pins])
    _start(draft, by)
    return draft


def draft_store_result(draft: Draft, revision: int, result) -> bool:
    """Keep a solver's result on the draft if it is still the latest request's."""
    placements = [
        {"item": p.item, "day": p.day.isoformat(), "slot": p.slot, "teacher": p.teacher}
        for p in result.placements
    ]
    status = DraftStatus.INFEASIBLE if result.status == "infeasible" else DraftStatus.PROPOSED
    if result.status == "unknown":
        status = DraftStatus.FAILED
    updated = Draft.objects.filter(pk=draft.pk, revision=revision).update(
        status=status,
        proposal=placements,
        reasons=result.reasons,
        objective=result.objective,
        bound=result.bound,
        seconds=round(result.seconds, 2),
        error=_("No timetable was found in the time allowed; try again or pin fewer sessions.")
        if status == DraftStatus.FAILED
        else "",
        updated_at=timezone.now(),
    )
    return bool(updated)


def draft_failed(draft: Draft, revision: int, message: str) -> None:
    Draft.objects.filter(pk=draft.pk, revision=revision).update(
        status=DraftStatus.FAILED, error=message, updated_at=timezone.now()
    )


def sessions_of(draft: Draft, classes: dict[int, TrainingClass]) -> list[Session]:
    """The proposal as sessions: in each slot, its sessions one after another from the slot's
    start, in the order of the plan."""
    items = {i["key"]: (n, i) for n, i in enumerate(draft.items())}
    in_slot: dict[tuple, list[dict]] = {}
    for placement in draft.proposal:
        item = items[placement["item"]][1]
        in_slot.setdefault((item["class"], placement["day"], placement["slot"]), []).append(
            placement
        )
    sessions = []
    for (class_id, day, slot), placements in sorted(
        in_slot.items(), key=lambda kv: (kv[0][1], SLOT_TIMES[kv[0][2]][0], kv[0][0])
    ):
        training_class = classes[class_id]
        starts = dt.datetime.combine(dt.date.fromisoformat(day), SLOT_TIMES[slot][0])
        for placement in sorted(placements, key=lambda p: items[p["item"]][0]):
            item = items[placement["item"]][1]
            hours = Decimal(item["hours"])
            ends = starts + dt.timedelta(hours=float(hours))
            sessions.append(
                Session(
                    training_class=training_class,
                    date=starts.date(),
                    slot=slot,
                    start_time=starts.time(),
                    end_time=ends.time(),
                    course_id=item["course"],
                    teacher_id=placement.get("teacher"),
                    method=item["method"],
                    hours=hours,
                    venue="" if item.get("field_site") else training_class.venue,
                    field_site_id=item.get("field_site"),
                    case_id=item.get("case"),
                )
            )
            starts = ends
    return sessions


@transaction.atomic
def draft_accept(*, draft: Draft, by: User) -> list[Session]:
    """Replace the classes' timetables with the proposal: each current session removed
    (``session_delete``: refused if it has attendance or leave) and each proposed one saved
    (``session_save``: every check of a hand-made session). All or nothing; the first
    refusal names the session and its reasons."""
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.PROPOSED:
        raise ValidationError(_("Only a proposed timetable can be accepted."))
    classes = {
        c.pk: c for c in TrainingClass.objects.select_for_update().filter(timetable_drafts=draft)
    }
    _refuse_started(list(classes.values()))
    for training_class in classes.values():
        for session in training_class.sessions.all():
            scheduling.session_delete(session=session, by=by)
    saved = []
    for session in sessions_of(draft, classes):
        try:
            saved.append(scheduling.session_save(session=session, by=by))
        except ValidationError as exc:
            raise ValidationError(
                _("%(session)s: %(reasons)s")
                % {"session": scheduling.describe(session), "reasons": " ".join(exc.messages)}
            ) from exc
    draft.status = DraftStatus.ACCEPTED
    draft.accepted_by = by
    draft.accepted_at = timezone.now()
    draft.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
    audit.record("timetable_draft.accept", by=by, obj=draft, sessions=len(saved))
    return saved
