"""The access matrix: every URL pattern and API operation × every role and anonymous × an own
and an other object (see ``conftest.world``), each request's outcome checked against the table.

For each URL the table says which roles succeed on the own object and on the other one
(2xx, or a redirect that is not to the login page; for a POST, also a 400 that refuses the
empty form). Everyone else is refused: anonymous users are sent to the login page (the API
answers 401), logged-in ones get 403, 404 or 405. A POST with empty data to any URL a role may
not use never succeeds. No page, document list or JSON answer holds the name, ID number or
phone number of someone outside the user's reach (``conftest.IN_SCOPE``); PDF, xlsx and zip
answers are only checked for their status. The API rows are also asked with each role's token
(``test_it_gives_each_roles_token_exactly_its_api_operations``), beside the count below.

Size: 196 URL patterns (121 with an object, so asked for own and other, 75 without) and 22 API
operations (44 requests: 14 lists asked for all years and for one, 8 operations on an object or
writing with a well-formed body asked for own and other), × 8 (7 roles and anonymous):
(121 × 2 + 75 + 44) × 8 = 2888 requests, plus the empty
POSTs of the roles that are refused, plus the admin site (212 patterns, checked per model by
``test_it_keeps_the_admin_site_to_staff``). ``test_the_matrix_size`` recomputes the figure.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import A, H, L, R, S, T, V
from luodi.accounts.access import AccessRule
from luodi.accounts.models import ApiScope, ApiToken, Role
from luodi.accounts.tests import routes
from luodi.accounts.tests.conftest import ANONYMOUS, EVERYONE, IN_SCOPE

pytestmark = pytest.mark.django_db

ALL_ROLES = frozenset(Role)
EVERYBODY = ALL_ROLES | {ANONYMOUS}
READERS = frozenset({A, S, H, T, L, V})  # VIEW_CLASSES, VIEW_DASHBOARD, VIEW_COMMUNITIES
PLANNERS = frozenset({A, S})
API_USERS = READERS - {T}  # USE_API
BINARY = ("application/pdf", "application/zip", "application/vnd.openxmlformats")


@dataclass(frozen=True)
class Row:
    own: frozenset  # who succeeds on the own object (or on the page, if it has no object)
    other: frozenset | None = None  # on the other object; None: the same as ``own``
    obj: str | None = None  # the key of ``world.own`` / ``world.other`` giving the URL's args
    method: str = "get"
    ends_at_login: bool = False  # logging out sends everyone to the login page

    def allowed(self, side: str) -> frozenset:
        return self.own if side == "own" or self.other is None else self.other


MATRIX: dict[str, Row] = {
    "home": Row(ALL_ROLES),  # each role is sent on to their own work
    "dashboard": Row(READERS),
    # Each role's "my work" page (the home page sends each user to theirs).
    "reports:work-todo": Row(PLANNERS),
    "reports:work-classes": Row(PLANNERS | {H}),
    "reports:work-sessions": Row(frozenset({A, H, T})),
    "reports:work-city": Row(PLANNERS | {L}),
    "healthz": Row(EVERYBODY),
    "set_language": Row(EVERYBODY, method="post"),
    "accounts:login": Row(EVERYBODY),
    "first-login:request": Row(EVERYBODY),
    "first-login:verify": Row(EVERYBODY),  # without a request first, back to the first page
    "accounts:logout": Row(ALL_ROLES, method="post", ends_at_login=True),
    "accounts:password-change": Row(ALL_ROLES),  # one's own password only
    "accounts:password-change-done": Row(ALL_ROLES),
    # The second factor (TOTP) is for administrators and staff; others get 403.
    "accounts:second-factor": Row(PLANNERS),
    "accounts:second-factor-enrol": Row(PLANNERS),
    "accounts:api-tokens": Row(API_USERS),  # each user's own tokens only
    # Only a token's owner revokes it on this page (administrators also in the admin): the
    # staff member's token is the own side, the liaison's the other.
    "accounts:api-token-revoke": Row(
        frozenset({S}), frozenset({L}), obj="api-token", method="post"
    ),
    "training:class-list": Row(READERS),
    "training:class-pick": Row(READERS),  # a form's class picker (titles, as the list)
    "training:class-plan": Row(PLANNERS),
    "training:class-detail": Row(READERS, obj="class"),  # rosters narrowed: see body checks
    # A session's courseware: its teacher (T teaches the A sessions), whoever runs its class.
    "training:session-courseware": Row(PLANNERS | {H, T}, PLANNERS, obj="finished-session"),
    "training:class-manage": Row(PLANNERS, obj="class"),
    "training:class-status": Row(PLANNERS, obj="class", method="post"),
    "training:enrolment-action": Row(PLANNERS, obj="class+enrolment", method="post"),
    "training:enrolment-bulk": Row(PLANNERS, obj="class"),
    "training:nominations-confirm": Row(PLANNERS, obj="class", method="post"),
    "training:nominate": Row(PLANNERS | {L}, obj="class"),
    "training:timetable-edit": Row(PLANNERS, obj="class"),
    "training:session-edit": Row(PLANNERS, obj="session"),
    # The session has attendance on record: removing it is refused with a message (302).
    "training:session-delete": Row(PLANNERS, obj="session", method="post"),
    "training:class-completion": Row(PLANNERS, obj="class"),
    "training:result-override": Row(PLANNERS, obj="class+enrolment", method="post"),
    "training:attendance-correction": Row(PLANNERS, obj="class", method="post"),
    # A class's reflections: as its attendance page; marking them is for whoever runs it.
    "training:class-reflections": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "training:reflections-booklet": Row(
        PLANNERS | {H, V}, PLANNERS | {V}, obj="class", method="post"
    ),
    "training:reflection-mark": Row(PLANNERS | {H}, PLANNERS, obj="reflection", method="post"),
    # Its attachment: whoever reads the class's records, and the trainee who wrote it.
    "training:reflection-attachment": Row(PLANNERS | {H, V, R}, PLANNERS | {V}, obj="reflection"),
    # Application stories, as the cadres they tell of: the own story is the trainee's (Dalian,
    # class A), the other one the Shenyang cadre's of class B. Staff enter and promote them.
    "training:story-list": Row(READERS - {T}),
    "training:story-list-xlsx": Row(READERS - {T}),
    "training:story-detail": Row(READERS - {T}, frozenset({A, S, V}), obj="story"),
    "training:story-new": Row(PLANNERS, obj="cadre"),
    "training:story-edit": Row(PLANNERS, obj="story"),
    "training:story-promote": Row(PLANNERS, obj="story"),
    # Training outside the college, as the cadres it belongs to (the own record is the
    # trainee's, of Dalian; the other the Shenyang cadre's). Cadres declare their own; staff
    # and the city's liaison declare for a cadre of theirs; staff decide.
    "training:external-list": Row(READERS - {T} | {R}),
    "training:external-detail": Row(READERS - {T} | {R}, frozenset({A, S, V}), obj="external"),
    "training:external-proof": Row(READERS - {T} | {R}, frozenset({A, S, V}), obj="external"),
    "training:my-external-new": Row(frozenset({R})),
    "training:external-new": Row(PLANNERS | {L}, PLANNERS, obj="cadre"),
    "training:external-decide": Row(PLANNERS, obj="external", method="post"),
    "exports:timetable-pdf": Row(READERS | {R}, READERS, obj="class"),
    "exports:timetable-xlsx": Row(READERS | {R}, READERS, obj="class"),
    "exports:class-list-xlsx": Row(READERS),  # no roster, only classes and counts
    "exports:roster-xlsx": Row(READERS, obj="class"),  # rows narrowed like the class page's
    # Supervisors read every class's records (attendance, archive, certificates), never write.
    "reports:class-archive-pdf": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "reports:class-archive-xlsx": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    # A class's needs loop: read like its archive (stories narrowed to the reader's reach).
    "needs:class-loop": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "checkin:home": Row(frozenset({R})),  # the administrator has no cadre record: 404
    "checkin:my-session": Row(frozenset({R}), frozenset(), obj="session"),
    "checkin:check-in": Row(frozenset({R}), frozenset(), obj="check-in"),
    # Without a scan kept in the session it sends the trainee to their page: never a check-in.
    "checkin:scanned": Row(frozenset({R}), obj="session"),
    "checkin:leave-new": Row(frozenset({R}), frozenset(), obj="enrolment"),
    "checkin:reflection": Row(frozenset({R}), frozenset(), obj="enrolment"),
    "checkin:timetable": Row(frozenset({R}), frozenset(), obj="enrolment"),
    "checkin:courseware": Row(frozenset({R}), frozenset(), obj="courseware"),
    "checkin:class-attendance": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "checkin:class-leave": Row(PLANNERS | {H}, PLANNERS, obj="class"),
    # A list's xlsx goes to whoever may read the list's page (jobs.exports).
    "checkin:class-attendance-xlsx": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "checkin:class-leave-xlsx": Row(PLANNERS | {H}, PLANNERS, obj="class"),
    "checkin:class-accounts": Row(PLANNERS | {H}, PLANNERS, obj="class"),
    "checkin:class-accounts-action": Row(PLANNERS | {H}, PLANNERS, obj="class", method="post"),
    "checkin:leave-decide": Row(PLANNERS | {H}, PLANNERS, obj="leave", method="post"),
    # The teacher of a session runs its screen and roll call too (T teaches the A sessions).
    "checkin:screen": Row(PLANNERS | {H, T}, PLANNERS, obj="running-session"),
    "checkin:roll-call": Row(PLANNERS | {H, T}, PLANNERS, obj="running-session"),
    "checkin:roll-call-mark": Row(
        PLANNERS | {H, T}, PLANNERS, obj="running-session", method="post"
    ),
    "checkin:roll-call-mark-absent": Row(
        PLANNERS | {H, T}, PLANNERS, obj="running-session", method="post"
    ),
    "certificates:class": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "certificates:class-issue": Row(PLANNERS, obj="class", method="post"),
    "certificates:class-xlsx": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "certificates:class-pdf": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "certificates:class-zip": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="class"),
    "certificates:download": Row(PLANNERS | {H, V}, PLANNERS | {V}, obj="certificate"),
    "certificates:revoke": Row(PLANNERS, obj="certificate", method="post"),
    "certificates:mine": Row(frozenset({R}), frozenset(), obj="finished-enrolment"),
    # A document job: the head teacher's own (class A), the staff member's (class B); an
    # administrator reaches every job.
    "jobs:status": Row(frozenset({H, A}), frozenset({S, A}), obj="job"),
    "jobs:download": Row(frozenset({H, A}), frozenset({S, A}), obj="job"),
    "verify:lookup": Row(EVERYBODY),
    "verify:certificate": Row(EVERYBODY, obj="serial"),  # the holder's name masked
    "cadres:cadre-list": Row(READERS - {T}),
    "cadres:cadre-list-export": Row(READERS - {T}, method="post"),  # a job of the list's rows
    "archive:my-archive": Row(frozenset({R})),
    "archive:cadre-detail": Row(READERS - {T}, frozenset({A, S, V}), obj="cadre"),
    "archive:cadre-archive-pdf": Row(READERS - {T}, frozenset({A, S, V}), obj="cadre"),
    "archive:my-archive-pdf": Row(frozenset({R})),
    # Full numbers, a person's data export and anonymisation: VIEW_FULL_ID (admin and staff).
    "archive:cadre-reveal": Row(PLANNERS, obj="cadre", method="post"),
    # From trainee to teacher: the candidates, and promoting one (MANAGE_RECORDS).
    "archive:teacher-candidates": Row(PLANNERS),
    "archive:cadre-promote": Row(PLANNERS, obj="cadre", method="post"),
    "reports:cadre-data-export": Row(PLANNERS, obj="cadre"),
    "reports:cadre-anonymise": Row(PLANNERS, obj="cadre"),
    "curriculum:course-list": Row(ALL_ROLES),
    "curriculum:course-list-xlsx": Row(ALL_ROLES),
    "curriculum:course-pick": Row(ALL_ROLES),  # a form's course picker (titles only)
    "curriculum:case-pick": Row(ALL_ROLES),  # a session form's case picker (titles only)
    "curriculum:site-pick": Row(ALL_ROLES),  # a session form's field-site picker (names)
    "curriculum:course-detail": Row(ALL_ROLES, obj="course"),
    "faculty:teacher-list": Row(READERS - {L}),
    "faculty:teacher-list-xlsx": Row(READERS - {L}),
    "faculty:teacher-pick": Row(READERS - {L}),  # a teacher: only themself
    # A teacher opens only their own page (the own side is theirs); readers of the pool all.
    "faculty:teacher-detail": Row(READERS - {L}, READERS - {L, T}, obj="teacher"),
    # Staff keep the pool: records, reviews, unavailable days, the honoraria by month.
    "faculty:teacher-create": Row(PLANNERS),
    "faculty:teacher-edit": Row(PLANNERS, obj="teacher"),
    "faculty:teacher-review-add": Row(PLANNERS, obj="teacher", method="post"),
    "faculty:teacher-unavailable": Row(PLANNERS, obj="teacher", method="post"),
    "faculty:teacher-unavailable-remove": Row(PLANNERS, obj="teacher", method="post"),
    # The full bank account, on record (VIEW_FULL_ID).
    "faculty:teacher-reveal": Row(PLANNERS, obj="teacher", method="post"),
    "faculty:honoraria": Row(PLANNERS),
    "faculty:honoraria-xlsx": Row(PLANNERS),
    "regions:community-list": Row(READERS),
    "regions:community-list-xlsx": Row(READERS),
    # Everyone's own notifications; opening one is for its own user only (the trainee's is
    # the own side, another trainee's the other; an administrator gets 404 on both).
    "notifications:list": Row(ALL_ROLES),
    "notifications:read-all": Row(ALL_ROLES, method="post"),
    "notifications:open": Row(frozenset({R}), frozenset(), obj="notification", method="post"),
    "reports:community-detail": Row(READERS, obj="community"),  # its cadres narrowed
    # Imports: staff who manage records; each their own import (the staff member's is the own
    # side, the administrator's the other), an administrator every one.
    "imports:index": Row(PLANNERS),
    "imports:template": Row(PLANNERS, obj="import-kind"),
    "imports:run": Row(PLANNERS, frozenset({A}), obj="import-run"),
    "imports:remap": Row(PLANNERS, frozenset({A}), obj="import-run", method="post"),
    "imports:commit": Row(PLANNERS, frozenset({A}), obj="import-run", method="post"),
    # Surveys: staff build and open them; a head teacher reads their own classes' surveys.
    "surveys:index": Row(PLANNERS | {H}),
    "surveys:new": Row(PLANNERS),
    "surveys:detail": Row(PLANNERS | {H}, PLANNERS, obj="survey"),
    "surveys:question-add": Row(PLANNERS, obj="survey", method="post"),
    "surveys:question-delete": Row(PLANNERS, obj="survey+question", method="post"),
    "surveys:publish": Row(PLANNERS, obj="survey", method="post"),
    "surveys:close": Row(PLANNERS, obj="survey", method="post"),
    "surveys:codes": Row(PLANNERS, obj="survey", method="post"),
    # A trainee answers their own class's survey; an open survey is answered with a code.
    "surveys:answer": Row(frozenset({R}), frozenset(), obj="survey"),
    "surveys:code": Row(EVERYBODY, obj="open-survey"),
    # The classroom screen's evaluation QR code: like the check-in screen.
    "surveys:session-evaluation": Row(
        PLANNERS | {H, T}, PLANNERS, obj="running-session", method="post"
    ),
    "surveys:screen": Row(PLANNERS | {H, T}, PLANNERS, obj="running-session"),
    # Figures only; a liaison's are their city's. A report is a job of the user's own.
    "reports:statistics": Row(READERS),
    "reports:statistics-document": Row(READERS, method="post"),
    # Needs research: records narrowed to a liaison's city (none for teachers); the analysis
    # and the course plan are the planners'.
    "needs:record-list": Row(READERS),
    "needs:record-new": Row(PLANNERS),
    "needs:record-detail": Row(PLANNERS | {L, V}, PLANNERS | {V}, obj="research-record"),
    "needs:record-edit": Row(PLANNERS, obj="research-record"),
    "needs:analysis": Row(PLANNERS),
    "needs:plan": Row(PLANNERS),  # without a class: the page to choose one
    "timetabling:term": Row(PLANNERS),
    "college:settings": Row(frozenset({A})),
    "college:logo": Row(EVERYBODY),  # the page header's logo, on the login page too
    "timetabling:class-draft": Row(PLANNERS, obj="class", method="post"),
    "timetabling:draft": Row(PLANNERS, obj="draft"),
    "timetabling:draft-resolve": Row(PLANNERS, obj="draft", method="post"),
    "timetabling:draft-accept": Row(PLANNERS, obj="draft", method="post"),
    # Survey results: staff every survey, a head teacher their classes' (the own side is the
    # evaluation of a class A session), a liaison a needs survey's for their city only.
    "surveys:results": Row(PLANNERS | {H}, PLANNERS, obj="evaluation"),
    "surveys:results-export": Row(PLANNERS | {H}, PLANNERS, obj="evaluation"),
    "surveys:answer-review": Row(PLANNERS, obj="survey-answer", method="post"),
    # A teacher's own ratings; one session's: the teacher who taught it only.
    "surveys:my-ratings": Row(frozenset({A, H, T})),
    "surveys:my-rating": Row(frozenset({T}), frozenset(), obj="session"),
    "surveys:evaluations": Row(PLANNERS),
    # Assessment projects: staff set them up and read results; an expert (teacher and
    # supervisor in the own project, no stock user in the other) sees and scores only
    # the projects they are assigned to. Removing a scored unit or an expert who submitted,
    # and reopening without a reason, are refused with a message (302).
    "assessments:project-list": Row(PLANNERS | {H, T, V}),  # an expert: their projects only
    "assessments:project-new": Row(PLANNERS),
    "assessments:project-detail": Row(PLANNERS | {T, V}, PLANNERS, obj="assessment"),
    "assessments:project-edit": Row(PLANNERS, obj="assessment"),
    "assessments:stage-edit": Row(PLANNERS, obj="assessment+stage", method="post"),
    "assessments:unit-add": Row(PLANNERS, obj="assessment", method="post"),
    "assessments:unit-remove": Row(PLANNERS, obj="assessment+unit", method="post"),
    "assessments:score": Row(frozenset({T, V}), frozenset(), obj="assessment+unit"),
    "assessments:expert-add": Row(PLANNERS, obj="assessment", method="post"),
    "assessments:expert-remove": Row(PLANNERS, obj="assessment+expert", method="post"),
    "assessments:indicators": Row(PLANNERS, obj="assessment"),
    "assessments:indicators-copy": Row(PLANNERS, obj="assessment", method="post"),
    "assessments:results": Row(PLANNERS, obj="assessment"),
    "assessments:results-document": Row(PLANNERS, obj="assessment", method="post"),
    "assessments:sheet-reopen": Row(PLANNERS, obj="sheet", method="post"),
    # Evidence: staff, the expert who filed it, another expert of the project once their own
    # scores of the unit are in (the supervisor has not submitted: 404).
    "assessments:evidence": Row(PLANNERS | {T}, PLANNERS, obj="evidence"),
    # The case library: teaching material, read like the course catalogue; staff write it.
    "curriculum:case-list": Row(ALL_ROLES),
    "curriculum:case-detail": Row(ALL_ROLES, obj="case"),  # sessions only with VIEW_CLASSES
    "curriculum:case-new": Row(PLANNERS),
    "curriculum:case-edit": Row(PLANNERS, obj="case"),
    # Research output: read with the faculty pool (VIEW_FACULTY), entered by staff.
    "research:index": Row(READERS - {L}),
    "research:project-list": Row(READERS - {L}),
    "research:project-list-xlsx": Row(READERS - {L}),
    "research:project-detail": Row(READERS - {L}, obj="project"),
    "research:project-new": Row(PLANNERS),
    "research:project-edit": Row(PLANNERS, obj="project"),
    "research:publication-list": Row(READERS - {L}),
    "research:publication-list-xlsx": Row(READERS - {L}),
    "research:publication-new": Row(PLANNERS),
    "research:publication-edit": Row(PLANNERS, obj="publication"),
    "research:advisory-list": Row(READERS - {L}),
    "research:advisory-list-xlsx": Row(READERS - {L}),
    "research:advisory-new": Row(PLANNERS),
    "research:advisory-edit": Row(PLANNERS, obj="advisory"),
}

TRAINEE_READERS = READERS | {R}  # VIEW_CLASSES or TRAINEE_SELF (a trainee: their own)
RECORD_READERS = PLANNERS | {H, V}  # a class's records (certificates): staff, head, supervisor

API_MATRIX: dict[str, Row] = {
    "GET stats/summary": Row(API_USERS),  # a liaison's figures are their city's
    "GET stats/by-year": Row(API_USERS),
    "GET stats/by-city": Row(API_USERS),
    "GET stats/by-class-type": Row(API_USERS),
    "GET stats/report": Row(API_USERS),  # the annual report's figures
    "GET communities": Row(READERS),
    "GET communities/{pk}": Row(READERS, obj="community"),
    "GET cadres": Row(READERS - {T}),  # narrowed: see body checks
    "GET cadres/{pk}": Row(READERS - {T}, frozenset({A, S, V}), obj="cadre"),
    "GET teachers": Row(READERS - {L}),
    "GET teachers/{pk}": Row(READERS - {L}, READERS - {L, T}, obj="teacher"),  # as the page
    "GET courses": Row(ALL_ROLES),
    "GET courses/{pk}": Row(ALL_ROLES, obj="course"),
    "GET classes": Row(TRAINEE_READERS),  # a trainee's own classes only
    "GET classes/{pk}": Row(TRAINEE_READERS, READERS, obj="class"),
    "GET sessions": Row(TRAINEE_READERS),
    "GET enrolments": Row(TRAINEE_READERS),  # narrowed like rosters: see body checks
    "GET attendance": Row(PLANNERS | {H, T, V, R}),  # narrowed: see body checks
    "GET certificates": Row(RECORD_READERS | {R}),
    # Writes, asked with a well-formed body: the own side nominates the trainee into the
    # running class A (already listed: a 422 with the reason once access is granted), the
    # other side the Shenyang cadre of class B (out of the liaison's reach: 404).
    "POST enrolments": Row(PLANNERS | {L}, PLANNERS, obj="nominate", method="post"),
    "POST attendance": Row(PLANNERS | {H, T}, PLANNERS, obj="mark", method="post"),
    "POST check-in": Row(frozenset({R}), frozenset(), obj="check-in-body", method="post"),
}

# The JSON body of each write, from the world's own or other side.
API_BODIES = {
    "nominate": lambda side: {"class_id": side["running-class"][0], "cadre_id": side["cadre"][0]},
    "mark": lambda side: {
        "session_id": side["running-session"][0],
        "enrolment_id": side["enrolment"][0],
        "status": "present",
    },
    "check-in-body": lambda side: {
        "session_id": side["check-in"][0],
        "code": side["check-in"][1],
    },
}


def _api_request(client, world, key: str, row: Row, side: str, query: str = ""):
    method, path = key.split(" ", 1)
    if row.obj and row.obj not in API_BODIES:
        path = path.replace("{pk}", str(getattr(world, side)[row.obj][0]))
    url = f"/api/v1/{path}"
    if method == "POST":
        body = API_BODIES[row.obj](getattr(world, side))
        return url, client.post(url, body, content_type="application/json")
    return url + query, client.get(url + query)


def _client(world, who) -> Client:
    client = Client(raise_request_exception=False)
    if who != ANONYMOUS:
        client.force_login(world.users[who])
    return client


def _leaks(response, who) -> list[str]:
    """The people out of ``who``'s reach whose name or full ID/phone number the answer holds."""
    kind = response.get("Content-Type", "")
    if kind.startswith(BINARY) or not hasattr(response, "content"):
        return []
    body = response.content.decode()
    cadres = __import__("luodi.cadres.models", fromlist=["Cadre"]).Cadre.objects
    leaks = []
    for cadre in cadres.filter(name__in=EVERYONE - IN_SCOPE[who]):
        leaks += [v for v in (cadre.name, cadre.id_number, cadre.phone) if v and v in body]
    return leaks


def _succeeded(response, row: Row) -> bool:
    code = response.status_code
    if 300 <= code < 400:
        return row.ends_at_login or not response["Location"].startswith(reverse("accounts:login"))
    # An empty form a role may use is refused as such (one it may not use is never read).
    return 200 <= code < 300 or (row.method == "post" and code == 400)


def _refused_properly(response, who, *, api: bool = False) -> bool:
    code = response.status_code
    if who == ANONYMOUS:
        if api:
            return code == 401
        return code == 302 and response["Location"].startswith(reverse("accounts:login"))
    return code in (403, 404, 405)


def _check(world, url, row, side, who, problems, *, api=False):
    client = _client(world, who)
    allowed = who in row.allowed(side)
    response = getattr(client, row.method)(url)
    if response.status_code >= 500:
        problems.append((who, side, url, response.status_code, "server error"))
    elif allowed and not _succeeded(response, row):
        problems.append((who, side, url, response.status_code, "refused"))
    elif not allowed and not _refused_properly(response, who, api=api):
        problems.append((who, side, url, response.status_code, "not refused"))
    if leaks := _leaks(response, who):
        problems.append((who, side, url, response.status_code, f"shows {leaks}"))
    if not allowed and row.method == "get" and who != ANONYMOUS:
        # Nor may the role change anything by posting to it.
        response = _client(world, who).post(url, {})
        if response.status_code not in (403, 404, 405):
            problems.append((who, side, url, response.status_code, "POST not refused"))


def _url(name: str, row: Row, world, side: str) -> str:
    args = getattr(world, side)[row.obj] if row.obj else []
    return reverse(name, args=args)


@pytest.mark.parametrize("name", list(MATRIX))
def test_it_gives_each_role_exactly_its_row_of_the_matrix(world, name):
    row = MATRIX[name]
    problems = []
    for side in ("own", "other") if row.obj else ("own",):
        url = _url(name, row, world, side)
        for who in EVERYBODY:
            _check(world, url, row, side, who, problems)
    assert problems == []


def _api_succeeded(response, row: Row) -> bool:
    # A write the user may make can still be refused by its service, with the reason (422).
    code = response.status_code
    return 200 <= code < 300 or (row.method == "post" and code == 422)


def _api_sides(row: Row) -> tuple[str, ...]:
    return ("own", "other") if row.obj else ("own",)


def _api_queries(key: str, row: Row) -> tuple[str, ...]:
    return ("", "?year=2024") if key.startswith("GET") and not row.obj else ("",)


@pytest.mark.parametrize("key", list(API_MATRIX))
def test_it_gives_each_role_exactly_its_api_operations(world, key):
    row = API_MATRIX[key]
    problems = []
    for side in _api_sides(row):
        for query in _api_queries(key, row):
            for who in EVERYBODY:
                url, response = _api_request(_client(world, who), world, key, row, side, query)
                allowed = who in row.allowed(side)
                code = response.status_code
                if code >= 500:
                    problems.append((who, side, url, code, "server error"))
                elif allowed and not _api_succeeded(response, row):
                    problems.append((who, side, url, code, "refused"))
                elif not allowed and not _refused_properly(response, who, api=True):
                    problems.append((who, side, url, code, "not refused"))
                if leaks := _leaks(response, who):
                    problems.append((who, side, url, code, f"shows {leaks}"))
    assert problems == []


@pytest.mark.parametrize("key", list(API_MATRIX))
def test_it_gives_each_roles_token_exactly_its_api_operations(world, key):
    """The API rows hold for tokens as for sessions: each role's token (a teacher's or a
    trainee's one stands for a token kept after the role lost the API) succeeds where the row
    says, else 403; a forged token gets 401. Tokens carry every scope and may write."""
    row = API_MATRIX[key]
    problems = []
    for who in EVERYBODY:
        if who == ANONYMOUS:
            raw = "luodi_forged"
        else:
            raw = ApiToken.new_key()
            ApiToken.objects.create(
                user=world.users[who],
                name="matrix",
                digest=ApiToken.digest_of(raw),
                scopes=[ApiScope.READ, *ApiScope.writing()],
                read_only=False,
                city=world.users[who].city,
                expires_at=timezone.now() + dt.timedelta(days=1),
            )
        client = Client(headers={"Authorization": f"Bearer {raw}"})
        for side in _api_sides(row):
            for query in _api_queries(key, row):
                url, response = _api_request(client, world, key, row, side, query)
                allowed = who in row.allowed(side) and who in API_USERS
                code = response.status_code
                if code >= 500:
                    problems.append((who, url, code, "server error"))
                elif allowed and not _api_succeeded(response, row):
                    problems.append((who, url, code, "refused"))
                elif not allowed and code not in ((401,) if who == ANONYMOUS else (403, 404)):
                    problems.append((who, url, code, "not refused"))
                if leaks := _leaks(response, who):
                    problems.append((who, url, code, f"shows {leaks}"))
    assert problems == []


def test_it_gives_a_liaison_the_figures_of_their_own_city_only(world):
    everyone = _client(world, A).get("/api/v1/stats/summary").json()
    dalian = _client(world, L).get("/api/v1/stats/summary").json()
    assert everyone["person_times"] == 4
    assert dalian["person_times"] == 2  # 本人甲甲 in class A, 越界丙丙 in class B
    assert dalian["classes_held"] == 2


def test_the_matrix_has_a_row_for_every_url_and_api_operation():
    """A new URL or API operation needs a row; a removed one loses its row."""
    assert {r.name for r in routes.views()} == set(MATRIX)
    assert {op.key for op in routes.api_operations()} == set(API_MATRIX)


def test_the_matrix_size():
    """The number of requests the matrix makes, beside the refused roles' empty POSTs."""
    with_object = sum(1 for row in MATRIX.values() if row.obj)
    without = len(MATRIX) - with_object
    api = sum(len(_api_sides(row)) * len(_api_queries(k, row)) for k, row in API_MATRIX.items())
    size = (2 * with_object + without + api) * len(EVERYBODY)
    assert (with_object, without, len(API_MATRIX), api, size) == (121, 75, 22, 44, 2888)


def test_every_row_agrees_with_the_declared_rule():
    """The table and the views' declarations tell the same story: a row that lets a role in
    belongs to a view whose permission that role holds (or a public or login-only view)."""
    from luodi.accounts.access import has_perm

    by_name = {r.name: r.callback.luodi_access for r in routes.views()}
    for name, row in MATRIX.items():
        rule: AccessRule = by_name[name]
        for role in row.own | (row.other or frozenset()):
            if role == ANONYMOUS:
                assert rule.public, name
            elif rule.perms:
                user = type("U", (), {"is_authenticated": True, "is_active": True})()
                user.is_superuser, user.role = role == A, role
                assert any(has_perm(user, p) for p in rule.perms), (name, role)


def _admin_models() -> dict[str, type]:
    from django.contrib import admin

    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


# The admin site's own pages, beside those of each registered model; unnamed patterns ("")
# only redirect to a named one.
ADMIN_SITE = {"index", "login", "logout", "password_change", "password_change_done"}
ADMIN_SITE |= {"autocomplete", "jsi18n", "view_on_site", "app_list", ""}
ADMIN_SITE |= {"auth_user_password_change"}  # UserAdmin's password page keeps auth's name
# MANAGE_USERS and MANAGE_SETTINGS: administrators only; so is the task queue's own admin
# (django-tasks-db's, which only superusers pass).
ADMIN_USERS_ONLY = {"accounts_user", "accounts_apitoken", "auth_group", "college_collegesettings"}
ADMIN_USERS_ONLY |= {"django_tasks_database_dbtaskresult", "jobs_job"}
# Login security: django-axes's failure counters (unlocking) and django-otp's TOTP devices.
ADMIN_USERS_ONLY |= {"axes_accessattempt", "otp_totp_totpdevice"}
# VIEW_AUDIT: the audit log and the model-change history, administrators only.
ADMIN_USERS_ONLY |= {"audit_auditevent", "auditlog_logentry"}


def test_every_admin_pattern_belongs_to_the_site_or_a_registered_model():
    models = _admin_models()
    strays = [
        r.route
        for r in routes.admin_routes()
        if r.name.removeprefix("admin:") not in ADMIN_SITE
        and not any(r.name.startswith(f"admin:{label}_") for label in models)
    ]
    assert strays == []


@pytest.mark.parametrize("label", ["index", *sorted(_admin_models())])
def test_it_keeps_the_admin_site_to_staff(world, label):
    """The admin site guards itself (staff login, then RecordAdmin's roles): a model's list,
    add and change pages open to administrators, and to staff except for users and tokens;
    other roles are sent to the admin's login page, as are anonymous users."""
    if label == "index":
        urls, staff = [reverse("admin:index")], PLANNERS
    else:
        model = _admin_models()[label]
        urls = [reverse(f"admin:{label}_changelist")]
        if (first := model._default_manager.order_by("pk").first()) is not None:
            urls.append(reverse(f"admin:{label}_change", args=[first.pk]))
        staff = {A} if label in ADMIN_USERS_ONLY else PLANNERS
    problems = []
    for url in urls:
        for who in EVERYBODY:
            response = _client(world, who).get(url)
            code = response.status_code
            if who in staff:
                ok = code == 200
            elif who in PLANNERS:
                ok = code == 403
            else:
                ok = code == 302 and response["Location"].startswith(reverse("admin:login"))
            if not ok:
                problems.append((who, url, code))
            if leaks := _leaks(response, who):
                problems.append((who, url, leaks))
    assert problems == []
