"""Each role's "my work" page, read: the staff's to-do list, a head teacher's classes, a
teacher's sessions and a liaison's city. Every function takes the user and keeps to their
reach (``Enrolment.objects.visible_to``, ``TrainingClass.objects.run_by``), and costs a fixed
number of queries however many classes and trainees there are."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from luodi.certificates.models import Certificate
from luodi.checkin import leave
from luodi.faculty.models import PoliticalReview
from luodi.lib import data_version
from luodi.surveys.results import flagged_evaluations
from luodi.training.models import (
    HELD_STATUSES,
    ClassQuota,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    LeaveStatus,
    Reflection,
    Session,
    TrainingClass,
)

# ---- the staff's to-do list ----------------------------------------------------------------


@dataclass
class ToDo:
    """One kind of work waiting: how much, and each class it waits in with a link there."""

    key: str
    label: StrOrPromise
    rows: list[tuple[TrainingClass, int, str]] = field(default_factory=list)  # class, n, url
    more_url: str = ""  # the class list, filtered to where the rows not shown are

    SHOWN = 20  # classes listed per kind, the earliest first; the rest are counted

    @property
    def count(self) -> int:
        return sum(n for _c, n, _url in self.rows)

    @property
    def shown(self) -> list[tuple[TrainingClass, int, str]]:
        return self.rows[: self.SHOWN]

    @property
    def more(self) -> int:
        return max(0, len(self.rows) - self.SHOWN)


def _per_class(pairs) -> dict[int, int]:
    return {pk: n for pk, n in pairs if n}


def _pending_leave() -> dict[int, int]:
    """Pending leave requests per class: few at any time, counted over the whole table."""
    return _per_class(
        LeaveRequest.objects.filter(status=LeaveStatus.PENDING)
        .values("enrolment__training_class_id")
        .annotate(n=Count("id"))
        .values_list("enrolment__training_class_id", "n")
    )


@data_version.figure
def certificates_due() -> dict[int, int]:
    """Per finished class, the trainees who completed it without a certificate in force.

    Kept per data version (certificates and enrolments are counted records, so issuing,
    revoking or a changed result makes a new one; ``check_figures`` compares it with the
    records): it reads every completed enrolment of every finished, not archived class, a
    year of a province's classes (240k trainees at scale 100, 0.7 s on PostgreSQL)."""
    valid = Certificate.objects.valid().filter(enrolment=OuterRef("pk"))
    # Of classes finished, not archived: an archived class's records are closed, and reading
    # only the open ones keeps this from counting over the college's whole history. (IN with a
    # subquery: SQLite then reads those classes' enrolments by index; with a join it read every
    # completed enrolment, 43 vs 10 ms at scale 10.)
    finished = TrainingClass.objects.filter(status=ClassStatus.FINISHED).values("pk")
    return _per_class(
        Enrolment.objects.completed()
        .filter(training_class_id__in=finished)
        .exclude(Exists(valid))
        .values("training_class_id")
        .annotate(n=Count("id"))
        .values_list("training_class_id", "n")
    )


def todo(today: date) -> list[ToDo]:
    """The work waiting for academic staff, college-wide. Nine queries (eight and the data
    version) once the certificates due are kept for the present data version."""
    nominations = _per_class(
        Enrolment.objects.filter(status=EnrolmentStatus.NOMINATED)
        .exclude(training_class__status__in=HELD_STATUSES)
        .values("training_class_id")
        .annotate(n=Count("id"))
        .values_list("training_class_id", "n")
    )
    pending_leave = _pending_leave()
    not_held = TrainingClass.objects.exclude(status__in=HELD_STATUSES)
    ended = not_held.filter(end_date__lt=today)
    to_complete = dict.fromkeys(ended.values_list("pk", flat=True), 1)
    certificates = certificates_due()
    # Of the classes not yet held, read by class (as the certificates due are: with a join on
    # the class's status SQLite read every session of the college's history, 0.2 s at scale 100).
    unreviewed = _per_class(
        Session.objects.filter(training_class_id__in=not_held.values("pk"), teacher__isnull=False)
        .exclude(
            Exists(
                PoliticalReview.objects.covering(OuterRef("date")).filter(
                    teacher=OuterRef("teacher")
                )
            )
        )
        .values("training_class_id")
        .annotate(n=Count("teacher_id", distinct=True))
        .values_list("training_class_id", "n")
    )
    wanted = [
        # The class's enrolments page, where one button confirms them all.
        ("nominations", _("Nominations to confirm"), nominations, "training:class-manage"),
        ("leave", _("Leave requests to decide"), pending_leave, "checkin:class-leave"),
        ("completion", _("Classes ended, not completed"), to_complete, "training:class-completion"),
        ("certificates", _("Certificates to issue"), certificates, "certificates:class"),
        ("reviews", _("Teachers without a passed review"), unreviewed, "training:timetable-edit"),
    ]
    # Where a long list goes on: the classes of the status the work waits in.
    more_status = {
        "nominations": ClassStatus.ENROLLING,
        "leave": ClassStatus.IN_PROGRESS,
        "certificates": ClassStatus.FINISHED,
    }
    ids = set().union(*(counts for _k, _l, counts, _u in wanted))
    classes = TrainingClass.objects.select_related("class_type").in_bulk(ids)
    # Sessions whose evaluation is below the satisfaction line, per class (two queries).
    evaluations: dict[TrainingClass, int] = defaultdict(int)
    for score in flagged_evaluations():
        evaluations[score.key.training_class] += 1
    items = []
    for key, label, counts, url_name in wanted:
        rows = [
            (classes[pk], n, reverse(url_name, args=[pk]))
            for pk, n in counts.items()
            if pk in classes
        ]
        rows.sort(key=lambda row: (row[0].start_date, row[0].pk))
        status = more_status.get(key)
        more_url = reverse("training:class-list") + (f"?status={status}" if status else "")
        items.append(ToDo(key, label, rows, more_url))
    evaluations_url = reverse("surveys:evaluations")
    low = [(c, n, evaluations_url) for c, n in evaluations.items()]
    low.sort(key=lambda row: (row[0].start_date, row[0].pk))
    items.append(
        ToDo("evaluations", _("Evaluations below the satisfaction line"), low, evaluations_url)
    )
    return items


# ---- a head teacher's classes --------------------------------------------------------------

CURRENT = (ClassStatus.PLANNED, ClassStatus.ENROLLING, ClassStatus.IN_PROGRESS)


@dataclass
class HeadTeacherWork:
    classes: list[TrainingClass]  # the earliest ``SHOWN_CLASSES``, with their counts
    more_classes: int  # and how many more (staff run every class of the college)
    today: Sequence[Session]
    pending_leave: list[tuple[TrainingClass, int]]
    missing_reflections: list[Enrolment]
    at_risk: list[leave.AtRisk]


SHOWN_CLASSES = 30


def head_teacher_work(user, today: date) -> HeadTeacherWork:
    """The classes ``user`` runs that are not yet completed (or ended in the last 30 days),
    today's sessions of them and of the sessions the user teaches, the leave waiting, the
    trainees of ended classes without a reflection, and those near the leave limit. Staff run
    hundreds at a province's scale: the trainees are counted, and those without a reflection
    or near the leave limit listed, for the classes shown only (the leave waiting, a few
    requests, is of them all)."""
    run = TrainingClass.objects.run_by(user)
    every = list(
        run.filter(Q(status__in=CURRENT) | Q(end_date__gte=today - timedelta(days=30)))
        .select_related("class_type")
        .order_by("start_date", "pk")
    )
    classes = every[:SHOWN_CLASSES]
    counted = TrainingClass.objects.filter(pk__in=[c.pk for c in classes]).with_counts()
    enrolled = dict(counted.values_list("pk", "enrolled_count"))
    pending = _pending_leave()
    for c in every:
        c.enrolled_count, c.pending_leave = enrolled.get(c.pk, 0), pending.get(c.pk, 0)
    teaching = Q(teacher_id=user.teacher_id) if user.teacher_id else Q(pk__in=[])
    sessions = list(
        Session.objects.filter(date=today)
        .filter(Q(training_class__in=run) | teaching)
        .select_related("course", "training_class__class_type", "field_site")
        .annotate(courseware_count=Count("courseware"))
        .order_by("start_time", "pk")
    )
    ended = [c for c in classes if c.end_date < today and c.class_type.reflection_required]
    missing = list(
        Enrolment.objects.visible_to(user)
        .filter(training_class__in=ended)
        .on_roster()
        .exclude(Exists(Reflection.objects.filter(enrolment=OuterRef("pk"))))
        .select_related("cadre", "training_class__class_type")
        .defer("cadre__id_number", "cadre__phone")  # a name is shown: no decryption each
        .order_by("training_class__start_date", "cadre__name_pinyin")
    )
    running = [c for c in classes if c.status == ClassStatus.IN_PROGRESS]
    return HeadTeacherWork(
        classes=classes,
        more_classes=len(every) - len(classes),
        today=sessions,
        pending_leave=[(c, c.pending_leave) for c in every if c.pending_leave],
        missing_reflections=missing,
        at_risk=leave.at_risk(running),
    )


# ---- a teacher's sessions ------------------------------------------------------------------


@dataclass
class TeacherWork:
    today: Sequence[Session]
    upcoming: Sequence[Session]
    past: Sequence[Session]


PAST_SHOWN = 20


def teacher_work(user, today: date) -> TeacherWork:
    """The sessions the user teaches: today's, the coming ones, the latest past ones; each with
    ``courseware_count``. Two queries."""
    if not user.teacher_id:
        return TeacherWork([], [], [])
    mine = (
        Session.objects.filter(teacher_id=user.teacher_id)
        .select_related("course", "training_class__class_type", "field_site")
        .annotate(courseware_count=Count("courseware"))
    )
    coming = list(mine.filter(date__gte=today).order_by("date", "start_time", "pk"))
    past = list(mine.filter(date__lt=today).order_by("-date", "-start_time", "-pk")[:PAST_SHOWN])
    return TeacherWork(
        today=[s for s in coming if s.date == today],
        upcoming=[s for s in coming if s.date > today],
        past=past,
    )


# ---- a liaison's city ----------------------------------------------------------------------


@dataclass
class Shown:
    """The first rows of a list, and how many there are in all (counted only when more than
    the rows shown: a city's usual list costs no count)."""

    rows: list
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


CITY_ROWS_SHOWN = 50


def _shown(queryset, limit: int) -> Shown:
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return Shown(rows, len(rows))
    return Shown(rows[:limit], queryset.count())


@dataclass
class CityWork:
    open_classes: list[TrainingClass]  # the first ``CITY_ROWS_SHOWN``
    more_open_classes: int
    nominations: Shown
    in_progress: Shown


OPEN = (ClassStatus.PLANNED, ClassStatus.ENROLLING)


def city_work(user, city) -> CityWork:
    """The classes open to ``city``, each with ``city_quota`` and ``city_used`` (None when the
    class has no quotas: any city may fill it, up to its capacity), the nominations for them
    and the city's trainees of running classes, as far as the user reaches; with ``city`` None
    (a user of every city) every open class. Of the classes, nominations and trainees, the
    first ``CITY_ROWS_SHOWN`` each (the class list and each class's roster have them all).
    Three to six queries."""
    open_ = TrainingClass.objects.filter(status__in=OPEN)
    classes = open_.select_related("class_type")
    if city is not None:
        quota = ClassQuota.objects.filter(training_class=OuterRef("pk"), city=city)
        classes = classes.annotate(
            city_quota=Subquery(quota.values("quota")[:1]),
            city_used=Subquery(quota.values("used")[:1]),
            has_quotas=Exists(ClassQuota.objects.filter(training_class=OuterRef("pk"))),
        ).filter(Q(city_quota__isnull=False) | Q(has_quotas=False))
    visible = Enrolment.objects.visible_to(user).select_related(
        "cadre__community", "training_class__class_type"
    )
    # The classes by IN (subquery): SQLite then reads those classes' enrolments by class;
    # with a join on the class's status it read every enrolment of the city's history (85k
    # at scale 100: 0.5 s for the page).
    running = TrainingClass.objects.filter(status=ClassStatus.IN_PROGRESS)
    opening = _shown(classes.order_by("start_date", "pk"), CITY_ROWS_SHOWN)
    return CityWork(
        open_classes=opening.rows,
        more_open_classes=opening.total - len(opening.rows),
        nominations=_shown(
            visible.filter(training_class_id__in=open_.values("pk")).order_by(
                "training_class__start_date", "training_class_id", "status", "cadre__name_pinyin"
            ),
            CITY_ROWS_SHOWN,
        ),
        in_progress=_shown(
            visible.filter(training_class_id__in=running.values("pk"))
            .on_roster()
            .order_by("training_class__start_date", "training_class_id", "cadre__name_pinyin"),
            CITY_ROWS_SHOWN,
        ),
    )
