"""Who may use what: named permissions, the roles that hold them, and the view decorators.

Every view declares its rule with ``@requires(Perm.X)`` or ``@public``; a test walks all URL
patterns and fails on any view without a declaration. Colleges may change ``ROLE_PERMS``.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from luodi.accounts.models import Role


class Perm(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_CLASSES = "view_classes"
    VIEW_CADRES = "view_cadres"
    VIEW_OWN_ARCHIVE = "view_own_archive"
    VIEW_COURSES = "view_courses"
    VIEW_FACULTY = "view_faculty"
    VIEW_COMMUNITIES = "view_communities"
    USE_API = "use_api"
    PLAN_CLASSES = "plan_classes"  # plan classes, quotas, timetables; confirm enrolments
    RUN_CLASSES = "run_classes"  # attendance, leave, reflections (head teachers: own classes)
    NOMINATE = "nominate"  # nominate cadres into quotas (liaisons: own city)
    ISSUE_CERTIFICATES = "issue_certificates"
    TRAINEE_SELF = "trainee_self"  # the trainee's phone pages: check-in, leave, certificates
    MANAGE_RECORDS = "manage_records"
    MANAGE_USERS = "manage_users"


_READ_ALL = {
    Perm.VIEW_DASHBOARD,
    Perm.VIEW_CLASSES,
    Perm.VIEW_CADRES,
    Perm.VIEW_COURSES,
    Perm.VIEW_FACULTY,
    Perm.VIEW_COMMUNITIES,
    Perm.USE_API,
}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.STAFF: frozenset(
        _READ_ALL
        | {
            Perm.MANAGE_RECORDS,
            Perm.PLAN_CLASSES,
            Perm.RUN_CLASSES,
            Perm.NOMINATE,
            Perm.ISSUE_CERTIFICATES,
        }
    ),
    Role.HEAD_TEACHER: frozenset(_READ_ALL | {Perm.RUN_CLASSES}),
    Role.TEACHER: frozenset(
        {
            Perm.VIEW_DASHBOARD,
            Perm.VIEW_CLASSES,
            Perm.VIEW_COURSES,
            Perm.VIEW_FACULTY,
            Perm.VIEW_COMMUNITIES,
        }
    ),
    # A liaison's cadre lists and figures are narrowed to their own city by the views.
    Role.LIAISON: frozenset((_READ_ALL - {Perm.VIEW_FACULTY}) | {Perm.NOMINATE}),
    Role.TRAINEE: frozenset({Perm.VIEW_OWN_ARCHIVE, Perm.VIEW_COURSES, Perm.TRAINEE_SELF}),
    Role.SUPERVISOR: frozenset(_READ_ALL),
}


def has_perm(user, perm: Perm) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return perm in ROLE_PERMS.get(user.role, frozenset())


def may_run_class(user, training_class) -> bool:
    """Head teachers run their own classes only; staff and administrators run every class."""
    if not has_perm(user, Perm.RUN_CLASSES):
        return False
    if user.is_superuser or user.role in (Role.ADMIN, Role.STAFF):
        return True
    return bool(user.teacher_id) and training_class.head_teacher_id == user.teacher_id


def requires(perm: Perm) -> Callable:
    """Let a view run only for logged-in users whose role holds ``perm``; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.luodi_access = perm
        return wrapper

    return decorator


def login_only(view: Callable) -> Callable:
    """Let any logged-in user in; the view itself decides what to show them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.luodi_access = "login"
    return wrapper


def public(view: Callable) -> Callable:
    """Mark a view as open to anonymous users (login, health check, language switch)."""
    view.luodi_access = "public"
    return view
