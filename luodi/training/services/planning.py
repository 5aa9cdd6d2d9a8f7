"""Planning a class: term numbers, warnings, city quotas and status changes.

Term numbers follow start dates within a type and year: when a class is planned, the classes
still "planned" are numbered again in start-date order, taking the numbers that classes open
for enrolment (or further along) do not hold. A number is final once enrolment opens: it is
printed on notices and certificates from then on.
"""

import datetime as dt
import itertools

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.accounts.models import User
from luodi.faculty.models import Teacher
from luodi.lib import audit
from luodi.regions.models import Region
from luodi.training.models import ClassQuota, ClassStatus, ClassType, TrainingClass

# chinese_calendar names holidays in English; these make them translatable.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Anti-Fascist War Victory Day"),
}

# Allowed status changes; anything else is refused.
TRANSITIONS = {
    ClassStatus.PLANNED: {ClassStatus.ENROLLING},
    ClassStatus.ENROLLING: {ClassStatus.PLANNED, ClassStatus.IN_PROGRESS},
    ClassStatus.IN_PROGRESS: {ClassStatus.FINISHED},
    ClassStatus.FINISHED: {ClassStatus.ARCHIVED},
    ClassStatus.ARCHIVED: set(),
}


def holiday_warnings(start: dt.date, end: dt.date) -> list[str]:
    """Statutory holidays (and weekends that are not make-up working days) in the range."""
    warnings = []
    day = start
    while day <= end:
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            warnings.append(
                _("No holiday calendar is available for %(year)s yet; check the dates by hand.")
                % {"year": day.year}
            )
            day = dt.date(day.year + 1, 1, 1)
            continue
        if on_holiday and name:
            warnings.append(_holiday_words(day, name))
        day += dt.timedelta(days=1)
    return warnings


def _holiday_words(day: dt.date, name: str) -> str:
    return _("%(day)s is a statutory holiday (%(name)s).") % {
        "day": day.isoformat(),
        "name": HOLIDAY_NAMES.get(name, name),
    }


def statutory_holiday(day: dt.date) -> str:
    """``day``'s statutory holiday in words; "" if it is none, or the calendar has no data for
    its year (planning the class warned of that)."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    return _holiday_words(day, name) if on_holiday and name else ""


def plan_warnings(*, start_date: dt.date, end_date: dt.date, capacity: int) -> list[str]:
    """What staff should look at before planning: holidays (or that the calendar has no data
    for the year), and a class implausibly long or large (a typing slip, usually)."""
    warnings = holiday_warnings(start_date, end_date)
    days = (end_date - start_date).days + 1
    if days > settings.LUODI_PLAN_WARN_DAYS:
        warnings.append(
            _("The class lasts %(days)s days, more than %(max)s: check the end date.")
            % {"days": days, "max": settings.LUODI_PLAN_WARN_DAYS}
        )
    if capacity > settings.LUODI_PLAN_WARN_CAPACITY:
        warnings.append(
            _("%(n)s places is more than %(max)s: check the capacity.")
            % {"n": capacity, "max": settings.LUODI_PLAN_WARN_CAPACITY}
        )
    return warnings


def _renumber_planned(
    class_type: ClassType, year: int, by: User | None, new: TrainingClass
) -> list[str]:
    """Number the planned classes of the type and year by start date, with the numbers the
    classes already open (or held) leave free. Returns a note per earlier class whose number
    moved (``new``, just planned, had no number anyone has seen)."""
    classes = TrainingClass.objects.filter(class_type=class_type, year=year)
    fixed = set(classes.exclude(status=ClassStatus.PLANNED).values_list("term", flat=True))
    planned = list(
        classes.filter(status=ClassStatus.PLANNED)
        .select_related("class_type")
        .order_by("start_date", "id")
    )
    free = (n for n in itertools.count(1) if n not in fixed)
    wanted = {tc.pk: next(free) for tc in planned}
    moved = [tc for tc in planned if tc.term != wanted[tc.pk]]
    # Out of the way first, so the unique (type, year, term) holds after every UPDATE.
    top = max([*fixed, *(tc.term for tc in planned), 0]) + 1
    for offset, tc in enumerate(moved):
        TrainingClass.objects.filter(pk=tc.pk).update(term=top + offset)
    notes = []
    for tc in moved:
        before = tc.title
        tc.term = wanted[tc.pk]
        TrainingClass.objects.filter(pk=tc.pk).update(term=tc.term)
        if tc.pk == new.pk:
            continue
        audit.record("class.renumber", by=by, obj=tc, before=before, after=tc.title)
        notes.append(
            _("Term numbers follow start dates: %(before)s is now %(after)s.")
            % {"before": before, "after": tc.title}
        )
    return notes


def _check_quotas(quotas: dict[Region, int], capacity: int) -> None:
    if any(q < 0 for q in quotas.values()):
        raise ValidationError(_("A quota cannot be negative."))
    total = sum(quotas.values())
    if total > capacity:
        raise ValidationError(
            _("The city quotas add up to %(total)s, more than the capacity of %(capacity)s.")
            % {"total": total, "capacity": capacity}
        )


@transaction.atomic
def class_plan(
    *,
    class_type: ClassType,
    start_date: dt.date,
    end_date: dt.date,
    venue: str,
    capacity: int,
    head_teacher: Teacher | None,
    quotas: dict[Region, int],
    by: User | None,
    record_of_past: bool = False,
) -> tuple[TrainingClass, list[str]]:
    """Create a planned class, numbered by its start date among the planned classes of its
    type and year (see the module's docstring).

    A class cannot start in the past, unless staff say it is the record of a class already
    held. The class type's row is locked while numbers are chosen, so two planners never get
    the same term; the unique constraint stays as the last guard. Returns the class and the
    warnings and renumbering notes.
    """
    if start_date < timezone.localdate() and not record_of_past:
        raise ValidationError(
            _(
                "The class would start in the past (%(date)s). Correct the dates, or tick that "
                "this is the record of a class already held."
            )
            % {"date": start_date.isoformat()},
            code="past",
        )
    _check_quotas(quotas, capacity)
    ClassType.objects.select_for_update().get(pk=class_type.pk)
    year = start_date.year
    last = TrainingClass.objects.filter(class_type=class_type, year=year).aggregate(n=Max("term"))[
        "n"
    ]
    training_class = TrainingClass(
        class_type=class_type,
        year=year,
        term=(last or 0) + 1,
        start_date=start_date,
        end_date=end_date,
        venue=venue,
        capacity=capacity,
        head_teacher=head_teacher,
        status=ClassStatus.PLANNED,
    )
    training_class.full_clean()
    try:
        with transaction.atomic():
            training_class.save()
    except IntegrityError as exc:  # pragma: no cover - only if the lock was bypassed
        raise ValidationError(_("Another class took this term number; please try again.")) from exc
    ClassQuota.objects.bulk_create(
        ClassQuota(training_class=training_class, city=city, quota=quota)
        for city, quota in quotas.items()
        if quota
    )
    audit.record("class.plan", by=by, obj=training_class, record_of_past=record_of_past)
    notes = _renumber_planned(class_type, year, by, training_class)
    training_class.refresh_from_db(fields=["term"])
    warnings = plan_warnings(start_date=start_date, end_date=end_date, capacity=capacity)
    return training_class, warnings + notes


@transaction.atomic
def class_set_quotas(*, training_class: TrainingClass, quotas: dict[Region, int], by: User) -> None:
    """Replace the class's city quotas. Each quota starts with the places its city already
    holds (trainees enrolled before quotas were set count), and none may fall below them."""
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    _check_quotas(quotas, training_class.capacity)
    held = dict(
        training_class.enrolments.holding_seats()
        .order_by()
        .values_list("city_id")
        .annotate(n=Count("id"))
    )
    wanted = {city.pk: quota for city, quota in quotas.items() if quota}
    names = dict(
        Region.objects.filter(pk__in=held.keys() | wanted.keys()).values_list("pk", "name")
    )
    for city_id, used in held.items():
        if wanted.get(city_id, 0) < used:
            raise ValidationError(
                _("%(city)s already holds %(used)s places; its quota cannot be %(quota)s.")
                % {"city": names[city_id], "used": used, "quota": wanted.get(city_id, 0)}
            )
    training_class.quotas.exclude(city_id__in=wanted).delete()
    existing = {q.city_id: q for q in training_class.quotas.select_for_update()}
    for city_id, quota in wanted.items():
        row = existing.get(city_id) or ClassQuota(training_class=training_class, city_id=city_id)
        row.quota, row.used = quota, held.get(city_id, 0)
        row.save()
    audit.record("class.set_quotas", by=by, obj=training_class, quotas=wanted)


def quota_total(training_class: TrainingClass) -> int:
    return training_class.quotas.aggregate(total=Sum("quota"))["total"] or 0


@transaction.atomic
def class_set_status(*, training_class: TrainingClass, status: str, by: User) -> TrainingClass:
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    current = ClassStatus(training_class.status)
    if status not in TRANSITIONS[current]:
        raise ValidationError(
            _("A class cannot go from “%(from)s” to “%(to)s”.")
            % {"from": current.label, "to": ClassStatus(status).label}
        )
    training_class.status = status
    training_class.save(update_fields=["status", "updated_at"])
    audit.record("class.set_status", by=by, obj=training_class, before=current, after=status)
    return training_class


@transaction.atomic
def class_set_target_needs(*, training_class: TrainingClass, topics, by: User | None) -> None:
    """Record the needs a class is designed for (from the needs analysis); its satisfaction
    survey then asks whether each was met."""
    topics = list(topics)
    training_class.target_needs.set(topics)
    audit.record("class.target_needs", by=by, obj=training_class, needs=[str(t) for t in topics])
