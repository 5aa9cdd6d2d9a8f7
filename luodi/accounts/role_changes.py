"""Recording changes to what a user may do: role, city, staff and superuser flags, whether the
account is active, groups and individual permissions (old and new values)."""

from typing import Any

from luodi.lib import audit

ROLE_FIELDS = ("role", "city_id", "is_staff", "is_superuser", "is_active")
PERMISSION_FIELDS = ("groups", "user_permissions")


def role_snapshot(user: Any) -> dict[str, Any]:
    """What ``user`` may do, as stored now (groups and permissions read from the database)."""
    snapshot = {f: getattr(user, f) for f in ROLE_FIELDS}
    if user.pk is not None:
        snapshot["groups"] = sorted(user.groups.values_list("name", flat=True))
        snapshot["user_permissions"] = sorted(
            user.user_permissions.values_list("codename", flat=True)
        )
    else:
        snapshot["groups"] = snapshot["user_permissions"] = []
    return snapshot


def _changes(before: dict[str, Any], after: dict[str, Any], fields) -> dict[str, str]:
    return {f: f"{before[f]} → {after[f]}" for f in fields if before[f] != after[f]}


def record_role_changes(*, user: Any, before: dict[str, Any] | None, by: Any) -> None:
    """Compare ``user`` now with ``before`` (None: the account is new) and record
    ``user.created``, ``user.role_changed`` and ``user.permissions_changed`` as they apply."""
    after = role_snapshot(user)
    if before is None:
        audit.record("user.created", by=by, obj=user, **{f: after[f] for f in after})
        return
    if changes := _changes(before, after, ROLE_FIELDS):
        audit.record("user.role_changed", by=by, obj=user, **changes)
    if changes := _changes(before, after, PERMISSION_FIELDS):
        audit.record("user.permissions_changed", by=by, obj=user, **changes)
