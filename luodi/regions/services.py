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


def college_start(*, name: str, province: str, username: str, password: str) -> Loaded:
    """A fresh Luodi becomes a college's own: its name (printed on certificates and
    documents), its province's cities and districts, and its first administrator. Only into
    an instance with no one and nothing in it yet; all or nothing."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    from luodi.accounts.models import Role
    from luodi.college.models import CollegeSettings

    user_model = get_user_model()
    name, username = name.strip(), username.strip()
    if not name:
        raise ValidationError(_("Give the college's name."), code="name_required")
    if user_model.objects.exists():
        raise ValidationError(
            _(
                "This Luodi already has users: start_college sets up a new, empty instance. "
                "Change an existing college's name in its settings."
            ),
            code="not_empty",
        )
    admin = user_model(username=username, role=Role.ADMIN, is_staff=True, is_superuser=True)
    admin.full_clean(exclude=["password"])
    validate_password(password, admin)
    with transaction.atomic():
        loaded = regions_load(province=province)
        settings = CollegeSettings.load()
        settings.name = name
        settings.full_clean()
        settings.save()
        admin.set_password(password)
        admin.save()
        audit.record("college.start", by=admin, name=name, province=province)
    return loaded
