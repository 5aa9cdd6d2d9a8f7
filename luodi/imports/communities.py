"""Importing communities and their profiles: a city's list of communities as its civil affairs
office or organization department keeps it (户数, 人口, 楼栋数, 党员数, 党组织类型, 地址).

A community is identified by its 12-digit code when the file gives one, else by its name in its
street and district, all written loosely ("春光" for 春光社区, "青泥洼桥" for 青泥洼桥街道). The
city and district must be in the records; a street that is not is added under its district. A
new street and a new community without a code are numbered after their parent's children
(parent code + 3 digits), or, for a street, after the codes its communities have in the file.
A known community is updated with the columns the file has (an empty cell changes nothing);
its name, street and district stay as they are (a file that disagrees is reported).
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.imports.base import CREATE, UNCHANGED, UPDATE, Column, Outcome, Plan, Progress, Row
from luodi.imports.kinds import ImportKind, register
from luodi.imports.places import Places, next_code, place_key
from luodi.lib import audit
from luodi.lib.office_values import OfficeValueError, clean_text, parse_count
from luodi.regions.models import Community, PartyOrgType, Region, RegionLevel

BATCH = 1000
PROFILE = ("households", "residents", "buildings", "party_members", "party_org_type", "address")
COUNTS = ("households", "residents", "buildings", "party_members")


def _name(value: object) -> str:
    text = re.sub(r"\s", "", clean_text(value))
    if len(text) > 50:
        raise OfficeValueError(_("longer than %(limit)s characters") % {"limit": 50})
    return text


def _code(value: object) -> str:
    """A 12-digit statistical code; a number cell holds it exactly (12 digits fit)."""
    text = re.sub(r"\s", "", clean_text(value))
    if not re.fullmatch(r"\d{12}", text):
        raise OfficeValueError(_("not a 12-digit code"))
    return text


def _address(value: object) -> str:
    text = clean_text(value)
    if len(text) > 200:
        raise OfficeValueError(_("longer than %(limit)s characters") % {"limit": 200})
    return text


_ORG_LABELS = {str(label): value for value, label in PartyOrgType.choices}


def parse_party_org_type(value: object) -> str:
    """党委, 社区党委, 中共××社区委员会 → committee; 党总支, 总支部 → general branch; 党支部,
    联合党支部 → branch."""
    text = re.sub(r"\s", "", clean_text(value))
    if text in _ORG_LABELS or text in PartyOrgType.values:
        return _ORG_LABELS.get(text, text)
    if "总支" in text:
        return PartyOrgType.GENERAL_BRANCH
    if "支部" in text:
        return PartyOrgType.BRANCH
    if "党委" in text or re.fullmatch(r"(中共)?.*委员会", text):
        return PartyOrgType.COMMITTEE
    raise OfficeValueError(_("not 党委, 党总支 or 党支部"))


def _count(value: object) -> int:
    return parse_count(value)


@dataclass(eq=False)
class NewStreet:
    """A street an import will add under its district."""

    district: Region
    name: str
    code: str = ""


@dataclass(eq=False)
class Update:
    """A row's outcome record for a known community."""

    community: Community
    values: dict[str, Any]


@dataclass(eq=False)
class Create:
    """A row's outcome record for a new community (whose street may be new too); ``key``
    tells it apart from the file's other rows."""

    values: dict[str, Any]
    key: tuple[int, str, str]
    name: str
    street: "Region | NewStreet"
    district: Region


@dataclass(eq=False)
class Read:
    """A row's values and the places it names (district and street may be None)."""

    row: Row
    values: dict[str, Any]
    city: Region | None
    district: Region | None
    street_name: str
    code: str | None


class CommunityImport(ImportKind):
    name = "communities"
    label = gettext_lazy("Communities")
    key_label = gettext_lazy("code")
    columns = (
        Column("city", gettext_lazy("city"), ("市", "所在市", "地市", "城市"), example="大连市"),
        Column(
            "district",
            gettext_lazy("district"),
            ("区", "县区", "区县", "区（县）", "所在区", "所属区", "所属区县"),
            note=gettext_lazy("Must be in the records. Needed unless the code is a known one."),
            example="中山区",
        ),
        Column(
            "street",
            gettext_lazy("street"),
            ("所属街道", "街道", "街道（乡镇）", "所在街道", "街道办事处", "乡镇", "乡镇街道"),
            note=gettext_lazy(
                "A street the records do not hold is added under its district. Needed for a "
                "new community."
            ),
            example="桃源街道",
        ),
        Column(
            "name",
            gettext_lazy("community"),
            ("社区名称", "社区", "社区名", "所在社区", "居委会", "居委会名称", "社区居委会"),
            True,
            gettext_lazy("The name may be written with or without 社区."),
            "桃源社区",
        ),
        Column(
            "code",
            gettext_lazy("code"),
            ("社区代码", "代码", "编码", "社区编码", "统计用区划代码", "区划代码", "统计代码"),
            note=gettext_lazy(
                "12 digits (the statistical code). May be left empty: a new community is "
                "then numbered after the others of its street."
            ),
            example="210202003001",
        ),
        Column(
            "households",
            gettext_lazy("households"),
            ("户数", "居民户数", "总户数", "住户数", "居民总户数"),
            note=gettext_lazy("Whole numbers; 1,234 and 1234户 are read too."),
            example="2860",
        ),
        Column(
            "residents",
            gettext_lazy("residents"),
            ("人口", "常住人口", "居民人数", "人口数", "总人口", "居民人口", "常住人口数"),
            example="7450",
        ),
        Column(
            "buildings",
            gettext_lazy("buildings"),
            ("楼栋数", "楼栋", "楼数", "楼宇数", "楼栋数量"),
            example="42",
        ),
        Column(
            "party_members",
            gettext_lazy("party members"),
            ("党员数", "党员人数", "党员", "党员数量", "党员总数"),
            note=gettext_lazy("At most the residents."),
            example="236",
        ),
        Column(
            "party_org_type",
            gettext_lazy("party organisation"),
            ("党组织类型", "党组织设置", "党组织", "党组织形式", "党组织设置形式"),
            note=gettext_lazy("党委, 党总支 or 党支部."),
            example="党委",
        ),
        Column(
            "address",
            gettext_lazy("address"),
            ("地址", "办公地址", "社区地址", "办公场所地址", "详细地址"),
            example="中山区桃源街38号",
        ),
    )

    def read(self, row: Row, places: Places) -> Read:
        """The row's values, parsed; what is wrong with them is in ``row.problems``."""
        values: dict[str, Any] = {"name": row.get("name", _name)}
        for name in COUNTS:
            values[name] = row.get(name, _count)
        values["party_org_type"] = row.get("party_org_type", parse_party_org_type)
        values["address"] = row.get("address", _address)
        code = row.get("code", _code)
        city = district = None
        try:
            city = places.city(row.raw("city")) if row.has("city") else None
        except OfficeValueError as exc:
            row.problem("city", exc.reason)
        else:
            try:
                if row.has("district"):
                    district = places.district(row.raw("district"), city)
            except OfficeValueError as exc:
                row.problem("district", exc.reason)
        if code and district and not code.startswith(district.code):
            row.problem("code", _not_under(district))
        return Read(row, values, city, district, clean_text(row.raw("street")), code)

    def plan_rows(self, rows: list[Row], *, options: dict, progress: Progress) -> Plan:
        plan = Plan()
        places = Places()
        read: list[Read] = []
        for i, row in enumerate(rows, 1):
            item = self.read(row, places)
            if not row.problems:
                read.append(item)
            if i % 500 == 0:
                progress(i, len(rows))
        known = Known(read)
        allocate = Allocator(places, known, read)
        first_row: dict[Any, int] = {}
        planned: list[tuple[Row, Outcome]] = []
        for item in read:
            outcome = self.resolve(item, known, allocate)
            if outcome is None:
                continue
            record = outcome.record
            key = record.community.pk if isinstance(record, Update) else record.key
            if key in first_row:
                item.row.problem("name", _("the same community as row %d") % first_row[key])
                continue
            if item.code and item.code in first_row:
                item.row.problem("code", _("the same code as row %d") % first_row[item.code])
                continue
            first_row[key] = item.row.number
            if item.code:
                first_row[item.code] = item.row.number
            planned.append((item.row, outcome))
        allocate.number_streets()
        for row, outcome in planned:
            if outcome.action == CREATE:
                allocate.number_community(row, outcome)
            if not row.problems:
                plan.outcomes.append(outcome)
        for row in rows:
            plan.problems.extend(row.problems)
        # A dict, not a list: the streets come with their communities, which the summary
        # counts as new rows (a list in ``extra`` is counted as new communities).
        plan.extra["streets"] = allocate.used_streets(plan.outcomes)
        progress(len(rows), len(rows))
        return plan

    def resolve(self, item: Read, known: "Known", allocate: "Allocator") -> Outcome | None:
        """The row's outcome, or None with the reason in the row's problems."""
        row, values = item.row, item.values
        community = self.find(item, known)
        if row.problems:
            return None
        effective = {
            f: values[f] if values[f] is not None else getattr(community, f, 0) for f in COUNTS
        }
        if effective["party_members"] > effective["residents"]:
            row.problem(
                "party_members",
                _("more than the residents (%(residents)s)")
                % {"residents": effective["residents"]},
                values["party_members"] if values["party_members"] is not None else "",
            )
            return None
        if community is not None:
            changes = [
                f for f in PROFILE if values[f] is not None and getattr(community, f) != values[f]
            ]
            action = UPDATE if changes else UNCHANGED
            return Outcome(row.number, community.code, action, changes, Update(community, values))
        district = item.district
        if district is None:  # reported by ``find``
            return None
        if not item.street_name:
            row.problem("street", _("needed for a new community, but empty"))
            return None
        street = allocate.street(district, item.street_name, item.code)
        name = values["name"] if values["name"].endswith("社区") else f"{_key(values['name'])}社区"
        key = (district.pk, place_key(item.street_name, RegionLevel.STREET), _key(name))
        record = Create(values, key=key, name=name, street=street, district=district)
        return Outcome(row.number, item.code or "", CREATE, [], record)

    def find(self, item: Read, known: "Known") -> Community | None:
        """The known community a row names: by its code, else by its name in its district
        and street; None for a new one, or with the reason in the row's problems."""
        row = item.row
        if item.code and item.code in known.by_code:
            community = known.by_code[item.code]
            self.check_place(item, community)
            return community
        if item.district is None:
            row.problem("district", _("needed when the code is empty or not in the records"))
            return None
        found = known.named(item.district, item.street_name, item.values["name"])
        if len(found) > 1:
            row.problem(
                "name",
                _("%(count)s communities of %(district)s have this name: add the street")
                % {"count": len(found), "district": item.district.name},
            )
            return None
        if found and item.code:
            row.problem(
                "code",
                _("%(name)s has the code %(code)s in the records")
                % {"name": found[0].name, "code": found[0].code},
            )
        return found[0] if found else None

    @staticmethod
    def check_place(item: Read, community: Community) -> None:
        """A known code's community must be the one the row names (its district, street and
        name as written loosely): a file's typo in a code must not update another community."""
        row = item.row
        if item.city is not None and item.city.pk != community.city_id:
            row.problem(
                "city",
                _("the community with this code is in %(place)s") % {"place": community.city},
            )
        elif item.district is not None and item.district.pk != community.district_id:
            row.problem(
                "district",
                _("the community with this code is in %(place)s") % {"place": community.district},
            )
        elif item.street_name and place_key(item.street_name, RegionLevel.STREET) != place_key(
            community.street.name, RegionLevel.STREET
        ):
            row.problem(
                "street",
                _("the community with this code is in %(place)s") % {"place": community.street},
            )
        elif _key(item.values["name"]) != _key(community.name):
            row.problem(
                "name",
                _("the community with this code is %(name)s") % {"name": community.name},
            )

    def write(self, plan: Plan, *, options: dict, by, progress: Progress) -> None:
        with transaction.atomic():
            planned_streets = list(plan.extra.get("streets", {}).values())
            streets = [
                Region(code=s.code, name=s.name, level=RegionLevel.STREET, parent=s.district)
                for s in planned_streets
            ]
            Region.objects.bulk_create(streets)
            street_for = {id(s): r for s, r in zip(planned_streets, streets, strict=True)}
            new: list[Community] = []
            updated: list[Community] = []
            fields: set[str] = set()
            for outcome in plan.outcomes:
                record = outcome.record
                if isinstance(record, Create):
                    street = record.street
                    if isinstance(street, NewStreet):
                        street = street_for[id(street)]
                    values = record.values
                    new.append(
                        Community(
                            code=outcome.key,
                            name=record.name,
                            street=street,
                            district_id=record.district.pk,
                            city_id=record.district.parent_id,  # type: ignore[misc]  # a district's parent is its city
                            **{f: values[f] for f in PROFILE if values[f] is not None},
                        )
                    )
                elif outcome.action == UPDATE:
                    for f in outcome.changes:
                        setattr(record.community, f, record.values[f])
                    fields.update(outcome.changes)
                    updated.append(record.community)
            total = len(new) + len(updated)
            for start in range(0, len(new), BATCH):
                Community.objects.bulk_create(new[start : start + BATCH])
                progress(min(start + BATCH, len(new)), total)
            if updated:
                now = timezone.now()
                for community in updated:
                    community.updated_at = now
                Community.objects.bulk_update(
                    updated, sorted(fields | {"updated_at"}), batch_size=BATCH
                )
            progress(total, total)
            audit.record(
                "import.communities",
                by=by,
                created=len(new),
                updated=len(updated),
                streets_created=len(streets),
            )


def _key(name: str) -> str:
    return place_key(name, "community")


def _not_under(place: Region | NewStreet) -> str:
    return _("does not begin with the code of %(place)s (%(code)s)") % {
        "place": place.name,
        "code": place.code,
    }


class Known:
    """The communities a file may name, loaded once: those of the districts its rows name and
    those of the codes it gives, in queries of ``BATCH``."""

    def __init__(self, read: list[Read]):
        districts = {item.district.pk for item in read if item.district is not None}
        communities = list(
            Community.objects.filter(district_id__in=districts).select_related(
                "street", "district", "city"
            )
        )
        self.by_code = {c.code: c for c in communities}
        codes = sorted({item.code for item in read if item.code} - set(self.by_code))
        for start in range(0, len(codes), BATCH):
            for community in Community.objects.filter(
                code__in=codes[start : start + BATCH]
            ).select_related("street", "district", "city"):
                self.by_code[community.code] = community
        self.by_name: dict[tuple[int, str], list[Community]] = defaultdict(list)
        for community in communities:
            self.by_name[(community.district_id, _key(community.name))].append(community)

    def named(self, district: Region, street_name: str, name: str) -> list[Community]:
        found = self.by_name.get((district.pk, _key(name)), [])
        if street_name:
            street = place_key(street_name, RegionLevel.STREET)
            found = [c for c in found if place_key(c.street.name, RegionLevel.STREET) == street]
        return found


class Allocator:
    """New streets and the codes of new streets and communities: the parent's code and the
    next 3 digits after its children's (in the records and given in the file)."""

    def __init__(self, places: Places, known: Known, read: list[Read]):
        self.places = places
        self.taken: dict[str, list[str]] = defaultdict(list)  # parent code -> children's codes
        for region in places.by_id.values():
            if region.level == RegionLevel.STREET:
                self.taken[region.code[:-3]].append(region.code)
        self.region_codes = {r.code for r in places.by_id.values()}
        for code in {*known.by_code, *(item.code for item in read if item.code)}:
            self.taken[code[:-3]].append(code)
        self.new_streets: dict[tuple[int, str], NewStreet] = {}
        self.suggested: dict[int, str] = {}  # id(NewStreet) -> the street code its rows imply

    def street(self, district: Region, name: str, code: str | None) -> Region | NewStreet:
        existing = self.places.street(name, district)
        if existing is not None:
            return existing
        key = (district.pk, place_key(name, RegionLevel.STREET))
        street = self.new_streets.setdefault(key, NewStreet(district, name))
        if code:
            self.suggested.setdefault(id(street), code[:-3])
        return street

    def number_streets(self) -> None:
        """Number the new streets: as their communities' codes say if that code is free, else
        after their district's streets."""
        for street in self.new_streets.values():
            suggested = self.suggested.get(id(street))
            if suggested and suggested not in self.region_codes:
                street.code = suggested
            else:
                street.code = next_code(street.district.code, self.taken[street.district.code])
            self.region_codes.add(street.code)
            self.taken[street.district.code].append(street.code)

    def number_community(self, row: Row, outcome: Outcome) -> None:
        street = outcome.record.street  # a ``Create``
        if outcome.key:
            if not outcome.key.startswith(street.code):
                row.problem("code", _not_under(street))
            return
        try:
            outcome.key = next_code(street.code, self.taken[street.code])
        except OfficeValueError as exc:
            row.problem("code", exc.reason)
            return
        self.taken[street.code].append(outcome.key)

    def used_streets(self, outcomes: list[Outcome]) -> dict[str, NewStreet]:
        """The new streets of the rows to import, by code."""
        used = {id(o.record.street) for o in outcomes if o.action == CREATE}
        return {s.code: s for s in self.new_streets.values() if id(s) in used}


register(CommunityImport())
