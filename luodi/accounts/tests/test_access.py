"""Who may open which page: every URL declares a rule, and each role gets what its rule says."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from luodi.accounts.access import ROLE_PERMS, Perm
from luodi.accounts.models import Role

pytestmark = pytest.mark.django_db


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def test_it_declares_an_access_rule_for_every_view():
    """Admin views guard themselves (staff login + RecordAdmin roles) and the API router guards
    every endpoint with its auth; every other view must carry a @requires/@login_only/@public."""
    undeclared = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/v1/")):
            continue
        if not hasattr(pattern.callback, "luodi_access"):
            undeclared.append(route)
    assert undeclared == []


def test_it_requires_auth_on_every_api_endpoint(client, db):
    from luodi.api import api

    routes = {route: p.name for route, p in _walk(api.urls[0])}
    assert {"openapi.json", "stats/summary"} <= routes.keys()
    for route, name in routes.items():
        response = client.get("/api/v1/" + route)
        # ninja's root only links to the docs page, which is switched off: it answers 404.
        assert response.status_code == (404 if name == "api-root" else 401), route


PAGES = {
    "home": ("home", ()),
    "class-list": ("training:class-list", ()),
    "class-detail": ("training:class-detail", ("finished",)),
    "cadre-list": ("cadres:cadre-list", ()),
    "cadre-detail": ("cadres:cadre-detail", ("cadre_sy",)),
    "my-archive": ("cadres:my-archive", ()),
    "course-list": ("curriculum:course-list", ()),
    "course-detail": ("curriculum:course-detail", ("course",)),
    "teacher-list": ("faculty:teacher-list", ()),
    "teacher-detail": ("faculty:teacher-detail", ("teacher",)),
    "community-list": ("regions:community-list", ()),
    "community-detail": ("regions:community-detail", ("community",)),
    "admin": ("admin:index", ()),
    "admin-cadres": ("admin:cadres_cadre_changelist", ()),
    "admin-users": ("admin:accounts_user_changelist", ()),
}

A, S, H, T, L, R, V = (
    Role.ADMIN,
    Role.STAFF,
    Role.HEAD_TEACHER,
    Role.TEACHER,
    Role.LIAISON,
    Role.TRAINEE,
    Role.SUPERVISOR,
)
# Which roles get a 200; everyone else gets 403 (or 404 where the object is out of scope,
# or the admin's login redirect).
ALLOWED = {
    "home": {A, S, H, T, L, V},
    "class-list": {A, S, H, T, L, V},
    "class-detail": {A, S, H, T, L, V},
    "cadre-list": {A, S, H, L, V},
    "cadre-detail": {A, S, H, V},  # a Shenyang cadre: the Dalian liaison gets 404
    "my-archive": {R},  # the admin holds every permission but has no cadre: 404
    "course-list": {A, S, H, T, L, R, V},
    "course-detail": {A, S, H, T, L, R, V},
    "teacher-list": {A, S, H, T, V},
    "teacher-detail": {A, S, H, T, V},
    "community-list": {A, S, H, T, L, V},
    "community-detail": {A, S, H, T, L, V},
    "admin": {A, S},
    "admin-cadres": {A, S},
    "admin-users": {A},
}


def _url(college, name, args):
    objects = {
        "finished": college.finished.pk,
        "cadre_sy": college.cadres_shenyang[0].pk,
        "course": college.course.pk,
        "teacher": college.teacher.pk,
        "community": college.communities_dalian[0].pk,
    }
    return reverse(name, args=[objects[a] for a in args])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", list(PAGES))
def test_it_gives_each_role_exactly_its_pages(client, users, college, role, page):
    client.force_login(users[role])
    name, args = PAGES[page]
    response = client.get(_url(college, name, args))
    if role in ALLOWED[page]:
        assert response.status_code == 200, (role, page)
    elif page == "my-archive" and role == Role.ADMIN:
        assert response.status_code == 404
    elif page.startswith("admin"):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]
    elif page == "home" and role == Role.TRAINEE:
        assert response.status_code == 302
        assert response["Location"] == reverse("checkin:home")
    elif page == "cadre-detail" and role == Role.LIAISON:
        assert response.status_code == 404
    else:
        assert response.status_code == 403, (role, page, response.status_code)


@pytest.mark.parametrize("page", list(PAGES))
def test_it_sends_anonymous_users_to_login(client, college, page):
    name, args = PAGES[page]
    response = client.get(_url(college, name, args))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_leaves_login_and_healthz_open(client, db):
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_shows_a_liaison_only_their_own_citys_cadres(client_as, college):
    response = client_as(Role.LIAISON).get(reverse("cadres:cadre-list"))
    names = {c.name for c in response.context["page"]}
    assert names == {c.name for c in college.cadres_dalian}
    # asking for another city by parameter changes nothing
    response = client_as(Role.LIAISON).get(
        reverse("cadres:cadre-list"), {"city": college.shenyang.pk}
    )
    assert list(response.context["page"]) == []


def test_it_shows_a_trainee_their_own_archive(client_as, college):
    response = client_as(Role.TRAINEE).get(reverse("cadres:my-archive"))
    assert response.context["archive"].cadre == college.cadres_dalian[0]
    assert "2102**********" in response.content.decode()


def test_supervisor_can_change_nothing():
    assert Perm.MANAGE_RECORDS not in ROLE_PERMS[Role.SUPERVISOR]
    assert Perm.MANAGE_USERS not in ROLE_PERMS[Role.SUPERVISOR]


def test_supervisor_cannot_post_to_the_admin(client_as, college):
    response = client_as(Role.SUPERVISOR).post(
        reverse("admin:training_classtype_add"), {"name": "新类型", "default_days": 3}
    )
    assert response.status_code in (302, 403)
    from luodi.training.models import ClassType

    assert not ClassType.objects.filter(name="新类型").exists()
