"""Finding the city, district, street and community a row names, written as loosely as offices
write them: "大连" for 大连市, "中山" for 中山区, "春光" or "春光社区居委会" for 春光社区.

A ``Places`` index holds the whole region tree of the database (a province has a few thousand
communities), so a 100,000-row file finds its places without a query per row. With
``create_missing`` it plans the streets and communities a row names but the database lacks
(under a district that exists); they are written before the rows that need them.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from luodi.lib.office_values import OfficeValueError, clean_text
from luodi.regions.models import Community, Region, RegionLevel

_SUFFIXES = {
    RegionLevel.CITY: ("市", "地区"),
    RegionLevel.DISTRICT: ("区", "县", "市"),
    RegionLevel.STREET: ("街道办事处", "街道", "办事处", "镇", "乡"),
    "community": ("社区居民委员会", "社区居委会", "居民委员会", "居委会", "社区"),
}


def place_key(name: object, level: str) -> str:
    """A place name without its level's suffix ("大连市" → 大连), unless too little is left."""
    text = re.sub(r"\s", "", clean_text(name))
    for suffix in _SUFFIXES[level]:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


@dataclass
class NewCommunity:
    """A community an import will create (and its street, if that is new too)."""

    name: str
    district: Region
    street_name: str
    street: Region | None  # None: the street is new as well
    rows: list[int] = field(default_factory=list)


class Places:
    def __init__(self, *, create_missing: bool = False):
        self.create_missing = create_missing
        regions = list(Region.objects.exclude(level=RegionLevel.PROVINCE))
        self.by_id = {r.pk: r for r in regions}
        self.cities: dict[str, list[Region]] = defaultdict(list)
        self.districts: dict[str, list[Region]] = defaultdict(list)
        self.streets: dict[tuple[int, str], Region] = {}
        for region in regions:
            key = place_key(region.name, region.level)
            if region.level == RegionLevel.CITY:
                self.cities[key].append(region)
            elif region.level == RegionLevel.DISTRICT:
                self.districts[key].append(region)
            elif region.level == RegionLevel.STREET:
                self.streets[(region.parent_id or 0, key)] = region
        self.communities: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
        for row in Community.objects.values_list(
            "pk", "name", "street_id", "district_id", "city_id"
        ):
            self.communities[place_key(row[1], "community")].append(
                (row[0], row[2], row[3], row[4])
            )
        # Planned: (district id, street key, community key) -> NewCommunity
        self.new: dict[tuple[int, str, str], NewCommunity] = {}

    def city(self, name: object) -> Region:
        found = self.cities.get(place_key(name, RegionLevel.CITY), [])
        if len(found) != 1:
            raise OfficeValueError(_("no such city"))
        return found[0]

    def district(self, name: object, city: Region | None) -> Region:
        found = self.districts.get(place_key(name, RegionLevel.DISTRICT), [])
        if city is not None:
            found = [d for d in found if d.parent_id == city.pk]
        if not found:
            raise OfficeValueError(
                _("no such district in %(city)s") % {"city": city}
                if city
                else _("no such district")
            )
        if len(found) > 1:
            raise OfficeValueError(_("districts of this name are in several cities: add the city"))
        return found[0]

    def street(self, name: object, district: Region) -> Region | None:
        return self.streets.get((district.pk, place_key(name, RegionLevel.STREET)))

    def community(
        self,
        name: object,
        *,
        city: Region | None = None,
        district: Region | None = None,
        street_name: str = "",
        row: int = 0,
    ) -> int | NewCommunity:
        """The id of the community a row names, or the ``NewCommunity`` to create (only with
        ``create_missing``); ``OfficeValueError`` says why neither."""
        key = place_key(name, "community")
        found = self.communities.get(key, [])
        if city is not None:
            found = [c for c in found if c[3] == city.pk]
        if district is not None:
            found = [c for c in found if c[2] == district.pk]
        if street_name and district is not None and len(found) > 1:
            street = self.street(street_name, district)
            found = [c for c in found if street is not None and c[1] == street.pk]
        if len(found) == 1:
            return found[0][0]
        if len(found) > 1:
            raise OfficeValueError(
                _("%(count)s communities have this name: add the district and street columns")
                % {"count": len(found)}
            )
        if not self.create_missing:
            raise OfficeValueError(
                _("no such community (tick “create missing communities” to add it)")
            )
        if district is None or not street_name:
            raise OfficeValueError(
                _("a new community needs its district and street: add those columns")
            )
        street_key = place_key(street_name, RegionLevel.STREET)
        planned = self.new.setdefault(
            (district.pk, street_key, key),
            NewCommunity(
                name=clean_text(name) if clean_text(name).endswith("社区") else f"{key}社区",
                district=district,
                street_name=clean_text(street_name),
                street=self.street(street_name, district),
            ),
        )
        planned.rows.append(row)
        return planned


def create_communities(planned: list[NewCommunity]) -> dict[int, Community]:
    """Write the planned streets and communities, numbered after the existing ones of their
    district and street; returns the communities by ``id()`` of their plan."""
    created: dict[int, Community] = {}
    new_streets: dict[tuple[int, str], Region] = {}
    for plan in planned:
        street = plan.street
        if street is None:
            street_key = (plan.district.pk, place_key(plan.street_name, RegionLevel.STREET))
            street = new_streets.get(street_key)
            if street is None:
                street = Region.objects.create(
                    code=_next_code(
                        plan.district.code, Region.objects.filter(parent=plan.district)
                    ),
                    name=plan.street_name,
                    level=RegionLevel.STREET,
                    parent=plan.district,
                )
                new_streets[street_key] = street
        community = Community(
            code=_next_code(street.code, Community.objects.filter(street=street)),
            name=plan.name,
            street=street,
        )
        community.save()
        created[id(plan)] = community
    return created


def _next_code(parent_code: str, siblings) -> str:
    return next_code(parent_code, siblings.values_list("code", flat=True))


def next_code(parent_code: str, taken: Iterable[str]) -> str:
    """The parent's code followed by the next 3-digit number after its children's codes
    (``taken``: their codes, and any already given out)."""
    n = len(parent_code)
    numbers = [int(c[n:]) for c in taken if c.startswith(parent_code) and c[n:].isdigit()]
    number = max(numbers, default=0) + 1
    if number > 999:
        raise OfficeValueError(_("no code is left for another place here"))
    return f"{parent_code}{number:03d}"
