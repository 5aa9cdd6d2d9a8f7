"""Headline figures, always computed from records (never typed in).

- classes held: classes that have finished (finished or archived);
- person-times (人次): completed enrolments;
- distinct trainees: distinct cadres with at least one completed enrolment;
- communities reached: distinct communities with at least one trained cadre.

``city`` narrows every figure to cadres of that city (a liaison sees only their own city);
classes held then counts the held classes that trained someone from that city. A trainee counts
for the city and community recorded at nomination, so past figures stay put when cadres move.
"""

from dataclasses import asdict, dataclass

from django.db.models import Count

from luodi.accounts.access import Reach, reach
from luodi.accounts.models import ApiToken
from luodi.regions.models import Community, Region
from luodi.training.models import Enrolment, TrainingClass


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


def _completed(*, year: int | None, city: Region | None):
    qs = Enrolment.objects.completed()
    if year is not None:
        qs = qs.filter(training_class__year=year)
    if city is not None:
        qs = qs.in_city(city)
    return qs


def summary(*, year: int | None = None, city: Region | None = None) -> Summary:
    trained = _completed(year=year, city=city)
    if city is None:
        held = TrainingClass.objects.held()
        if year is not None:
            held = held.in_year(year)
        classes_held = held.count()
    else:
        classes_held = trained.values("training_class_id").distinct().count()
    return Summary(classes_held=classes_held, **trained.aggregate(**_TRAINED))


def by_year(*, city: Region | None = None) -> list[dict]:
    """One row per year, oldest first, with the four figures."""
    trained = _completed(year=None, city=city)
    rows = {
        r["training_class__year"]: r
        for r in trained.values("training_class__year").annotate(
            classes_held=Count("training_class_id", distinct=True), **_TRAINED
        )
    }
    if city is None:
        for r in TrainingClass.objects.held().values("year").annotate(n=Count("id")):
            rows.setdefault(r["year"], {**dict.fromkeys(_TRAINED, 0)})["classes_held"] = r["n"]
    return [
        {"year": year, **{k: rows[year].get(k, 0) for k in ("classes_held", *_TRAINED)}}
        for year in sorted(rows)
    ]


def by_city(*, year: int | None = None, city: Region | None = None) -> list[dict]:
    """One row per city with trainees and the share of its communities reached."""
    trained = {
        r["city_id"]: r
        for r in _completed(year=year, city=city).values("city_id").annotate(**_TRAINED)
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
    """One row per class type that trained someone, most person-times first: person-times,
    distinct trainees and the classes that trained them."""
    rows = (
        _completed(year=year, city=city)
        .values("training_class__class_type__name")
        .annotate(classes_held=Count("training_class_id", distinct=True), **_TRAINED)
        .order_by("-person_times", "training_class__class_type__name")
    )
    return [
        {
            "class_type": r["training_class__class_type__name"],
            "person_times": r["person_times"],
            "distinct_trainees": r["distinct_trainees"],
            "classes_held": r["classes_held"],
        }
        for r in rows
    ]
