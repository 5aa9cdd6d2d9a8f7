"""Who may use what: named permissions, the roles that hold them, how far each role reaches,
and the view decorators.

Every view declares its rule once, where it is defined: ``@requires(Perm.X, scope=...)``,
``@login_only`` or ``@public``. ``scope`` names the one definition that narrows what the view
shows or changes: a ``visible_to`` QuerySet method or an object rule in ``<app>/policies.py``.
The declaration is kept on the view (``view.luodi_access``); the access tests walk every URL
pattern and API operation, refuse a view without one, and check each role against it.
Colleges may change ``ROLE_PERMS`` and ``ROLE_REACH``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from luodi.accounts.models import ApiScope, Role


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
    # The check-in screen, roll call and courseware of the sessions one teaches (teachers: own).
    TEACH_SESSIONS = "teach_sessions"
    # Read a class's attendance, archive and certificates without changing them (supervisors).
    READ_CLASS_RECORDS = "read_class_records"
    NOMINATE = "nominate"  # nominate cadres into quotas (liaisons: own city)
    ISSUE_CERTIFICATES = "issue_certificates"
    TRAINEE_SELF = "trainee_self"  # the trainee's phone pages: check-in, leave, certificates
    MANAGE_RECORDS = "manage_records"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"  # the college's own settings (name, seal)
    # See a cadre's full ID and phone number (each time a logged action), export everything held
    # about one person, anonymise a person. Administrators and the college's academic staff only:
    # they register and correct cadres; liaisons, head teachers and supervisors work with masks.
    VIEW_FULL_ID = "view_full_id"
    VIEW_AUDIT = "view_audit"  # search and export the audit log (administrators only)
    # Set up assessment projects for government (units, experts, indicators), read results.
    MANAGE_ASSESSMENTS = "manage_assessments"
    # Score the units of the assessment projects one is assigned to as an expert. Held by the
    # roles the college draws experts from (its faculty, staff, supervisors); a liaison works
    # for a city whose districts and communities are assessed, so never scores them.
    SCORE_ASSESSMENTS = "score_assessments"


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
            Perm.VIEW_FULL_ID,
            Perm.MANAGE_ASSESSMENTS,
            Perm.SCORE_ASSESSMENTS,
        }
    ),
    Role.HEAD_TEACHER: frozenset(
        _READ_ALL | {Perm.RUN_CLASSES, Perm.TEACH_SESSIONS, Perm.SCORE_ASSESSMENTS}
    ),
    Role.TEACHER: frozenset(
        {
            Perm.TEACH_SESSIONS,
            Perm.VIEW_DASHBOARD,
            Perm.VIEW_CLASSES,
            Perm.VIEW_COURSES,
            Perm.VIEW_FACULTY,
            Perm.VIEW_COMMUNITIES,
            Perm.SCORE_ASSESSMENTS,
        }
    ),
    # A liaison reaches only their own city's records and figures (see ROLE_REACH).
    Role.LIAISON: frozenset((_READ_ALL - {Perm.VIEW_FACULTY}) | {Perm.NOMINATE}),
    Role.TRAINEE: frozenset({Perm.VIEW_OWN_ARCHIVE, Perm.VIEW_COURSES, Perm.TRAINEE_SELF}),
    Role.SUPERVISOR: frozenset(_READ_ALL | {Perm.READ_CLASS_RECORDS, Perm.SCORE_ASSESSMENTS}),
}


def has_perm(user, perm: Perm) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return perm in ROLE_PERMS.get(user.role, frozenset())


class Reach(StrEnum):
    """How far a role reaches among people's records (enrolments, cadres, attendance)."""

    ALL = "all"  # every record
    OWN_CLASSES = "own_classes"  # the classes whose head teacher the user is
    CITY = "city"  # records of the user's city (for enrolments: the city at nomination)
    SELF = "self"  # the user's own cadre record
    NONE = "none"


ROLE_REACH: dict[str, Reach] = {
    Role.ADMIN: Reach.ALL,
    Role.STAFF: Reach.ALL,
    Role.SUPERVISOR: Reach.ALL,
    Role.HEAD_TEACHER: Reach.OWN_CLASSES,
    # A teacher sees no roster, unless the college made them the head teacher of a class.
    Role.TEACHER: Reach.OWN_CLASSES,
    Role.LIAISON: Reach.CITY,
    Role.TRAINEE: Reach.SELF,
}


def reach(user) -> Reach:
    if not (user and user.is_authenticated and user.is_active):
        return Reach.NONE
    if user.is_superuser:
        return Reach.ALL
    return ROLE_REACH.get(user.role, Reach.NONE)


def narrow(queryset, user, *, city, own_classes, own):
    """``queryset`` narrowed to ``user``'s reach: all of it, or what ``city(city_id)``,
    ``own_classes(teacher_id)`` or ``own(user)`` keeps for a liaison, a head teacher or a
    trainee; nothing for anyone else (a teacher who heads no class, an inactive user)."""
    match reach(user):
        case Reach.ALL:
            return queryset
        case Reach.CITY:
            return city(user.city_id)
        case Reach.OWN_CLASSES if user.teacher_id:
            return own_classes(user.teacher_id)
        case Reach.SELF:
            return own(user)
    return queryset.none()


@dataclass(frozen=True)
class AccessRule:
    """What a view declares: who may call it, and what narrows the records it shows."""

    perms: tuple[Perm, ...] = ()  # any one of them lets the user in; () is any logged-in user
    scope: tuple[Callable, ...] = ()  # visible_to methods or object rules (user, obj) -> bool
    public: bool = False
    api_scope: str = ""  # the API token scope an API operation needs (``ApiScope``)

    @property
    def login_only(self) -> bool:
        return not self.public and not self.perms and not self.scope


def _scopes(scope) -> tuple[Callable, ...]:
    scopes = scope if isinstance(scope, tuple) else (scope,) if scope else ()
    if not all(callable(s) for s in scopes):
        raise TypeError(f"A scope is a visible_to method or an object rule, not {scopes!r}.")
    return scopes


def _rule(perms: tuple[Perm, ...], scope) -> AccessRule:
    if not perms:
        raise TypeError("Name the permission a view requires.")
    return AccessRule(perms=perms, scope=_scopes(scope))


def requires(*perms: Perm, scope: Callable | tuple[Callable, ...] | None = None) -> Callable:
    """Let a view run only for logged-in users whose role holds one of ``perms``; others get
    403, anonymous users the login page. ``scope`` names what narrows its records; the view
    applies it (404 or 403 for an object out of scope, an empty list for records)."""
    rule = _rule(perms, scope)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_perm(request.user, p) for p in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.luodi_access = rule
        return wrapper

    return decorator


def requires_api(
    *perms: Perm, scope: Callable | tuple[Callable, ...] | None = None, api_scope: str
) -> Callable:
    """``requires`` for an API operation: the API's auth has already found the user (or
    answered 401) and, for routes of ``accounts.api_auth.Router``, applied this rule before
    reading the input; a user without the permission gets a JSON 403. ``api_scope`` (an
    ``ApiScope``) is what a token must grant to use the operation, and a token's owner must
    also hold ``Perm.USE_API``; a request logged in by session is governed by the role's
    permissions alone."""
    from ninja.errors import HttpError

    if api_scope not in ApiScope.values:
        raise TypeError(f"Name an ApiScope for the operation, not {api_scope!r}.")
    api_scope = ApiScope(api_scope).value
    rule = AccessRule(perms=_rule(perms, scope).perms, scope=_scopes(scope), api_scope=api_scope)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (why := api_refusal(request, rule)) is not None:
                raise HttpError(403, why)
            return view(request, *args, **kwargs)

        wrapper.luodi_access = rule
        return wrapper

    return decorator


def api_refusal(request, rule: AccessRule) -> str | None:
    """Why an API request may not use the operation ``rule`` guards (None: it may). The API's
    authentication asks it before reading the request's input (``accounts.api_auth``), and
    the operation again when it runs."""
    if not any(has_perm(request.user, p) for p in rule.perms):
        return "Permission denied"
    token = getattr(request, "api_token", None)
    # A token works only while its owner's role may use the API, whatever else the role may
    # do by session (a trainee checks in by session, never by token).
    if token is not None and not has_perm(request.user, Perm.USE_API):
        return "Permission denied"
    if token is not None and not token.grants(rule.api_scope):
        return f"This API token lacks the scope {rule.api_scope!r}."
    return None


def login_only(view: Callable) -> Callable:
    """Let any logged-in user in. Only for views that show no one's records (logging out, the
    start page that sends each role on); the access test keeps a list of them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.luodi_access = AccessRule()
    return wrapper


def signed_in(*, scope: Callable | tuple[Callable, ...]) -> Callable:
    """Let any logged-in user in to records of their own, which ``scope`` names (e.g. the
    documents they asked for); what is not theirs answers 404."""
    rule = AccessRule(scope=_scopes(scope))
    if not rule.scope:
        raise TypeError("Name the scope of a signed-in user's own records.")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        wrapper.luodi_access = rule
        return wrapper

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view as open to anonymous users (login, health check, language switch)."""
    view.luodi_access = AccessRule(public=True)
    return view
