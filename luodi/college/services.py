"""Writes of the college settings: each saved change recorded with its before and after."""

from typing import Any

from django.db import transaction

from luodi.college.models import CollegeSettings
from luodi.lib import audit

# Files are recorded by name; the rest as their values.
_FILES = ("logo", "seal")


def _values(college: CollegeSettings) -> dict[str, Any]:
    values = {}
    for field in CollegeSettings._meta.concrete_fields:
        if field.name in ("id", "created_at", "updated_at"):
            continue
        value = getattr(college, field.name)
        if field.name in _FILES:
            value = value.name if value else ""
        values[field.name] = (
            value
            if value is None or isinstance(value, (str, int, bool, dict, list))
            else str(value)
        )
    return values


@transaction.atomic
def settings_save(*, college: CollegeSettings, by) -> CollegeSettings:
    """Save the settings (after every check: ``full_clean``) and record what changed."""
    # As stored (not ``load()``: the request's copy is the one the form has just changed).
    before = _values(CollegeSettings.objects.filter(pk=1).first() or CollegeSettings(pk=1))
    college.full_clean()
    college.save()
    after = _values(college)
    changed = {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}
    audit.record(
        "college_settings.save",
        by=by,
        obj=college,
        before={k: b for k, (b, _a) in changed.items()},
        after={k: a for k, (_b, a) in changed.items()},
    )
    return college
