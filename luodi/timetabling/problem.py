"""A draft's solver problem, read from the records: the classes' slots, the sessions to place,
and every hard rule in words (``solver.Ban``, ``solver.Cap``, ``solver.Pin``).

Run in the draft's language: the words are what the page shows when no timetable exists.
Sessions of the draft's own classes are not bookings (the proposal replaces them); every other
class's sessions are.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from luodi.college.models import CollegeSettings
from luodi.faculty.models import PoliticalReview, Teacher, TeacherKind
from luodi.surveys.ratings import teacher_ratings
from luodi.timetabling import solver
from luodi.timetabling.models import Draft
from luodi.timetabling.slots import SLOT_TIMES, overlaps, slot_label
from luodi.training.models import Session, TrainingClass
from luodi.training.services.planning import statutory_holiday


def weights() -> dict[str, int]:
    return CollegeSettings.load().soft_rule_weights()


def class_slots(training_class: TrainingClass, *, evenings: bool) -> list[solver.Slot]:
    names = [n for n in SLOT_TIMES if evenings or n != "evening"]
    return [
        solver.Slot(day=training_class.start_date + dt.timedelta(days=d), name=n, hours=h)
        for d in range(training_class.days)
        for n in names
        for h in [SLOT_TIMES[n][2]]
    ]


def items_of(draft: Draft) -> list[solver.Item]:
    return [
        solver.Item(
            key=i["key"],
            class_id=i["class"],
            title=i["title"],
            method=i["method"],
            hours=Decimal(i["hours"]),
            group=i["group"],
            teachers=tuple(i["teachers"]),
            field_site=i.get("field_site"),
            category=i.get("category"),
            role=i.get("role", ""),
            whole_day=i.get("whole_day", False),
            current=(dt.date.fromisoformat(i["current"][0]), i["current"][1])
            if i.get("current")
            else None,
        )
        for i in draft.items()
    ]


def spec_reasons(draft: Draft, classes: dict[int, TrainingClass]) -> list[str]:
    """What is wrong before solving: a case analysis with no case, on-site teaching with no
    field site, hours that do not add up to the class's."""
    reasons = []
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for item in draft.items():
        totals[item["class"]] += Decimal(item["hours"])
        if item["method"] == "case_analysis" and not item.get("case"):
            reasons.append(
                _("Case analysis needs a teaching case: no case is linked to “%(course)s”.")
                % {"course": item["title"]}
            )
        if item["method"] == "on_site" and not item.get("field_site"):
            reasons.append(
                _("On-site teaching needs a field-teaching site: choose one for “%(course)s”.")
                % {"course": item["title"]}
            )
    for class_id, wanted in draft.spec.get("hours", {}).items():
        placed = totals.get(int(class_id), Decimal(0))
        if placed != Decimal(wanted):
            reasons.append(
                _("%(class)s is to have %(hours)s hours, but its sessions add up to %(placed)s.")
                % {"class": classes[int(class_id)].title, "hours": wanted, "placed": placed}
            )
    return reasons


def _teacher_bans(teachers: Iterable[Teacher], days: set[dt.date]) -> list[solver.Ban]:
    """Days a teacher may not teach: their weekdays off and absences, and days without a
    valid political review (the teacher's own words for each, as on a hand-made session)."""
    bans = []
    cleared = {
        (teacher_id, day)
        for day in days
        for teacher_id in PoliticalReview.objects.covering(day)
        .filter(teacher__in=list(teachers))
        .values_list("teacher_id", flat=True)
    }
    for teacher in teachers:
        for day in sorted(days):
            why = None if (teacher.pk, day) in cleared else teacher.review_problem(day)
            if why:
                bans.append(solver.Ban(why=why, teacher=teacher.pk, day=day))
            if why := teacher.availability_problem(day, other_sessions=0):
                bans.append(solver.Ban(why=why, teacher=teacher.pk, day=day))
    return bans


def _booked(session: Session, day: dt.date) -> Iterable[str]:
    """The slot names a session of another class takes on ``day``."""
    for name, (starts, ends, _hours) in SLOT_TIMES.items():
        if overlaps(session.start_time, session.end_time, starts, ends):
            yield name


def _when(session: Session) -> dict:
    return {
        "day": session.date.isoformat(),
        "start": session.start_time.strftime("%H:%M"),
        "end": session.end_time.strftime("%H:%M"),
        "class": session.training_class.title,
        "course": session.course.title,
    }


def build(draft: Draft) -> solver.Problem:
    classes = {c.pk: c for c in draft.classes.select_related("class_type")}
    items = items_of(draft)
    slots = {pk: class_slots(c, evenings=draft.use_evenings) for pk, c in classes.items()}
    days = {s.day for ss in slots.values() for s in ss}
    teacher_ids = {t for i in items for t in i.teachers}
    teachers = list(Teacher.objects.filter(pk__in=teacher_ids))
    names = {t.pk: t.name for t in teachers}
    bans = _teacher_bans(teachers, days)
    others = (
        Session.objects.filter(date__in=days)
        .exclude(training_class__in=list(classes))
        .select_related("training_class__class_type", "course")
    )
    busy_per_day: dict[tuple[int, dt.date], int] = defaultdict(int)
    for s in others.filter(teacher_id__in=teacher_ids):
        if s.teacher_id is None:  # filtered out above; for the type checker
            continue
        busy_per_day[(s.teacher_id, s.date)] += 1
        for name in _booked(s, s.date):
            why = _(
                "%(teacher)s already teaches “%(course)s” in %(class)s on %(day)s, "
                "%(start)s–%(end)s."
            ) % (_when(s) | {"teacher": names[s.teacher_id]})
            bans.append(solver.Ban(why=why, teacher=s.teacher_id, day=s.date, slot=name))
    venues = {pk: c.venue for pk, c in classes.items()}
    for s in others.filter(venue__in=set(venues.values())):
        for pk, venue in venues.items():
            if venue != s.venue:
                continue
            for name in _booked(s, s.date):
                why = _("%(venue)s is booked by %(class)s on %(day)s, %(start)s–%(end)s.") % (
                    _when(s) | {"venue": venue}
                )
                bans.append(
                    solver.Ban(why=why, class_id=pk, day=s.date, slot=name, at_college=True)
                )
    sites = {i.field_site for i in items if i.field_site}
    for s in others.filter(field_site__in=sites).select_related("field_site"):
        site_name = s.field_site.name if s.field_site else ""
        for name in _booked(s, s.date):
            why = _("%(site)s receives %(class)s on %(day)s, %(start)s–%(end)s.") % (
                _when(s) | {"site": site_name}
            )
            bans.append(solver.Ban(why=why, field_site=s.field_site_id, day=s.date, slot=name))
    if not draft.allow_holidays:
        for day in sorted(days):
            if why := statutory_holiday(day):
                bans.append(solver.Ban(why=why, day=day))
    if draft.use_evenings:
        for item in items:
            if item.method == solver.ON_SITE:
                why = _("On-site teaching takes a morning or an afternoon: “%(course)s”.") % {
                    "course": item.title
                }
                bans.append(solver.Ban(why=why, item=item.key, slot="evening"))
    caps = [
        solver.Cap(
            why=_("%(teacher)s teaches at most %(n)s sessions a day (%(day)s).")
            % {"teacher": t.name, "n": t.max_sessions_per_day, "day": day},
            teacher=t.pk,
            day=day,
            limit=max(0, t.max_sessions_per_day - busy_per_day[(t.pk, day)]),
        )
        for t in teachers
        if t.max_sessions_per_day
        for day in sorted(days)
    ]
    return solver.Problem(
        slots=slots,
        items=items,
        venues=venues,
        bans=bans,
        caps=caps,
        pins=pins_of(draft, names),
        part_time=frozenset(t.pk for t in teachers if t.kind == TeacherKind.PART_TIME),
        ratings={k: v for k, v in teacher_ratings().items() if k in teacher_ids},
        weights=weights(),
    )


def pins_of(draft: Draft, teacher_names: dict[int, str]) -> list[solver.Pin]:
    titles = {i["key"]: i["title"] for i in draft.items()}
    pins = []
    for pin in draft.pins:
        if pin["item"] not in titles:
            continue
        day = dt.date.fromisoformat(pin["day"]) if pin.get("day") else None
        words = {
            "course": titles[pin["item"]],
            "day": pin.get("day", ""),
            "slot": slot_label(pin.get("slot", "")),
            "teacher": teacher_names.get(pin.get("teacher") or 0, ""),
        }
        if pin.get("teacher"):
            why = _("“%(course)s” is pinned to %(day)s %(slot)s with %(teacher)s.") % words
        else:
            why = _("“%(course)s” is pinned to %(day)s %(slot)s.") % words
        pins.append(
            solver.Pin(
                why=why, item=pin["item"], day=day, slot=pin.get("slot"), teacher=pin.get("teacher")
            )
        )
    return pins
