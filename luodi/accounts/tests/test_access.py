"""Who may open which page: every URL declares a rule, and each role gets what its rule says."""

import pytest
from django.urls import reverse

from conftest import A, H, L, R, S, T, V
from luodi.accounts.access import ROLE_PERMS, AccessRule, Perm
from luodi.accounts.models import Role
from luodi.accounts.tests import routes

pytestmark = pytest.mark.django_db

# Views open to anonymous users.
PUBLIC = {
    "healthz": "load balancers' health check",
    "set_language": "the language switch on the login page",
    "accounts:login": "logging in",
    "first-login:request": "a trainee's first login: asks for a texted code, says nothing back",
    "first-login:verify": "a trainee's first login: the texted code and a new password",
    "verify:lookup": "checking a printed certificate; the holder's name is masked",
    "verify:certificate": "checking a printed certificate; the holder's name is masked",
    "surveys:code": "an open survey answered with a one-time code; shows only its questions",
    "college:logo": "the college's logo in every page's header, the login page's too",
}
# Views any logged-in user may open: they show no one's records.
LOGIN_ONLY = {
    "accounts:logout": "ends the session",
    "accounts:password-change": "changes one's own password",
    "accounts:password-change-done": "says the password was changed",
    "accounts:second-factor": "one's own second-factor code (administrators and staff; "
    "others get 403)",
    "accounts:second-factor-enrol": "enrols one's own authenticator app (administrators and "
    "staff; others get 403)",
    "home": "sends each role on to their own work page; shows nothing itself",
}
# Views behind a permission that show or change no person's records, so need no scope.
NO_RECORDS = {
    "training:class-list": "classes with their counts; every class is listed to VIEW_CLASSES",
    "training:class-plan": "a form for a new class",
    "timetabling:term": "the classes of a half-year to timetable together: titles and counts",
    "college:settings": "the college's own settings and rules (MANAGE_SETTINGS): no one's name",
    "surveys:new": "a form for a new survey",
    "exports:class-list-xlsx": "the class list: classes with their counts, as on the page",
    "dashboard": "figures only, a liaison's narrowed to their city (stats.figures_city)",
    "reports:work-todo": "the staff's to-do list: classes and counts, no one's name",
    "reports:work-sessions": "the sessions a teacher teaches: no one's name",
    "curriculum:course-list": "the course catalogue",
    "curriculum:course-list-xlsx": "the course catalogue, as on the page",
    "curriculum:course-pick": "course titles matching a form's picker search",
    "curriculum:case-pick": "case titles matching a session form's picker search",
    "training:class-pick": "class titles matching a form's picker search (as the class list)",
    "curriculum:site-pick": "field-site names matching a session form's picker search",
    "curriculum:course-detail": "a course and the classes it was taught in; its application "
    "stories narrowed in the view (ApplicationStory.objects.visible_to)",
    "faculty:teacher-create": "a form for a new teacher (MANAGE_RECORDS)",
    "faculty:teacher-edit": "a teacher's record as staff keep it (MANAGE_RECORDS)",
    "faculty:teacher-review-add": "recording a teacher's political review (MANAGE_RECORDS)",
    "faculty:teacher-unavailable": "marking a teacher's days unavailable (MANAGE_RECORDS)",
    "faculty:teacher-unavailable-remove": "taking back a teacher's days away (MANAGE_RECORDS)",
    "faculty:honoraria": "the month's honoraria: teachers, sessions, amounts (MANAGE_RECORDS)",
    "faculty:honoraria-xlsx": "the month's honoraria, as on the page (MANAGE_RECORDS)",
    "regions:community-list": "community profiles with their cadre counts",
    "regions:community-list-xlsx": "community profiles with their cadre counts, as on the page",
    "imports:template": "an empty import template: headers, an example row and notes",
    "needs:record-new": "a form for a new needs research record",
    "needs:analysis": "need topics ranked: figures, research findings and unsigned quotes",
    "surveys:evaluations": "evaluation scores per session, teacher and course: no trainee's "
    "name (evaluations are anonymous)",
    "curriculum:case-list": "the case library: teaching material, no one's records",
    "curriculum:case-detail": "a teaching case and the sessions that used it; the stories it "
    "was promoted from narrowed in the view (ApplicationStory.objects.visible_to)",
    "curriculum:case-new": "a form for a new teaching case",
    "curriculum:case-edit": "a teaching case's form",
    "research:index": "research output counted by year, level, funder and teacher",
    "research:project-list": "the faculty's research projects (VIEW_FACULTY)",
    "research:project-list-xlsx": "the research projects, as on the page (VIEW_FACULTY)",
    "research:project-detail": "a research project (VIEW_FACULTY)",
    "research:project-new": "a form for a new research project",
    "research:project-edit": "a research project's form",
    "research:publication-list": "the faculty's publications (VIEW_FACULTY)",
    "research:publication-list-xlsx": "the publications, as on the page (VIEW_FACULTY)",
    "research:publication-new": "a form for a new publication",
    "research:publication-edit": "a publication's form",
    "research:advisory-list": "the faculty's advisory work (VIEW_FACULTY)",
    "research:advisory-list-xlsx": "the advisory work, as on the page (VIEW_FACULTY)",
    "research:advisory-new": "a form for a new piece of advisory work",
    "research:advisory-edit": "a piece of advisory work's form",
}


def test_it_declares_an_access_rule_for_every_view():
    """Every view carries an AccessRule (``@requires``, ``@login_only`` or ``@public``); only
    the views listed above may be public, login-only or without a scope. The admin site guards
    itself (staff login and RecordAdmin's roles); API operations are checked below."""
    undeclared, public, login_only, unscoped = [], [], [], []
    for r in routes.views():
        rule = getattr(r.callback, "luodi_access", None)
        if not isinstance(rule, AccessRule):
            undeclared.append(r.name)
        elif rule.public:
            public.append(r.name)
        elif rule.login_only:
            login_only.append(r.name)
        elif not rule.scope:
            unscoped.append(r.name)
        else:
            assert all(callable(s) for s in rule.scope), r.name
    assert undeclared == []
    assert set(public) == set(PUBLIC)
    assert set(login_only) == set(LOGIN_ONLY)
    assert set(unscoped) == set(NO_RECORDS)


def test_it_declares_a_permission_for_every_api_operation():
    operations = routes.api_operations()
    assert operations
    for op in operations:
        rule = getattr(op.view_func, "luodi_access", None)
        assert isinstance(rule, AccessRule), op.key
        assert rule.perms, op.key


def test_it_requires_auth_on_every_api_endpoint(client, db):
    from luodi.api import api

    names = {r.route.removeprefix("api/v1/"): r.callback for r in routes.walk(api.urls[0])}
    assert {"openapi.json", "docs", "stats/summary", "cadres/<pk>"} <= names.keys()
    for route in names:
        url = "/api/v1/" + route.replace("<pk>", "1")
        response = client.get(url)
        # ninja's root only links to the docs page; answering it gives nothing away.
        if route == "":
            assert response.status_code in (302, 404), route
            continue
        assert response.status_code == (405 if route == "check-in" else 401), route
        if route != "check-in":
            assert client.post(url).status_code in (401, 405), route


PAGES = {
    "dashboard": ("dashboard", ()),
    "statistics": ("reports:statistics", ()),
    "class-list": ("training:class-list", ()),
    "class-detail": ("training:class-detail", ("finished",)),
    "cadre-list": ("cadres:cadre-list", ()),
    "cadre-detail": ("archive:cadre-detail", ("cadre_sy",)),
    "my-archive": ("archive:my-archive", ()),
    "course-list": ("curriculum:course-list", ()),
    "course-detail": ("curriculum:course-detail", ("course",)),
    "teacher-list": ("faculty:teacher-list", ()),
    "teacher-detail": ("faculty:teacher-detail", ("teacher",)),
    "community-list": ("regions:community-list", ()),
    "community-detail": ("reports:community-detail", ("community",)),
    "notifications": ("notifications:list", ()),
    "admin": ("admin:index", ()),
    "admin-cadres": ("admin:cadres_cadre_changelist", ()),
    "admin-users": ("admin:accounts_user_changelist", ()),
}

# Which roles get a 200; everyone else gets 403 (or 404 where the object is out of scope,
# or the admin's login redirect).
ALLOWED = {
    "dashboard": {A, S, H, T, L, V},
    "statistics": {A, S, H, T, L, V},
    "class-list": {A, S, H, T, L, V},
    "class-detail": {A, S, H, T, L, V},
    "cadre-list": {A, S, H, L, V},
    "cadre-detail": {A, S, H, V},  # a Shenyang cadre: the Dalian liaison gets 404
    "my-archive": {R},  # the admin holds every permission but has no cadre: 404
    "course-list": {A, S, H, T, L, R, V},
    "course-detail": {A, S, H, T, L, R, V},
    "teacher-list": {A, S, H, T, V},
    "teacher-detail": {A, S, H, V},  # not the teacher's own page: a teacher sees only theirs
    "community-list": {A, S, H, T, L, V},
    "community-detail": {A, S, H, T, L, V},
    "notifications": {A, S, H, T, L, R, V},  # each their own
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
    elif page == "cadre-detail" and role == Role.LIAISON:
        assert response.status_code == 404
    elif page == "teacher-detail" and role == Role.TEACHER:
        assert response.status_code == 404  # another teacher's page
    else:
        assert response.status_code == 403, (role, page, response.status_code)


@pytest.mark.parametrize("page", list(PAGES))
def test_it_sends_anonymous_users_to_login(client, college, page):
    name, args = PAGES[page]
    response = client.get(_url(college, name, args))
    assert response.status_code == 302
    assert "login" in response["Location"]


HOMES = {
    A: "reports:work-todo",
    S: "reports:work-todo",
    H: "reports:work-classes",
    T: "reports:work-sessions",
    L: "reports:work-city",
    R: "checkin:home",
    V: "dashboard",
}


@pytest.mark.parametrize("role", list(Role))
def test_the_home_page_sends_each_role_to_its_own_work(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(HOMES[role])
    assert client.get(response["Location"]).status_code == 200


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
    response = client_as(Role.TRAINEE).get(reverse("archive:my-archive"))
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


def test_it_shows_a_liaison_only_their_own_citys_trainees_on_a_class_page(client_as, college):
    response = client_as(Role.LIAISON).get(
        reverse("training:class-detail", args=[college.finished.pk])
    )
    assert {e.cadre for e in response.context["roster"]} == set(college.cadres_dalian)
    page = response.content.decode()
    assert all(c.name not in page for c in college.cadres_shenyang)


def test_it_counts_a_liaisons_trainees_by_the_city_at_nomination(client_as, college):
    """A Dalian cadre who moved to Shenyang after the class stays on Dalian's roster."""
    moved = college.cadres_dalian[1]
    moved.community = college.communities_shenyang[0]
    moved.save()
    response = client_as(Role.LIAISON).get(
        reverse("training:class-detail", args=[college.finished.pk])
    )
    assert moved in {e.cadre for e in response.context["roster"]}


def test_it_shows_a_teacher_the_timetable_but_no_roster(client_as, college, users, make):
    teacher = make.teacher(name="赵老师")
    college.finished.sessions.update(teacher=teacher)
    users[Role.TEACHER].teacher = teacher
    users[Role.TEACHER].save()
    url = reverse("training:class-detail", args=[college.finished.pk])
    response = client_as(Role.TEACHER).get(url)
    assert response.status_code == 200
    assert list(response.context["roster"]) == []
    page = response.content.decode()
    assert "赵老师" in page
    assert college.course.title in page
    assert "宋娟" not in page


def test_it_shows_a_head_teacher_no_roster_of_a_class_they_do_not_head(client_as, college, make):
    college.finished.head_teacher = make.teacher(name="王老师")
    college.finished.save()
    response = client_as(Role.HEAD_TEACHER).get(
        reverse("training:class-detail", args=[college.finished.pk])
    )
    assert list(response.context["roster"]) == []
    # nor the cadres of that class, unless they are also in a class this head teacher heads
    response = client_as(Role.HEAD_TEACHER).get(reverse("cadres:cadre-list"))
    assert {c.name for c in response.context["page"]} == {"宋娟"}  # in the running class
