"""Builds the demo college: five years of a community cadre college's records.

The result depends only on the seed, the scale and the day taken as "today" (plus the time of day
for today's sessions of the class in progress), so a bug seen in a demo can be rebuilt exactly.
One ``random.Random`` feeds every choice; sets serve membership tests only and are never iterated.

Rows are written in batches, the two largest tables (enrolments and attendance) with
``executemany`` of plain tuples, so that ``--scale 100`` (about 1.2M enrolments and 12M
attendance rows) takes minutes. Ids are assigned here rather than by the database: the tables
start empty (checked first), the ids link rows without reading them back, and sequences are reset
at the end.
"""

import random
import resource
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate, chain, count

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from luodi.accounts.models import User
from luodi.accounts.trainee_accounts import create_trainee_accounts
from luodi.cadres.models import Cadre
from luodi.certificates.services import certificates_issue_for_classes
from luodi.curriculum.models import Course, FieldSite, TeachingCase
from luodi.demo import data
from luodi.demo.assessments import AssessmentBuilder
from luodi.demo.common import (
    BATCH_SIZE,
    ROW_BATCH,
    Weighted,
    apportion,
    drawn_in_child,
    ensure_names,
    foreign_keys_checked_once,
    indexes_built_after,
    room_name,
    years_before,
)
from luodi.demo.external import ExternalHoursBuilder
from luodi.demo.faculty import FacultyPoolBuilder
from luodi.demo.registry import RegistryBuilder
from luodi.demo.research import ResearchBuilder
from luodi.demo.surveys import LOOP_CLASS_ENDED_DAYS_AGO, SurveyBuilder
from luodi.faculty.models import Teacher
from luodi.lib import data_version
from luodi.lib.bulk import insert_rows
from luodi.regions.models import Community, Region
from luodi.training.models import (
    ROSTER_STATUSES,
    SEAT_STATUSES,
    Attendance,
    ClassQuota,
    ClassStatus,
    ClassType,
    Enrolment,
    EnrolmentStatus,
    Reflection,
    Session,
    TrainingClass,
    hours_of,
)
from luodi.training.services import completion, seats

SLOTS = {
    "morning": (time(8, 30), time(11, 30), Decimal(3)),
    "afternoon": (time(14, 0), time(17, 0), Decimal(3)),
    "evening": (time(19, 0), time(21, 0), Decimal(2)),
}
SESSION_COLUMNS = (
    "created_at updated_at id training_class date slot start_time end_time course teacher venue "
    "field_site case method hours"
)
MARKS = ("present", "late", "leave", "absent")
GOOD_ATTENDANCE = list(accumulate([935, 40, 20, 5]))
POOR_ATTENDANCE = list(accumulate([55, 10, 20, 15]))
MISSED = ("leave", "absent")
HELD = (ClassStatus.FINISHED, ClassStatus.ARCHIVED)
RESULT_CLASSES = 200  # classes whose results are decided together
# Classes whose certificates are issued together: their trainees' ids are query parameters.
CERTIFICATE_CLASSES = 100
# Models whose ids this builder assigns; they must start empty.
NUMBERED_MODELS = [Region, Community, Cadre, Teacher, Course, FieldSite, TeachingCase]
NUMBERED_MODELS += [TrainingClass, Session, Enrolment]


class DemoDataExists(Exception):
    """The database already holds records the demo college would collide with."""


def cpu_seconds() -> float:
    """User and system CPU of this process and of its children that have ended."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class DemoStepFailed(Exception):
    """A step of the build failed; the ``done`` steps before it were committed."""

    def __init__(self, step: str, done: int):
        super().__init__(step, done)
        self.step, self.done = step, done


@dataclass
class DemoSummary:
    counts: dict[str, int]
    logins: list[tuple[str, str, str]]  # username, role, display name
    password: str


@dataclass
class _Class:
    """A training class while it is planned, scheduled and filled."""

    type_index: int
    start: date
    end: date
    capacity: int
    status: str = ClassStatus.FINISHED
    id: int = 0
    year: int = 0
    term: int = 0
    venue: str = ""
    head_teacher: int = 0
    sessions: list[tuple] = field(default_factory=list)  # (id, day, slot, teacher, case or 0)
    courses: set[int] = field(default_factory=set)
    forced: list[int] = field(default_factory=list)  # cadres who must be on the roster
    outcomes: list[tuple[int, str]] = field(default_factory=list)  # the loop class's, for later


def existing_data() -> list[str]:
    """Names of the tables holding rows the demo college would collide with."""
    found = [m._meta.label for m in NUMBERED_MODELS if m.objects.exists()]
    if User.objects.filter(username__in=[u[0] for u in data.DEMO_USERS]).exists():
        found.append("demo user names")
    return found


def existing_logins() -> list[tuple[str, str, str]]:
    """The demo accounts already in the database, for printing again on later runs."""
    names = [u[0] for u in data.DEMO_USERS]
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    return [(n, users[n].role, users[n].first_name) for n in names if n in users]


def build_demo_college(
    *, scale: float, seed: int, today: date, now: datetime, log=None
) -> DemoSummary:
    """Fill an empty database with the demo college; ``now`` decides which of today's sessions
    of the class in progress already have attendance."""
    if found := existing_data():
        raise DemoDataExists(", ".join(found))
    return _Builder(scale=scale, seed=seed, today=today, now=now, log=log).run()


class _Builder(
    RegistryBuilder,
    SurveyBuilder,
    FacultyPoolBuilder,
    ResearchBuilder,
    AssessmentBuilder,
    ExternalHoursBuilder,
):
    def __init__(self, *, scale: float, seed: int, today: date, now: datetime, log=None):
        self.rng = random.Random(seed)  # nosec B311 # repeatable demo data, not a secret
        self.scale = scale
        self.today = today
        self.now = now
        self.log = log or (lambda step: None)
        self.tz = timezone.get_current_timezone()
        self.db_datetime = connection.ops.adapt_datetimefield_value
        self.counts: dict[str, int] = {}

    def run(self) -> DemoSummary:
        steps = [
            self.build_regions,
            self.build_cadres,
            self.build_faculty,
            self.build_curriculum,
            self.plan_classes,
            self.build_timetables,
            self.build_enrolments,
            self.build_accounts,
            self.reset_sequences,  # services insert rows from here on
            self.plan_loop_class,
            self.analyze,
            self.decide_results,
            self.issue_certificates,
            self.build_quotas,
            self.build_surveys,
            self.build_teacher_pool,
            self.build_research,
            self.build_assessments,
            self.build_external_hours,
            self.analyze_the_rest,
        ]
        loads = {  # the steps that write these tables with insert_rows
            self.build_cadres: [Cadre],
            self.build_enrolments: [Enrolment, Attendance, Reflection],
        }
        if connection.vendor == "sqlite":
            # SQLite's page cache is 2 MB by default: the indexes of millions of attendance
            # rows, results and history entries would go back and forth to the file. A build
            # of scale 100 keeps its working set in 1 GB of this process's memory instead.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -1048576")
        # One transaction per step, so that a scale-100 build does not hold every row in one
        # transaction; a failure names its step (the steps before it stay written).
        for done, step in enumerate(steps):
            before, started, cpu = dict(self.counts), clock.monotonic(), cpu_seconds()
            try:
                loaded = loads.get(step, [])
                with (
                    transaction.atomic(),
                    foreign_keys_checked_once(loaded),
                    indexes_built_after(loaded),
                ):
                    step()
            except Exception as exc:
                raise DemoStepFailed(step.__name__, done) from exc
            rows = sum(n - before.get(key, 0) for key, n in self.counts.items())
            # CPU seconds of this process and its drawing copies beside the wall time: under
            # load they tell the builder's own cost (a PostgreSQL server's is not in them).
            seconds, cpu = clock.monotonic() - started, cpu_seconds() - cpu
            self.log(f"  {step.__name__}: {rows:,} rows in {seconds:.1f} s ({cpu:.1f} s CPU)")
        # Cadres, enrolments and attendance went in outside the ORM (insert_rows, COPY): a new
        # version of the counted records, so that no figure cached before is served.
        data_version.bump()
        return DemoSummary(self.counts, self.logins, settings.LUODI_DEMO_PASSWORD)

    def reset_sequences(self) -> None:
        """Let the database number new rows after the ids assigned here."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), NUMBERED_MODELS):
                cursor.execute(sql)

    def size(self, name: str, minimum: int = 1) -> int:
        return max(minimum, round(data.SIZES[name] * self.scale))

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.tz)

    # Classes and timetables -----------------------------------------------------------------

    def plan_classes(self) -> None:
        """Five years of classes up to yesterday, one in progress, and a few coming up."""
        rng = self.rng
        self.log("Classes")
        types = data.CLASS_TYPES
        defaults = [
            {"default_days": t[1], "description": t[5], "target_posts": t[2]} for t in types
        ]
        self.type_ids = ensure_names(ClassType, [t[0] for t in types], defaults.__getitem__)
        self.type_picker = Weighted({i: t[3] for i, t in enumerate(types)})
        self.capacities = Weighted(data.CAPACITIES)
        plans: list[_Class] = []
        yesterday = self.today - timedelta(days=1)
        for year in range(self.today.year - 4, self.today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), yesterday)
            share = ((last - first).days + 1) / ((date(year, 12, 31) - first).days + 1)
            held = round(data.SIZES["classes_per_year"] * self.scale * share)
            held = max(1, held) if year < self.today.year else held
            plans += filter(None, (self.plan_class(first, last) for _ in range(held)))
        # Exactly one class is in progress: a secretary class with today in its middle.
        secretary = [t[0] for t in types].index(data.SECRETARY_CLASS)
        days = types[secretary][1]
        start = self.today - timedelta(days=rng.randint(1, days - 2))
        end = start + timedelta(days=days - 1)
        self.current = _Class(secretary, start, end, 120, ClassStatus.IN_PROGRESS)
        plans.append(self.current)
        upcoming = max(3, round(rng.choice((3, 4)) * self.scale))
        while upcoming:
            first, last = self.today + timedelta(days=7), self.today + timedelta(days=67)
            if plan := self.plan_class(first, last, calendar=False):
                soon = plan.start <= self.today + timedelta(days=30)
                plan.status = ClassStatus.ENROLLING if soon else ClassStatus.PLANNED
                plans.append(plan)
                upcoming -= 1
        plans.sort(key=lambda p: (p.start, p.type_index, p.end))
        terms: dict[tuple[int, int], int] = {}  # term numbers run per type and year, by date
        for class_id, plan in enumerate(plans, start=1):
            plan.id, plan.year = class_id, plan.start.year
            key = (plan.type_index, plan.year)
            plan.term = terms[key] = terms.get(key, 0) + 1
            if plan.status == ClassStatus.FINISHED and plan.end < years_before(self.today, 1):
                plan.status = ClassStatus.ARCHIVED
        self.plans = plans
        # The loop class (``luodi.demo.surveys``): the held class that ended about a hundred
        # days ago, so that its follow-up is open now. Its timetable comes from its needs.
        target = self.today - timedelta(days=LOOP_CLASS_ENDED_DAYS_AGO)
        held = [p for p in plans if p.status in HELD]
        self.loop = min(held, key=lambda p: (abs((p.end - target).days), p.id), default=None)

    def plan_class(self, first: date, last: date, calendar: bool = True) -> _Class | None:
        """A class of a random type within ``first`` … ``last``; with ``calendar``, months are
        weighted and the National Day holiday is avoided."""
        rng = self.rng
        type_index = self.type_picker.pick(rng)
        days = min(7, max(3, data.CLASS_TYPES[type_index][1] + rng.choice((-1, 0, 0, 0, 1))))
        for _ in range(60):
            start = first + timedelta(days=rng.randrange((last - first).days + 1))
            if calendar and rng.random() > data.MONTH_WEIGHTS[start.month - 1]:
                continue
            if rng.random() < 0.7:  # most classes open on a Monday
                start -= timedelta(days=start.weekday())
            elif start.weekday() >= 5:
                start += timedelta(days=7 - start.weekday())
            end = start + timedelta(days=days - 1)
            holiday = (
                calendar and start <= date(start.year, 10, 7) and end >= date(start.year, 10, 1)
            )
            if first <= start and end <= last and not holiday:
                return _Class(type_index, start, end, self.capacities.pick(rng))
        return None

    def build_timetables(self) -> None:
        """Rooms, head teachers and sessions; no teacher, room or head teacher is booked twice.
        The class in progress goes first, so that it never lacks a teacher."""
        self.log("Timetables")
        order = sorted(self.plans, key=lambda p: (p is not self.current, p.start, p.id))
        self.place_classes(order)
        classes = [
            TrainingClass(
                id=p.id,
                class_type_id=self.type_ids[p.type_index],
                year=p.year,
                term=p.term,
                start_date=p.start,
                end_date=p.end,
                venue=p.venue,
                capacity=p.capacity,
                head_teacher_id=p.head_teacher,
                status=p.status,
            )
            for p in self.plans
        ]
        TrainingClass.objects.bulk_create(classes, batch_size=BATCH_SIZE)
        self.teacher_busy: dict[tuple[int, str], set[int]] = defaultdict(set)
        sessions: list[tuple] = []
        self.counts.update(classes=len(classes), sessions=0)
        stamp = self.db_datetime(timezone.now())
        self.session_stamps = (stamp, stamp)
        for plan in order:
            if plan is not self.loop:  # planned from its trainees' needs, after enrolment
                sessions += self.timetable(plan)
            if len(sessions) >= ROW_BATCH or plan is order[-1]:
                insert_rows(Session, SESSION_COLUMNS, sessions)
                sessions = []

    def place_classes(self, plans: list[_Class]) -> None:
        """A room and a full-time head teacher for each class, neither taken on its dates."""
        rng = self.rng
        heads_busy: dict[int, set[int]] = defaultdict(set)
        rooms_busy: dict[int, set[str]] = defaultdict(set)
        heads = [t for t, kind in enumerate(self.teacher_kind) if kind == "full_time"]
        heads = [t for t in heads if self.available_from[t]]
        for plan in plans:
            ordinals = range(plan.start.toordinal(), plan.end.toordinal() + 1)
            # The main rooms in a random order, then the other rooms, then numbered ones.
            rooms = chain(rng.sample(data.ROOMS[:6], 6), data.ROOMS[6:], map(room_name, count(401)))
            plan.venue = next(r for r in rooms if all(r not in rooms_busy[o] for o in ordinals))
            for head in (rng.choice(heads) for _ in range(50)):
                free = not any(head in heads_busy[o] for o in ordinals)
                if free and self.available_from[head] <= ordinals[0]:
                    break
            plan.head_teacher = head  # after 50 busy draws, one leads two classes after all
            for o in ordinals:
                rooms_busy[o].add(plan.venue)
                heads_busy[o].add(plan.head_teacher)

    def timetable(self, plan: _Class) -> list[tuple]:
        """Morning and afternoon sessions every day, sometimes an evening discussion; ideals and
        party spirit open the class, a closing forum ends it."""
        rng = self.rng
        days = [plan.start + timedelta(days=i) for i in range((plan.end - plan.start).days + 1)]
        # Secretary classes always try to include the article's case and law courses.
        must = [self.course_ids.get(data.CASE_COURSE), self.course_ids.get(data.LAW_COURSE)]
        must = [c for c in must if c] if plan.type_index == self.current.type_index else []
        closing = self.course_ids.get(data.CLOSING_COURSE)
        open_slots = 2 * len(days) - 1
        sessions = []
        for index, day in enumerate(days):
            evening = len(days) >= 4 and index < len(days) - 1 and rng.random() < 0.3
            for slot in ["morning", "afternoon"] + ["evening"] * evening:
                preferred = []
                if index == len(days) - 1 and slot == "afternoon":
                    preferred = [closing] if closing else []
                elif slot != "evening":
                    open_slots -= 1
                    if must and rng.random() < len(must) / max(1, open_slots):
                        preferred = must[:1]
                    if index == 0 and slot == "morning" and self.day_courses[0]:
                        preferred.append(rng.choice(self.day_courses[0]))
                if choice := self.pick_session(plan, day, slot, preferred):
                    must = [c for c in must if c != choice[0]]
                    sessions.append(self.session(plan, day, slot, *choice))
        return sessions

    def pick_session(self, plan, day, slot, preferred: list[int]) -> tuple[int, int] | None:
        """A course not yet in this class's timetable with a cleared teacher free at this slot:
        a preferred course, else one drawn from the class type's categories (discussions in the
        evening), else the first that fits."""
        rng = self.rng
        ordinal = day.toordinal()
        busy = self.teacher_busy[ordinal, slot]
        if slot == "evening":
            pools, weights = [self.discussion_courses], [1]
        else:
            pools, weights = self.day_courses, data.CLASS_TYPES[plan.type_index][4]
        drawn = (rng.choice(pool) for pool in rng.choices(pools, weights, k=40) if pool)
        for course_id in chain(preferred, drawn, chain.from_iterable(pools)):
            if course_id in plan.courses:
                continue
            teachers = self.course_teachers[course_id]
            teachers = [t for t in teachers if t not in busy and self.available_from[t] <= ordinal]
            if teachers:
                teacher = rng.choice(teachers)
                busy.add(teacher)
                plan.courses.add(course_id)
                return course_id, teacher
        return None

    def session(self, plan, day, slot, course_id, teacher_id) -> tuple:
        """A session's row (``SESSION_COLUMNS``); on-site teaching takes place at a field site
        instead of a classroom."""
        rng = self.rng
        method = self.course_method[course_id]
        venue, site, case = plan.venue, None, None
        if method == "on_site":
            kind = "red" if course_id in self.red_site_courses else "community"
            site, venue = rng.choice(self.sites[kind] or self.sites["community"]), ""
        elif method == "case_analysis":  # 罗湖 (case 1) most often where the course uses it
            cases = self.course_cases[course_id]
            case = 1 if 1 in cases and rng.random() < 0.7 else rng.choice(cases)
        self.counts["sessions"] += 1
        session_id = self.counts["sessions"]
        plan.sessions.append((session_id, day, slot, teacher_id, case or 0))
        starts, ends, hours = SLOTS[slot]
        ops = connection.ops
        return (
            *self.session_stamps,
            session_id,
            plan.id,
            ops.adapt_datefield_value(day),
            slot,
            ops.adapt_timefield_value(starts),
            ops.adapt_timefield_value(ends),
            course_id,
            teacher_id,
            venue,
            site,
            case,
            method,
            ops.adapt_decimalfield_value(hours),
        )

    # Enrolments and attendance --------------------------------------------------------------

    def build_enrolments(self) -> None:
        self.log("Enrolments and attendance")
        n = len(self.cadre_post)
        self.busy_until = [0] * n  # ordinal of the last day of each cadre's latest class
        self.attended = [False] * n
        kept_off = self.teaching_cadres | set(self.article_cadres.values())
        self.pools = [  # per class type: the cadres whose posts it trains
            [c for c in range(1, n) if self.cadre_post[c] in t[2] and c not in kept_off]
            for t in data.CLASS_TYPES
        ]
        self.alumni: list[list[int]] = [[] for _ in data.CLASS_TYPES]  # per type: returners
        self.place_article_cadres()
        self.community_city = dict(Community.objects.values_list("id", "city_id"))
        types = ClassType.objects.in_bulk(self.type_ids)
        self.rules = [types[type_id] for type_id in self.type_ids]
        self.results: dict[tuple, tuple] = {}  # the same inputs, the same result
        self.hours_value = Enrolment._meta.get_field("hours_credited").get_db_prep_save
        enrolment_id, self.counts["attendance"], self.counts["reflections"] = 0, 0, 0
        # Drawn in a copy of this process while this one writes the rows (12 million
        # attendance rows at scale 100); the draw leaves the loop class's outcomes and the
        # random generator's state to the steps after it.
        for batch in drawn_in_child(self.draw_enrolments, self.kept_draw, self.restore_draw):
            self.counts["attendance"] += len(batch[1])
            self.counts["reflections"] += len(batch[2])
            enrolment_id = batch[0][-1][2] if batch[0] else enrolment_id
            self.write_enrolments(*batch)
        self.counts["enrolments"] = enrolment_id

    def kept_draw(self) -> tuple:
        return self.rng.getstate(), self.loop.outcomes if self.loop else []

    def restore_draw(self, kept) -> None:
        state, outcomes = kept
        self.rng.setstate(state)
        if self.loop:
            self.loop.outcomes[:] = outcomes

    def draw_enrolments(self):
        """Batches of (enrolment, attendance, reflection) rows, class by class."""
        rng = self.rng
        enrolments, attendance, reflections = [], [], []
        enrolment_id = 0
        for plan in sorted(self.plans, key=lambda p: (p.start, p.id)):
            roster = self.roster(plan)
            held = plan.status in HELD
            if held:  # the article's trainees all completed
                outcomes = ["completed", "not_completed", "withdrawn"]
                statuses = rng.choices(outcomes, cum_weights=(93, 97, 100), k=len(roster))
                statuses[: len(plan.forced)] = ["completed"] * len(plan.forced)
            elif plan.status == ClassStatus.ENROLLING:
                outcomes = ["enrolled", "nominated", "waitlisted"]
                statuses = rng.choices(outcomes, cum_weights=(55, 95, 100), k=len(roster))
            else:
                status = "enrolled" if plan is self.current else "nominated"
                statuses = [status] * len(roster)
            signed_up = self.at(plan.start - timedelta(days=rng.randint(7, 21)), time(9, 0))
            stamp = self.db_datetime(signed_up)
            timetable = [(i, day, *SLOTS[slot]) for i, day, slot, *_rest in plan.sessions]
            sessions = self.attendance_sessions(timetable) if held or plan is self.current else []
            allowed = sum(s[1] for s in sessions) / 7  # hours one may miss and still complete
            reflected = self.at(plan.end, time(16, 0)) if held else None
            # A held class's results are what the completion rules decide from the attendance
            # and reflections drawn here (``class_complete`` would record the same), so that
            # ``status`` is only the outcome the attendance is drawn to produce. The loop
            # class is timetabled later: its trainees stay enrolled until ``decide_results``.
            decided = held and plan is not self.loop
            total = sum(hours for *_rest, hours in timetable)
            for cadre_id, status in zip(roster, statuses, strict=True):
                enrolment_id += 1
                community = self.cadre_community[cadre_id]
                place = (community, self.community_city[community])
                marks = (
                    self.mark_attendance(enrolment_id, status, sessions, allowed, attendance)
                    if sessions
                    else []
                )
                if plan is self.loop:
                    plan.outcomes.append((enrolment_id, status))
                reflects = reflected and self.writes_reflection(status)
                if reflects:
                    at = self.db_datetime(reflected)
                    text = rng.choice(data.REFLECTIONS)
                    reflections.append((at, at, enrolment_id, text))
                if decided:
                    attended, leave = hours_of(zip(marks, (s[5] for s in sessions), strict=True))
                    outcome = self.result(plan, attended, leave, bool(reflects), total)
                else:  # a held class's trainees were all enrolled
                    outcome = (EnrolmentStatus.ENROLLED if held else status, "", None)
                row = (stamp, stamp, enrolment_id, plan.id, cadre_id, *place, *outcome)
                enrolments.append(row)
            if len(attendance) >= ROW_BATCH or len(enrolments) >= ROW_BATCH:
                yield enrolments, attendance, reflections
                enrolments, attendance, reflections = [], [], []
        yield enrolments, attendance, reflections

    def result(self, plan: _Class, attended, leave, reflected: bool, total) -> tuple:
        """The status, reason and hours (database-ready) of ``completion.decide_from`` for a
        trainee of ``plan``, decided once per distinct input."""
        key = (plan.type_index, attended, leave, reflected, total)
        if key not in self.results:
            rules = self.rules[plan.type_index]
            result = completion.decide_from(rules, attended, leave, reflected, total)
            hours = self.hours_value(result.hours, connection)
            self.results[key] = (result.status, result.reason, hours)
        return self.results[key]

    def writes_reflection(self, outcome: str) -> bool:
        """Who completes wrote one; some who fell short of the hours did too."""
        return outcome == "completed" or (outcome == "not_completed" and self.rng.random() < 0.5)

    @staticmethod
    def write_enrolments(enrolments: list[tuple], attendance: list[tuple], reflections) -> None:
        # Enrolments first: attendance rows and reflections refer to them.
        columns = "created_at updated_at id training_class cadre community city status "
        columns += "result_reason hours_credited"
        insert_rows(Enrolment, columns, enrolments, blank="override_reason")
        columns = "created_at updated_at enrolment session status checked_in_at"
        insert_rows(Attendance, columns, attendance)
        columns = "created_at updated_at enrolment text"
        insert_rows(Reflection, columns, reflections)

    def place_article_cadres(self) -> None:
        """The article's trainees attend what their stories need: 宋娟 is in today's class,
        史艳红 heard 张平 on the 罗湖 case among many classes, 李星陈 heard 孙萍's law course."""
        rng = self.rng
        secretary = self.current.type_index
        held = [p for p in self.plans if p.status in HELD]
        names = [t[0] for t in data.CLASS_TYPES]
        returning_types = {names.index(name) for name in data.RETURNING_CLASS_TYPES}
        zhang_ping = self.named_teachers["张平"]
        law_course = self.course_ids.get(data.LAW_COURSE)
        for name, *_rest, wanted in data.ARTICLE_CADRES:
            cadre_id = self.article_cadres[name]
            chosen = [self.current] if name == data.TRAINEE_CADRE else []
            # Since becoming deputy secretary, the returning trainee came to other classes too.
            types = returning_types if name == data.RETURNING_CADRE else {secretary}
            since = self.cadre_started[cadre_id]
            options = [p for p in held if p.type_index in types and p.start.toordinal() > since]
            rng.shuffle(options)
            if name == data.RETURNING_CADRE:  # 张平 taught the 罗湖 case (case 1)
                options.sort(key=lambda p: (zhang_ping, 1) not in {s[3:] for s in p.sessions})
            elif name == data.LAW_CADRE:
                options.sort(key=lambda p: law_course not in p.courses)
            for plan in options:
                apart = all(plan.end < p.start or plan.start > p.end for p in chosen)
                if len(chosen) < wanted and apart:
                    chosen.append(plan)
            for plan in chosen:
                plan.forced.append(cadre_id)

    def roster(self, plan: _Class) -> list[int]:
        """Cadres of the posts the class type trains, free at its dates and already in community
        work; about a third are returning trainees, except in classes for new secretaries."""
        rng = self.rng
        if plan.status in HELD or plan is self.current:
            target = round(plan.capacity * rng.uniform(0.86, 1.0))
        elif plan.status == ClassStatus.ENROLLING:
            target = round(plan.capacity * rng.uniform(0.2, 0.5))
        else:
            target = rng.randint(0, 8)
        start, end = plan.start.toordinal(), plan.end.toordinal()
        newcomers = data.CLASS_TYPES[plan.type_index][0] == data.NEW_SECRETARY_CLASS
        chosen = list(plan.forced)
        seen = set(chosen)

        def take(cadre_id: int) -> None:
            if cadre_id in seen or self.busy_until[cadre_id] >= start:
                return
            if self.cadre_started[cadre_id] > start or (newcomers and self.attended[cadre_id]):
                return
            seen.add(cadre_id)
            chosen.append(cadre_id)

        alumni, pool = self.alumni[plan.type_index], self.pools[plan.type_index]
        returning = 0 if newcomers or not alumni else round(target * 0.35)
        for _ in range(returning * 3):
            if len(chosen) >= returning:
                break
            take(alumni[rng.randrange(len(alumni))])
        for attempt in range(6):  # a random sample twice the need, until the class is full
            newcomers = newcomers and attempt < 3  # if too few are new, take others too
            for cadre_id in rng.sample(pool, min(len(pool), 2 * max(0, target - len(chosen)))):
                if len(chosen) < target:
                    take(cadre_id)
        for cadre_id in chosen:
            self.busy_until[cadre_id] = end
        if plan.status in HELD or plan is self.current:
            for cadre_id in chosen[len(plan.forced) :]:
                if not self.attended[cadre_id]:
                    self.attended[cadre_id] = True
                    for type_index, alumni in enumerate(self.alumni):
                        if self.cadre_post[cadre_id] in data.CLASS_TYPES[type_index][2]:
                            alumni.append(cadre_id)
        return chosen

    def attendance_sessions(self, timetable: list[tuple]) -> list[tuple]:
        """Per session (id, day, starts, ends, hours) ended by now: id, hours (a float),
        database-ready times for attendance rows, and the hours."""
        sessions = []
        for session_id, day, starts, ends, hours in timetable:
            if self.at(day, ends) > self.now:
                continue  # today's later sessions stay open for check-in
            start = self.at(day, starts)
            early = [self.db_datetime(start - timedelta(minutes=m)) for m in (2, 5, 8, 12, 15, 20)]
            late = [self.db_datetime(start + timedelta(minutes=m)) for m in (6, 10, 18, 30)]
            start_value = self.db_datetime(start)
            sessions.append((session_id, float(hours), start_value, early, late, hours))
        return sessions

    def mark_later_attendance(self, plan: _Class, timetable: list[tuple]) -> None:
        """The attendance of a class timetabled after enrolment, by the outcomes drawn then."""
        sessions = self.attendance_sessions(timetable)
        allowed = sum(s[1] for s in sessions) / 7
        rows: list[tuple] = []
        for enrolment_id, status in plan.outcomes:
            self.mark_attendance(enrolment_id, status, sessions, allowed, rows)
        columns = "created_at updated_at enrolment session status checked_in_at"
        insert_rows(Attendance, columns, rows)
        self.counts["attendance"] += len(rows)

    def mark_attendance(self, enrolment_id, status, sessions, allowed, rows: list) -> list[str]:
        """Marks that agree with the outcome: who completed missed at most 1/7 of the hours,
        who did not complete missed more, who withdrew stopped coming part-way. Returns the
        marks, one per session."""
        rng = self.rng
        n = len(sessions)
        if status == "withdrawn":
            stayed = rng.randint(0, n // 2)
            marks = ["present"] * stayed + ["leave"] * (n - stayed)
        else:
            weights = POOR_ATTENDANCE if status == "not_completed" else GOOD_ATTENDANCE
            marks = rng.choices(MARKS, cum_weights=weights, k=n)
            missed = sum(s[1] for s, m in zip(sessions, marks, strict=True) if m in MISSED)
            while status == "not_completed" and missed <= allowed:
                i = rng.randrange(n)
                if marks[i] not in MISSED:
                    marks[i], missed = "absent", missed + sessions[i][1]
            for i in range(n):
                if status != "not_completed" and missed > allowed and marks[i] in MISSED:
                    marks[i], missed = "present", missed - sessions[i][1]
        draw = rng.random
        for (session_id, _hours, start, early, late, _h), mark in zip(sessions, marks, strict=True):
            if mark == "present":
                at = early[int(draw() * len(early))]
            elif mark == "late":
                at = late[int(draw() * len(late))]
            else:
                rows.append((start, start, enrolment_id, session_id, mark, None))
                continue
            rows.append((at, at, enrolment_id, session_id, mark, at))
        return marks

    # Quotas and seat counters ----------------------------------------------------------------

    def build_quotas(self) -> None:
        """Each class's places shared among the cities: what each city filled, plus the rest of
        the capacity by city size; then the seat counters from the enrolments."""
        self.log("Quotas")
        filled = defaultdict(int)
        rows = (
            Enrolment.objects.filter(status__in=SEAT_STATUSES)
            .values_list("training_class_id", "city_id")
            .annotate(n=Count("id"))
            .order_by("training_class_id", "city_id")
        )
        for class_id, city_id, n in rows:
            filled[class_id, city_id] = n
        sizes = dict(Community.objects.order_by().values_list("city_id").annotate(n=Count("id")))
        cities = list(Region.objects.cities().values_list("id", flat=True))
        weights = [sizes.get(c, 1) for c in cities]
        quotas = []
        stamp = self.db_datetime(timezone.now())
        for plan in self.plans:
            spare = plan.capacity - sum(filled[plan.id, c] for c in cities)
            extra = apportion(max(spare, 0), weights)
            for city_id, more in zip(cities, extra, strict=True):
                quota = filled[plan.id, city_id] + more
                if quota:
                    quotas.append((stamp, stamp, plan.id, city_id, quota, 0))
        # The seats used are counted below, from the enrolments.
        insert_rows(ClassQuota, "created_at updated_at training_class city quota used", quotas)
        self.counts["quotas"] = len(quotas)
        seats.recount()

    def analyze(self) -> None:
        """Refresh PostgreSQL's table statistics before the results are read back. The rows
        were written in this transaction, which autovacuum never sees: without this the
        planner works from whatever the tables held before (often empty) and may join the
        attendance of every trainee in loops, which once kept one query running for over an
        hour.
        SQLite plans from its statistics too: without them it counts a class's seats in each
        city through the city's index, every enrolment of the city for each quota (minutes at
        scale 10); ANALYZE makes it take the class's. Run again at the end
        (``analyze_the_rest``): a table written after the first (certificates, surveys, external
        hours…) would have no statistics, and SQLite then plans its lists from the other tables
        (the external hours list read every community of scale 100 to show 50 rows)."""
        if connection.vendor in ("postgresql", "sqlite"):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def analyze_the_rest(self) -> None:
        """``analyze`` again, for the tables but the largest: those were loaded before the
        first (cadres, enrolments and attendance: reading 12 million attendance rows again
        would be a tenth of a scale-100 build) and have hardly changed since."""
        if connection.vendor not in ("postgresql", "sqlite"):
            return
        loaded = {m._meta.db_table for m in (Region, Community, Cadre, Session)}
        loaded |= {m._meta.db_table for m in (Enrolment, Attendance, Reflection)}
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                if table not in loaded:
                    # A name from the database's own catalogue, quoted.
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")  # nosec B608

    def decide_results(self) -> None:
        """Held classes were completed: the results not decided while drawing (the loop
        class's) are recorded by the completion rules, as ``class_complete`` records them. The
        seat counters are counted afterwards, with the quotas."""
        self.log("Results")
        undecided = Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED)
        held = list(
            TrainingClass.objects.held()
            .filter(pk__in=undecided.values("training_class"))
            .order_by("end_date")
            .values_list("pk", flat=True)
        )
        for first in range(0, len(held), RESULT_CLASSES):
            results = completion.results_for_classes(held[first : first + RESULT_CLASSES])
            self.counts["results"] = self.counts.get("results", 0) + len(results)
            completion.record_results(results)

    def issue_certificates(self) -> None:
        """Certificates were issued for every held class but the latest, which the staff's
        to-do list shows as waiting (through the same service as the certificates page)."""
        self.log("Certificates")
        held = list(TrainingClass.objects.held().order_by("end_date"))[:-1]
        issued = 0
        for first in range(0, len(held), CERTIFICATE_CLASSES):
            batch = held[first : first + CERTIFICATE_CLASSES]
            issued += len(certificates_issue_for_classes(classes=batch, by=None))
        self.counts["certificates"] = issued

    # Accounts -------------------------------------------------------------------------------

    def build_accounts(self) -> None:
        """The seven demo logins, tied to the class in progress; one password hash serves all,
        since hashing is deliberately slow."""
        self.log("Accounts")
        current = self.current
        taught = [s[3] for s in current.sessions if s[3] != current.head_teacher]
        teacher = min(taught, key=lambda t: (-taught.count(t), t)) if taught else None
        links = {
            "headteacher": ("teacher_id", current.head_teacher),
            "teacher": ("teacher_id", teacher),
            "liaison": ("city_id", self.city_ids[data.LIAISON_CITY]),
            "trainee": ("cadre_id", self.article_cadres[data.TRAINEE_CADRE]),
        }
        names = {"headteacher": self.teacher_names[current.head_teacher]}
        names |= {"teacher": self.teacher_names[teacher or 0], "trainee": data.TRAINEE_CADRE}
        password = make_password(settings.LUODI_DEMO_PASSWORD)
        users = []
        for username, role, name in data.DEMO_USERS:
            user = User(username=username, role=role, first_name=names.get(username, name))
            user.password, user.is_superuser = password, role == "admin"
            user.is_staff = role in ("admin", "staff")
            if username in links:
                setattr(user, *links[username])
            users.append(user)
        User.objects.bulk_create(users)
        # The rest of the class in progress: accounts made for the class as its head teacher
        # would make them (the same service), waiting for each trainee's first login.
        roster = Cadre.objects.filter(
            enrolments__training_class_id=current.id, enrolments__status__in=ROSTER_STATUSES
        )
        create_trainee_accounts(roster, by=None)
        self.logins = [(u.username, u.role, u.first_name) for u in users]
        self.counts["accounts"] = User.objects.count()
