"""The API's resources (docs/api.md): each role's scope, masking, pages, filters, writes,
refusals with a JSON ``detail``, query counts and the local docs page. The access matrix
(``test_access_matrix.py``) asks every operation as every role; these check what comes back."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from conftest import A, H, L, R, S, T, V
from luodi.accounts import tokens
from luodi.accounts.models import ApiScope
from luodi.accounts.tests.conftest import DL_B, ME, SY_A, SY_B
from luodi.audit.models import AuditEvent
from luodi.checkin import services
from luodi.lib import api as api_envelope
from luodi.training.models import (
    Attendance,
    ClassQuota,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
)

pytestmark = pytest.mark.django_db


def _as(world, who) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[who])
    return client


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row.get("cadre") or row.get("name") for row in response.json()["items"]}


# ---- scopes: the same as the pages' -------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (A, {ME, SY_A, DL_B, SY_B}),
        (V, {ME, SY_A, DL_B, SY_B}),
        (L, {ME, DL_B}),  # the liaison's city
        (H, {ME, SY_A}),  # the trainees of the classes they head
    ],
)
def test_it_lists_the_cadres_within_each_roles_reach(world, who, expected):
    assert _names(_as(world, who).get("/api/v1/cadres")) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (S, {ME, SY_A, DL_B, SY_B}),
        (L, {ME, DL_B}),
        (H, {ME, SY_A}),
        (T, set()),  # a teacher who heads no class sees no roster
        (R, {ME}),  # a trainee only themself
    ],
)
def test_it_lists_the_enrolments_within_each_roles_reach(world, who, expected):
    assert _names(_as(world, who).get("/api/v1/enrolments")) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (V, {ME, SY_A, DL_B, SY_B}),
        (H, {ME, SY_A}),
        (T, {ME, SY_A}),  # the sessions they teach (class A)
        (R, {ME}),
    ],
)
def test_it_lists_the_attendance_within_each_roles_reach(world, who, expected):
    assert _names(_as(world, who).get("/api/v1/attendance")) == expected


@pytest.mark.parametrize(
    ("who", "expected"), [(S, {ME, SY_A, DL_B, SY_B}), (H, {ME, SY_A}), (R, {ME})]
)
def test_it_lists_the_certificates_within_each_roles_reach(world, who, expected):
    assert _names(_as(world, who).get("/api/v1/certificates")) == expected


def test_a_trainee_reads_only_their_own_classes_and_sessions(world):
    trainee = _as(world, R)
    own, other = world.own["class"][0], world.other["class"][0]
    classes = {c["id"] for c in trainee.get("/api/v1/classes").json()["items"]}
    assert own in classes
    assert other not in classes
    assert trainee.get(f"/api/v1/classes/{other}").status_code == 404
    sessions = trainee.get("/api/v1/sessions").json()["items"]
    assert sessions
    assert {s["class_id"] for s in sessions} <= classes


def test_a_liaison_gets_404_for_a_cadre_of_another_city(world):
    liaison = _as(world, L)
    response = liaison.get(f"/api/v1/cadres/{world.other['cadre'][0]}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert liaison.get(f"/api/v1/cadres/{world.own['cadre'][0]}").status_code == 200


def test_a_liaisons_statistics_are_their_citys(world):
    rows = _as(world, L).get("/api/v1/stats/by-city").json()
    assert [r["city"] for r in rows] == ["大连市"]
    assert _as(world, A).get("/api/v1/stats/by-year").json()[0]["person_times"] == 4


# ---- masking ---------------------------------------------------------------------------------


def test_it_masks_numbers_unless_asked_in_full_by_a_role_that_may(world):
    cadre = world.cadre[ME]
    url = f"/api/v1/cadres/{cadre.pk}"
    masked = _as(world, S).get(url).json()
    assert masked["id_number"] == cadre.masked_id_number != cadre.id_number
    assert masked["phone"] == cadre.masked_phone
    assert not masked["full_numbers"]
    assert not AuditEvent.objects.filter(event="personal.reveal").exists()
    full = _as(world, S).get(url + "?full=true").json()
    assert (full["id_number"], full["phone"]) == (cadre.id_number, cadre.phone)
    reveal = AuditEvent.objects.get(event="personal.reveal")
    assert reveal.user == world.users[S]
    assert reveal.object_id == str(cadre.pk)


def test_it_refuses_full_numbers_to_a_role_without_the_permission(world):
    for who in (L, H, V):
        response = _as(world, who).get("/api/v1/cadres?full=true")
        assert response.status_code == 403
        assert response.json() == {"detail": "Your role may not see full ID and phone numbers."}
        assert world.cadre[ME].id_number not in response.content.decode()


def test_it_records_full_numbers_in_a_list_once_per_page(world):
    body = _as(world, A).get("/api/v1/cadres?full=true&per_page=2").json()
    assert body["items"][0]["full_numbers"] is True
    reveal = AuditEvent.objects.get(event="personal.reveal")
    assert reveal.details["cadres"] == ",".join(str(c["id"]) for c in body["items"])


# ---- pages and filters -----------------------------------------------------------------------


def test_every_list_pages_with_a_total_and_links(world):
    client = _as(world, A)
    first = client.get("/api/v1/cadres?per_page=3&q=").json()
    assert (first["count"], first["page"], first["pages"], first["previous"]) == (4, 1, 2, None)
    assert len(first["items"]) == 3
    assert first["next"] == "/api/v1/cadres?per_page=3&q=&page=2"
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 1
    assert second["next"] is None
    assert second["previous"] == "/api/v1/cadres?per_page=3&q=&page=1"
    names = {c["name"] for c in first["items"] + second["items"]}
    assert names == {ME, SY_A, DL_B, SY_B}
    beyond = client.get("/api/v1/cadres?per_page=3&page=9").json()
    assert beyond["items"] == []
    assert beyond["count"] == 4


def test_past_the_count_limit_a_list_pages_without_a_total(world, monkeypatch):
    """Counting stops at ``COUNT_LIMIT`` (10,000): past it the total and the number of pages
    are null and ``next`` tells whether there is more; a page past the end is counted."""
    monkeypatch.setattr(api_envelope, "COUNT_LIMIT", 2)
    client = _as(world, A)
    first = client.get("/api/v1/cadres?per_page=3").json()
    assert (first["count"], first["pages"], first["previous"]) == (None, None, None)
    assert len(first["items"]) == 3
    assert first["next"] == "/api/v1/cadres?per_page=3&page=2"
    second = client.get(first["next"]).json()
    assert (second["count"], second["pages"], len(second["items"])) == (None, None, 1)
    assert second["next"] is None
    assert second["previous"] == "/api/v1/cadres?per_page=3&page=1"
    names = {c["name"] for c in first["items"] + second["items"]}
    assert names == {ME, SY_A, DL_B, SY_B}
    beyond = client.get("/api/v1/cadres?per_page=3&page=9").json()
    assert (beyond["items"], beyond["count"], beyond["pages"]) == ([], 4, 2)
    assert beyond["previous"] == "/api/v1/cadres?per_page=3&page=2"
    two = client.get(f"/api/v1/cadres?city={world.dalian.pk}").json()  # under the limit: exact
    assert (two["count"], two["pages"], two["next"]) == (2, 1, None)


def test_it_refuses_bad_paging_and_filters_with_422(world):
    client = _as(world, A)
    for url in (
        "/api/v1/classes?per_page=0",
        "/api/v1/classes?per_page=1000",
        "/api/v1/classes?year=1999",
        "/api/v1/enrolments?status=lost",
        "/api/v1/sessions?class=abc",
        "/api/v1/cadres?city=99999999999999999999999",
    ):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.json()["detail"], url


def test_it_filters_as_the_pages_do(world):
    client = _as(world, A)
    dalian = client.get(f"/api/v1/cadres?city={world.dalian.pk}").json()["items"]
    assert {c["name"] for c in dalian} == {ME, DL_B}
    assert {c["name"] for c in client.get("/api/v1/cadres?q=本人").json()["items"]} == {ME}
    running = client.get("/api/v1/classes?status=in_progress").json()["items"]
    assert len(running) == 2
    assert {c["status"] for c in running} == {"in_progress"}
    assert client.get("/api/v1/classes?year=2023").json()["count"] == 0
    one_class = world.own["class"][0]
    rows = client.get(f"/api/v1/enrolments?class={one_class}&status=completed").json()["items"]
    assert {r["cadre"] for r in rows} == {ME, SY_A}
    shenyang = client.get(f"/api/v1/enrolments?city={world.shenyang.pk}").json()["items"]
    assert {r["cadre"] for r in shenyang} == {SY_A, SY_B}
    assert client.get("/api/v1/communities?q=%00").status_code == 200  # NUL dropped, no 500


@pytest.mark.parametrize(
    "path",
    ["cadres", "enrolments", "attendance", "certificates", "classes", "sessions", "teachers"],
)
def test_a_lists_queries_do_not_grow_with_its_length(
    world, make, path, django_assert_max_num_queries
):
    client = _as(world, A)
    client.get(f"/api/v1/{path}")  # warm up the session and the user
    community = world.cadre[ME].community
    training_class = Enrolment.objects.get(pk=world.own["enrolment"][0]).training_class
    for _ in range(6):
        cadre = make.cadre(community)
        make.enrol(training_class, cadre, status=EnrolmentStatus.ENROLLED)
        make.teacher()
    # session, user, count, page (and a prefetch, an audit row): never one per row
    with django_assert_max_num_queries(7):
        response = client.get(f"/api/v1/{path}?per_page=200")
    assert response.status_code == 200


# ---- writes ----------------------------------------------------------------------------------


def _nominate(client, world, cadre, *, side="own"):
    body = {"class_id": getattr(world, side)["running-class"][0], "cadre_id": cadre.pk}
    return client.post("/api/v1/enrolments", body, content_type="application/json")


def test_a_liaison_nominates_a_cadre_of_their_city(world, make):
    training_class = Enrolment.objects.get(pk=world.own["enrolment"][0]).training_class
    training_class.status = ClassStatus.ENROLLING
    training_class.save()
    cadre = make.cadre(world.cadre[ME].community, name="新提名人")
    response = _nominate(_as(world, L), world, cadre)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "nominated"
    assert response.json()["cadre"] == "新提名人"
    enrolment = Enrolment.objects.get(cadre=cadre)
    assert enrolment.nominated_by == world.users[L]
    assert AuditEvent.objects.filter(event="enrolment.nominate", user=world.users[L]).exists()


def test_a_nomination_beyond_the_citys_quota_is_refused_with_the_reason(world, make):
    training_class = Enrolment.objects.get(pk=world.own["enrolment"][0]).training_class
    ClassQuota.objects.create(training_class=training_class, city=world.dalian, quota=1, used=1)
    cadre = make.cadre(world.cadre[ME].community)
    response = _nominate(_as(world, S), world, cadre)
    assert response.status_code == 422
    with translation.override(settings.LANGUAGE_CODE):
        reason = translation.gettext("This city's quota for the class is used up.")
    assert response.json() == {"detail": reason}
    assert not Enrolment.objects.filter(cadre=cadre).exists()


def test_a_nomination_is_refused_to_roles_that_may_not_and_out_of_reach(world, make):
    cadre = make.cadre(world.cadre[SY_B].community)  # Shenyang
    assert _nominate(_as(world, H), world, cadre).status_code == 403
    assert _nominate(_as(world, R), world, cadre).status_code == 403
    assert _nominate(_as(world, L), world, cadre).status_code == 404  # not the liaison's city
    assert not Enrolment.objects.filter(cadre=cadre).exists()


def test_a_write_with_bad_input_says_what_is_wrong(world):
    client = _as(world, S)
    response = client.post("/api/v1/enrolments", {"class_id": "x"}, content_type="application/json")
    assert response.status_code == 422
    fields = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert ("body", "nomination", "class_id") in fields
    assert ("body", "nomination", "cadre_id") in fields
    response = client.post("/api/v1/enrolments", "not json", content_type="application/json")
    assert response.status_code in (400, 422)
    mark = {"session_id": world.own["running-session"][0], "enrolment_id": 1, "status": "away"}
    response = client.post("/api/v1/attendance", mark, content_type="application/json")
    assert response.status_code == 422
    assert "status" in str(response.json()["detail"])


def test_the_head_teacher_marks_attendance_through_the_roll_call_service(world):
    session, enrolment = world.own["running-session"][0], world.own["enrolment"][0]
    body = {"session_id": session, "enrolment_id": enrolment, "status": "leave"}
    response = _as(world, H).post("/api/v1/attendance", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "leave"
    assert response.json()["cadre"] == ME
    assert Attendance.objects.get(session_id=session, enrolment_id=enrolment).status == "leave"
    assert AuditEvent.objects.filter(event="attendance.mark", user=world.users[H]).exists()
    other = {
        "session_id": world.other["running-session"][0],
        "enrolment_id": world.other["enrolment"][0],
        "status": "absent",
    }
    refused = _as(world, H).post("/api/v1/attendance", other, content_type="application/json")
    assert refused.status_code == 403


def test_marking_a_trainee_of_another_class_is_refused(world):
    body = {
        "session_id": world.own["running-session"][0],
        "enrolment_id": world.other["enrolment"][0],
        "status": "present",
    }
    response = _as(world, S).post("/api/v1/attendance", body, content_type="application/json")
    assert response.status_code == 404


def test_a_trainee_checks_in_with_the_screens_code(world):
    session, code = world.own["check-in"]
    trainee = _as(world, R)
    bad = trainee.post(
        "/api/v1/check-in",
        {"session_id": session, "code": "forged"},
        content_type="application/json",
    )
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(services.invalid_code().messages[0])
    assert bad.status_code == 422
    assert bad.json() == {"detail": reason}
    response = trainee.post(
        "/api/v1/check-in", {"session_id": session, "code": code}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] in ("present", "late")
    assert response.json()["cadre"] == ME
    other_session, other_code = world.other["check-in"]
    response = trainee.post(
        "/api/v1/check-in",
        {"session_id": other_session, "code": other_code},
        content_type="application/json",
    )
    assert response.status_code == 403  # not enrolled in that class


# ---- tokens that write -----------------------------------------------------------------------


def _bearer(key):
    return Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"})


def test_a_read_only_token_cannot_carry_write_scopes(world):
    with pytest.raises(Exception, match="read-only"):
        tokens.api_token_create(
            by=world.users[S], name="t", scopes=[ApiScope.ENROLMENTS_WRITE], read_only=True
        )


def test_a_read_only_token_is_refused_a_write(world, make):
    _token, key = tokens.api_token_create(by=world.users[S], name="t", scopes=[ApiScope.READ])
    cadre = make.cadre(world.cadre[ME].community)
    response = _nominate(_bearer(key), world, cadre)
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]
    assert not Enrolment.objects.filter(cadre=cadre).exists()


def test_a_writing_token_needs_the_write_scope(world, make):
    _token, key = tokens.api_token_create(
        by=world.users[S], name="t", scopes=[ApiScope.READ], read_only=False
    )
    cadre = make.cadre(world.cadre[ME].community)
    response = _nominate(_bearer(key), world, cadre)
    assert response.status_code == 403
    assert response.json() == {"detail": "This API token lacks the scope 'enrolments:write'."}
    _token, key = tokens.api_token_create(
        by=world.users[S], name="w", scopes=[ApiScope.ENROLMENTS_WRITE], read_only=False
    )
    assert _nominate(_bearer(key), world, cadre).status_code == 201
    assert Enrolment.objects.get(cadre=cadre).nominated_by == world.users[S]


def test_a_token_reads_only_what_its_scopes_name(world):
    _token, key = tokens.api_token_create(
        by=world.users[S], name="t", scopes=[ApiScope.CADRES_READ]
    )
    client = _bearer(key)
    assert client.get("/api/v1/cadres").status_code == 200
    assert client.get("/api/v1/classes").status_code == 403


def test_the_token_page_offers_writing_tokens(world, settings):
    client = _as(world, S)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/accounts/api-tokens/",
        {"name": "城市系统", "scopes": [ApiScope.ENROLMENTS_WRITE], "days": 30},
    )
    assert "cannot carry write scopes" in response.content.decode()
    response = client.post(
        "/accounts/api-tokens/",
        {"name": "城市系统", "scopes": [ApiScope.ENROLMENTS_WRITE], "days": 30, "may_write": "on"},
    )
    token = world.users[S].api_tokens.get(name="城市系统")
    assert not token.read_only
    assert token.scopes == [ApiScope.ENROLMENTS_WRITE]


# ---- the docs page ---------------------------------------------------------------------------


def test_the_docs_page_is_served_locally(world):
    response = _as(world, S).get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "http://" not in html
    assert "https://" not in html
    assert "//cdn" not in html
    assert Client().get("/api/v1/docs").status_code == 401
    assert _as(world, R).get("/api/v1/docs").status_code == 403


def test_the_schema_documents_every_operation(world):
    schema = _as(world, S).get("/api/v1/openapi.json").json()
    assert {"/api/v1/cadres", "/api/v1/enrolments", "/api/v1/check-in"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/v1/enrolments"]
    assert timezone.now() > timezone.now() - dt.timedelta(seconds=1)


@pytest.mark.parametrize("who", [H, V, R])
def test_a_role_that_may_not_write_is_refused_before_its_input_is_read(world, who):
    """The role and scope are checked with the login, before the body: an empty or malformed
    body from a role that may not nominate gets 403, not a list of invalid fields."""
    client = _as(world, who)
    for body in ("", "{}", '{"class_id": "x"}'):
        response = client.post("/api/v1/enrolments", body, content_type="application/json")
        assert response.status_code == 403, (body, response.content)
        assert response.json() == {"detail": "Permission denied"}


def test_a_token_without_the_scope_is_refused_before_its_input_is_read(world):
    _token, key = tokens.api_token_create(
        by=world.users[S], name="t", scopes=[ApiScope.ATTENDANCE_WRITE], read_only=False
    )
    response = _bearer(key).post("/api/v1/enrolments", "{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "This API token lacks the scope 'enrolments:write'."}


def test_a_sessions_times_are_local_wall_clock_times(world):
    session = _as(world, S).get(f"/api/v1/sessions?class={world.own['class'][0]}").json()
    first = session["items"][0]
    assert (first["start_time"], first["end_time"]) == ("08:30", "11:30")
