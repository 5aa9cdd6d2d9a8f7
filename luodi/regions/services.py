"""Loading a province's division tree (``manage.py load_regions``)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luodi.lib import audit
from luodi.regions import gb2260
from luodi.regions.models import Region, RegionLevel


@dataclass
class Loaded:
    province: str
    cities: int
    districts: int
    created: int
    changed: int

    @property
    def unchanged(self) -> int:
        return 1 + self.cities + self.districts - self.created - self.changed


@transaction.atomic
def regions_load(*, province: str, by=None) -> Loaded:
    """Create or bring up to date the province ``province`` (two digits, ``21`` for Liaoning),
    its cities and districts from GB/T 2260 (``gb2260``), found by their codes: a renamed
    district keeps its row (and the streets and communities under it) under its new name.
    Streets and communities are the college's own import. Regions the table does not name are
    left alone. All or nothing."""
    try:
        wanted = gb2260.divisions(province)
    except gb2260.UnknownProvince:
        raise ValidationError(
            _("There is no province %(code)s in GB/T 2260 (two digits, e.g. 21 for Liaoning).")
            % {"code": province},
            code="unknown_province",
        ) from None
    existing = Region.objects.in_bulk([d.code for d in wanted], field_name="code")
    ids: dict[str, int] = {}
    created = changed = 0
    for division in wanted:  # parents first
        parent_id = ids[division.parent] if division.parent else None
        region = existing.get(division.code)
        if region is None:
            region = Region(code=division.code, level=division.level)
            created += 1
        elif region.level != division.level:
            raise ValidationError(
                _("Region %(code)s is a %(level)s here but a %(expected)s in GB/T 2260.")
                % {
                    "code": division.code,
                    "level": region.get_level_display(),
                    "expected": RegionLevel(division.level).label,
                },
                code="level_differs",
            )
        elif (region.name, region.parent_id) == (division.name, parent_id):
            ids[division.code] = region.pk
            continue
        else:
            changed += 1
        region.name, region.parent_id = division.name, parent_id
        region.full_clean()
        region.save()
        ids[division.code] = region.pk
    result = Loaded(
        province=wanted[0].name,
        cities=sum(d.level == RegionLevel.CITY for d in wanted),
        districts=sum(d.level == RegionLevel.DISTRICT for d in wanted),
        created=created,
        changed=changed,
    )
    audit.record("regions.load", by=by, province=province, created=created, changed=changed)
    return result
