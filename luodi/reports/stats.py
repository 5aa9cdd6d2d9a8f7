"""Headline figures, always computed from records (never typed in).

Each figure marked ``@figure`` is computed once per version of the records it counts and kept in
the shared cache (``lib.data_version``): any write to those records makes a new version, so a
figure served is always the records' own. ``manage.py check_figures`` recomputes the cached
figures from the records and reports any difference.

- classes held: classes that have finished (finished or archived);
- person-times (人次): completed enrolments;
- distinct trainees: distinct cadres with at least one completed enrolment;
- communities reached: distinct communities with at least one trained cadre.

``city`` narrows every figure to cadres of that city (a liaison sees only their own city);
classes held then counts the held classes that trained someone from that city. A trainee counts
for the city and community recorded at nomination, so past figures stay put when cadres move.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from luodi.accounts.access import Reach, reach
from luodi.accounts.models import ApiToken
from luodi.cadres.models import Cadre, Post
from luodi.college.models import CollegeSettings
from luodi.lib.data_version import figure
from luodi.regions.models import Community, Region
from luodi.training.ledger import external_hours_of_year
from luodi.training.models import (
    HELD_STATUSES,
    ClassType,
    Enrolment,
    EnrolmentStatus,
    Session,
    TrainingClass,
)
from luodi.training.models.enrolments import credited_hours_sum


@dataclass(frozen=True)
class Summary:
    classes_held: int
    person_times: int
    distinct_trainees: int
    communities_reached: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def is_empty(self) -> bool:
        """Nothing held and nobody trained: a year with no data, not a year of zeros."""
        return not (self.classes_held or self.person_times)


def figures_city(user, token: ApiToken | None = None) -> Region | None:
    """The city a user's figures are narrowed to: a liaison's own; else the city an API
    ``token`` is limited to, if any; None (all) for others."""
    if reach(user) == Reach.CITY:
        return user.city
    return token.city if token is not None else None


_TRAINED = {
    "person_times": Count("id"),
    "distinct_trainees": Count("cadre_id", distinct=True),
    "communities_reached": Count("community_id", distinct=True),
}


def summary(*, year: int | None = None, city: Region | None = None) -> Summary:
    """The dashboard's and the API's four figures: ``figures`` of one year or all."""
    f = figures(Scope(first=year, last=year, city=city))
    return Summary(
        classes_held=f.classes_held,
        person_times=f.person_times,
        distinct_trainees=f.distinct_trainees,
        communities_reached=f.communities_reached,
    )


def by_year(*, city: Region | None = None) -> list[dict]:
    """One row per year, oldest first, with the four figures (``breakdown`` by year)."""
    return [
        {"year": r["key"], **{k: r[k] for k in ("classes_held", *_TRAINED)}}
        for r in breakdown(Scope(city=city), "year")
    ]


@figure
def by_city(*, year: int | None = None, city: Region | None = None) -> list[dict]:
    """One row per city with trainees and the share of its communities reached."""
    trained = {
        r["city_id"]: r
        for r in counted_enrolments(Scope(first=year, last=year, city=city))
        .values("city_id")
        .annotate(**_TRAINED)
    }
    communities = dict(
        Community.objects.values_list("city_id").annotate(n=Count("id")).values_list("city_id", "n")
    )
    cities = Region.objects.cities()
    if city is not None:
        cities = cities.filter(pk=city.pk)
    rows = []
    for c in cities:
        figures = trained.get(c.pk, {})
        total = communities.get(c.pk, 0)
        reached = figures.get("communities_reached", 0)
        rows.append(
            {
                "city": c,
                "person_times": figures.get("person_times", 0),
                "distinct_trainees": figures.get("distinct_trainees", 0),
                "communities_reached": reached,
                "communities": total,
                "coverage": round(100 * reached / total) if total else 0,
            }
        )
    return rows


def by_class_type(*, year: int | None = None, city: Region | None = None) -> list[dict]:
    """One row per class type that held a class or trained someone, most person-times first:
    person-times, distinct trainees and classes held (``breakdown`` by class type)."""
    return [
        {
            "class_type": r["label"],
            "person_times": r["person_times"],
            "distinct_trainees": r["distinct_trainees"],
            "classes_held": r["classes_held"],
        }
        for r in breakdown(Scope(first=year, last=year, city=city), "class_type")
    ]


# ---- Figures over a range of years (issue 9 §3) ------------------------------------------------
#
# Each figure below has one definition, over a ``Scope`` (a range of class years and a city).
# Distinct counts (trainees, communities, classes) are counted by the database per group, never
# added up from smaller groups: a trainee of 2023 and 2024 is one trainee of 2023–2024.
# Every function makes a fixed number of queries, whatever the number of rows.


@dataclass(frozen=True)
class Scope:
    """What a figure counts: classes of the years ``first`` to ``last`` (both included; None:
    unbounded) and, if ``city`` is set, trainees of that city (the city at nomination)."""

    first: int | None = None
    last: int | None = None
    city: Region | None = None

    @property
    def last_year(self) -> int:
        """The year "the last N years" and "this year's hours" end at: ``last``, or now."""
        return self.last if self.last is not None else timezone.localdate().year

    @property
    def is_one_year(self) -> bool:
        return self.first is not None and self.first == self.last

    @property
    def years_text(self) -> str:
        """``2024年``, ``2020—2024年``, ``2020年以来``, ``截至2024年`` or ``历年``."""
        if self.is_one_year:
            return f"{self.first}年"
        if self.first is not None and self.last is not None:
            return f"{self.first}—{self.last}年"
        if self.first is not None:
            return f"{self.first}年以来"
        if self.last is not None:
            return f"截至{self.last}年"
        return "历年"

    def year_filter(self, path: str = "") -> Q:
        """The year range as a filter on classes, through ``path`` (``"training_class__"``)."""
        q = Q()
        if self.first is not None:
            q &= Q(**{f"{path}year__gte": self.first})
        if self.last is not None:
            q &= Q(**{f"{path}year__lte": self.last})
        return q


def counted_enrolments(scope: Scope):
    """The enrolments behind person-times, distinct trainees, hours and communities: the
    completed ones (``Enrolment.completed``) of the scope's classes and city."""
    qs = Enrolment.objects.completed().filter(scope.year_filter("training_class__"))
    return qs.in_city(scope.city) if scope.city is not None else qs


def held_classes(scope: Scope):
    """The classes behind "classes held": held (``TrainingClass.held``) in the scope's years
    and, for a city, having trained someone of that city."""
    classes = TrainingClass.objects.held().filter(scope.year_filter())
    if scope.city is not None:
        trained = counted_enrolments(scope).values("training_class_id")
        classes = classes.filter(pk__in=trained)
    return classes


@dataclass(frozen=True)
class Figures:
    classes_held: int
    person_times: int
    distinct_trainees: int
    hours_credited: Decimal  # training hours delivered: the hours credited to trainees
    communities_reached: int

    def as_dict(self) -> dict:
        return asdict(self)


_PER_GROUP = {
    **_TRAINED,
    "hours_credited": credited_hours_sum(),
    # In a group of trainees (a city, a post): the held classes that trained one of them.
    "classes_held": Count(
        "training_class_id", distinct=True, filter=Q(training_class__status__in=HELD_STATUSES)
    ),
}


@figure
def figures(scope: Scope) -> Figures:
    """The headline figures of a scope, in two queries."""
    trained = counted_enrolments(scope).aggregate(**_TRAINED, hours_credited=credited_hours_sum())
    return Figures(classes_held=held_classes(scope).count(), **trained)


# How each breakdown groups enrolments, and how it names a group.
BREAKDOWNS = {
    "year": "training_class__year",
    "city": "city_id",
    "class_type": "training_class__class_type_id",
    "post": "cadre__post",
}
# A class belongs to one year and one class type: these count the held classes themselves.
_CLASS_KEYS = {"year": "year", "class_type": "class_type_id"}


@figure
def breakdown(scope: Scope, by: str) -> list[dict]:
    """The figures per year, city, class type or post (the cadre's present post), each group
    counted on its own, most person-times first (years in order). A group's distinct counts
    do not add up to the scope's: one trainee can be in two groups.

    Each row: ``key`` (the group's value), ``label``, and the five figures. Three queries."""
    key = BREAKDOWNS[by]
    rows = {
        r[key]: r for r in counted_enrolments(scope).values(key).annotate(**_PER_GROUP).order_by()
    }
    if by in _CLASS_KEYS:
        column = _CLASS_KEYS[by]
        held = held_classes(scope).values(column).annotate(n=Count("id")).order_by()
        for r in held:
            empty = {**dict.fromkeys(_PER_GROUP, 0), "hours_credited": Decimal(0)}
            rows.setdefault(r[column], empty)["classes_held"] = r["n"]
        for r in rows.values():
            r.setdefault("classes_held", 0)
    labels = _labels(by, list(rows))
    result = [
        {"key": k, "label": labels.get(k, str(k)), **{f: r[f] for f in _PER_GROUP}}
        for k, r in rows.items()
    ]
    if by == "year":
        return sorted(result, key=lambda r: r["key"])
    return sorted(result, key=lambda r: (-r["person_times"], r["label"]))


def _labels(by: str, keys: list) -> dict:
    if by == "city":
        return dict(Region.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "class_type":
        return dict(ClassType.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "post":
        return {k: str(Post(k).label) for k in keys if k in Post.values}
    return {k: f"{k}年" for k in keys}


@figure
def coverage(scope: Scope, *, years: int | None = None) -> list[dict]:
    """Per city, the share of its communities whose party secretary (the cadre holding the
    post now) completed a class in the ``years`` years up to the scope's last year
    (``LUODI_COVERAGE_YEARS``, 5). Ranked, highest share first. Three queries."""
    years = years or settings.LUODI_COVERAGE_YEARS
    window = Scope(first=scope.last_year - years + 1, last=scope.last_year, city=scope.city)
    covered = dict(
        covered_communities(window)
        .values("city_id")
        .annotate(n=Count("id"))
        .values_list("city_id", "n")
        .order_by()
    )
    communities = Community.objects.all()
    cities = Region.objects.cities()
    if scope.city is not None:
        communities = communities.in_city(scope.city)
        cities = cities.filter(pk=scope.city.pk)
    totals = dict(communities.values("city_id").annotate(n=Count("id")).values_list("city_id", "n"))
    rows = []
    for city in cities:
        total, reached = totals.get(city.pk, 0), covered.get(city.pk, 0)
        rows.append(
            {
                "city": city,
                "communities": total,
                "covered": reached,
                "share": reached / total if total else 0.0,
                "first_year": window.first,
                "last_year": window.last,
            }
        )
    return sorted(rows, key=lambda r: (-r["share"], -r["communities"], r["city"].code))


def covered_communities(window: Scope):
    """The communities behind coverage: those whose present party secretary completed a class
    of the window's years (counted in the secretary's present city)."""
    trained = (
        Enrolment.objects.completed()
        .filter(window.year_filter("training_class__"), cadre__post=Post.SECRETARY)
        .values("cadre__community_id")
    )
    communities = Community.objects.filter(pk__in=trained)
    return communities.in_city(window.city) if window.city is not None else communities


@dataclass(frozen=True)
class Returning:
    """Trainees by the number of classes they completed in the scope."""

    once: int
    twice: int
    three_or_more: int

    @property
    def total(self) -> int:
        return self.once + self.twice + self.three_or_more


@figure
def returning_trainees(scope: Scope) -> Returning:
    """Distinct trainees who completed one, two, three or more classes in the scope: one query
    (the counts per trainee are grouped inside the database)."""
    per_cadre = counted_enrolments(scope).values("cadre_id").annotate(n=Count("id")).order_by()
    counts = per_cadre.aggregate(
        once=Count("cadre_id", filter=Q(n=1)),
        twice=Count("cadre_id", filter=Q(n=2)),
        three_or_more=Count("cadre_id", filter=Q(n__gte=3)),
    )
    return Returning(**counts)


def annual_targets() -> dict[str, Decimal]:
    """The yearly hours target per post (the college settings): posts without one are not
    counted for compliance."""
    return dict(CollegeSettings.load().annual_targets())


def _per_post(targets: dict[str, Decimal]) -> Case:
    return Case(
        *(When(post=post, then=Value(int(hours))) for post, hours in targets.items()),
        output_field=IntegerField(),
    )


def _under(hours: str, target: str) -> Case:
    return Case(
        When(**{f"{hours}__lt": F(target)}, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def compliance_list(*, year: int, cadres=None, college: CollegeSettings | None = None):
    """Cadres of a post with a yearly target (of ``cadres``, e.g. those a user may see),
    annotated with ``college_hours`` (credited in the college's classes of ``year``),
    ``external_hours`` (approved training elsewhere, ``training.ledger``), ``hours`` (both),
    ``target`` and ``below`` (``hours`` under the target); and over the five years ending
    with ``year``: ``five_year_hours`` (both kinds, the external capped year by year, as the
    archive counts them), ``five_year_target`` and ``below_five_years``. The records behind
    hours compliance."""
    college = college or CollegeSettings.load()
    targets = college.annual_targets()
    five_targets = college.five_year_targets()
    cadres = Cadre.objects.all() if cadres is None else cadres
    years = range(year - 4, year + 1)
    college_hours = credited_hours_sum("enrolments__", Q(enrolments__training_class__year=year))
    college_five = credited_hours_sum(
        "enrolments__", Q(enrolments__training_class__year__range=(years[0], years[-1]))
    )
    external_five = sum(
        (external_hours_of_year(y, college=college) for y in years[1:]),
        external_hours_of_year(years[0], college=college),
    )
    return (
        cadres.filter(post__in=targets)
        .annotate(
            college_hours=college_hours,
            external_hours=external_hours_of_year(year, college=college),
            target=_per_post(targets),
            five_year_hours=ExpressionWrapper(
                college_five + external_five,
                output_field=DecimalField(max_digits=8, decimal_places=1),
            ),
            five_year_target=_per_post(five_targets),
        )
        .annotate(hours=F("college_hours") + F("external_hours"))
        .annotate(
            below=_under("hours", "target"),
            below_five_years=_under("five_year_hours", "five_year_target"),
        )
    )


@figure
def hours_compliance(scope: Scope) -> list[dict]:
    """Per post with a yearly target: its cadres (of the scope's city, where they work now),
    and those below the target in the scope's last year. One query."""
    cadres = Cadre.objects.all()
    if scope.city is not None:
        cadres = cadres.in_city(scope.city)
    college = CollegeSettings.load()
    listed = compliance_list(year=scope.last_year, cadres=cadres, college=college).order_by()
    targets = college.annual_targets()
    # Counted over the per-cadre rows (the database wraps them in a subquery): one query.
    counts = listed.aggregate(
        **{f"{post}.cadres": Count("id", filter=Q(post=post)) for post in targets},
        **{f"{post}.below": Count("id", filter=Q(post=post, below=True)) for post in targets},
        **{
            f"{post}.below_college": Count("id", filter=Q(post=post, college_hours__lt=F("target")))
            for post in targets
        },
        **{
            f"{post}.below_five": Count("id", filter=Q(post=post, below_five_years=True))
            for post in targets
        },
    )
    five_targets = college.five_year_targets()
    result = []
    for post, target in targets.items():
        total, below = counts[f"{post}.cadres"], counts[f"{post}.below"]
        result.append(
            {
                "post": post,
                "label": str(Post(post).label),
                "target": int(target),
                "year": scope.last_year,
                "cadres": total,
                "below_target": below,
                "share_below": below / total if total else 0.0,
                # Counting the college's classes alone: how many external hours lifted.
                "below_target_college_only": counts[f"{post}.below_college"],
                # Over the five years ending with it (college and external hours).
                "five_year_target": int(five_targets[post]),
                "below_five_year_target": counts[f"{post}.below_five"],
            }
        )
    return result


def new_secretaries(scope: Scope):
    """Party secretaries who took up the post (``Cadre.post_since``) in the scope's years, in
    its city, annotated ``first_class``: the start of the first class they completed since
    taking office (None if none). Trained in time: ``trained_in_time``."""
    secretaries = Cadre.objects.filter(post=Post.SECRETARY, post_since__isnull=False)
    if scope.first is not None:
        secretaries = secretaries.filter(post_since__year__gte=scope.first)
    if scope.last is not None:
        secretaries = secretaries.filter(post_since__year__lte=scope.last)
    if scope.city is not None:
        secretaries = secretaries.in_city(scope.city)
    first_class = Min(
        "enrolments__training_class__start_date",
        filter=Q(
            enrolments__status=EnrolmentStatus.COMPLETED,
            enrolments__training_class__start_date__gte=F("post_since"),
        ),
    )
    return secretaries.annotate(first_class=first_class)


def trained_in_time() -> Q:
    """Of ``new_secretaries``: those whose first class began within ``LUODI_NEW_SECRETARY_DAYS``
    (183, half a year) of taking office. Tested on the first class only, the same as "a class
    within the days allowed", so that the date arithmetic is done once per secretary, not once
    per enrolment."""
    days = timedelta(days=settings.LUODI_NEW_SECRETARY_DAYS)
    return Q(first_class__lte=ExpressionWrapper(F("post_since") + days, output_field=DateField()))


@dataclass(frozen=True)
class NewSecretaries:
    took_office: int
    trained_in_time: int
    still_in_window: int  # not yet trained, but half a year has not passed
    overdue: int  # not trained, and half a year has passed

    @property
    def share_in_time(self) -> float:
        decided = self.took_office - self.still_in_window
        return self.trained_in_time / decided if decided else 0.0


@figure
def new_secretaries_trained(scope: Scope, *, today: date | None = None) -> NewSecretaries:
    """How many new secretaries were trained within half a year of taking office. One query."""
    today = today or timezone.localdate()
    window_open_since = today - timedelta(days=settings.LUODI_NEW_SECRETARY_DAYS)
    listed = new_secretaries(scope).order_by()
    counts = listed.aggregate(
        took_office=Count("id"),
        trained_in_time=Count("id", filter=trained_in_time()),
        # Not trained yet, and the half year has not passed: nobody can be late yet (a class
        # already taken would be in time).
        still_in_window=Count(
            "id", filter=Q(first_class__isnull=True, post_since__gt=window_open_since)
        ),
    )
    overdue = counts["took_office"] - counts["trained_in_time"] - counts["still_in_window"]
    return NewSecretaries(**counts, overdue=overdue)


@figure
def teaching_load(scope: Scope) -> list[dict]:
    """Per teacher: the sessions they taught in the scope's held classes (for a city, those
    that trained someone of it), their hours and the classes. Most hours first. One query."""
    sessions = Session.objects.filter(
        scope.year_filter("training_class__"),
        training_class__status__in=HELD_STATUSES,
        teacher__isnull=False,
    )
    if scope.city is not None:  # held classes of the scope, as ``held_classes`` has them
        sessions = sessions.filter(training_class__in=held_classes(scope))
    rows = (
        sessions.values("teacher_id", "teacher__name")
        .annotate(
            sessions=Count("id"),
            hours=Sum("hours", default=Decimal(0)),
            classes=Count("training_class_id", distinct=True),
        )
        .order_by("-hours", "-sessions", "teacher__name")
    )
    return [
        {
            "teacher_id": r["teacher_id"],
            "teacher": r["teacher__name"],
            "sessions": r["sessions"],
            "hours": r["hours"],
            "classes": r["classes"],
        }
        for r in rows
    ]
