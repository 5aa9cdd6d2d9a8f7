"""The dashboard's and the API's figures equal counts made independently with raw SQL."""

import pytest
from django.db import connection
from django.urls import reverse

from luodi.accounts import tokens
from luodi.accounts.models import Role
from luodi.training.models import ClassStatus, EnrolmentStatus

pytestmark = pytest.mark.django_db


def raw_figures(year=None, city_id=None):
    """Count straight from the tables, without the ORM or the stats module."""
    where, params = ["e.status = %s"], [EnrolmentStatus.COMPLETED.value]
    if year is not None:
        where.append("k.year = %s")
        params.append(year)
    if city_id is not None:
        where.append("m.city_id = %s")
        params.append(city_id)
    sql = f"""
        SELECT COUNT(*), COUNT(DISTINCT e.cadre_id), COUNT(DISTINCT c.community_id),
               COUNT(DISTINCT e.training_class_id)
        FROM training_enrolment e
        JOIN training_trainingclass k ON k.id = e.training_class_id
        JOIN cadres_cadre c ON c.id = e.cadre_id
        JOIN regions_community m ON m.id = c.community_id
        WHERE {" AND ".join(where)}"""
    held_sql = "SELECT COUNT(*) FROM training_trainingclass WHERE status IN (%s, %s)"
    held_params = [ClassStatus.FINISHED.value, ClassStatus.ARCHIVED.value]
    if year is not None:
        held_sql += " AND year = %s"
        held_params.append(year)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        person_times, trainees, communities, classes_trained = cursor.fetchone()
        cursor.execute(held_sql, held_params)
        (held,) = cursor.fetchone()
    return {
        "classes_held": held if city_id is None else classes_trained,
        "person_times": person_times,
        "distinct_trainees": trainees,
        "communities_reached": communities,
    }


@pytest.fixture
def history(college, make):
    """More than the stock college: a second year, a returning trainee, a dropout, a class in
    progress (counts for nothing yet)."""
    c = college
    later = make.training_class(c.class_type, start_date=c.finished.start_date.replace(year=2025))
    make.session(later, c.course, c.teacher)
    make.enrol(later, c.cadres_dalian[0])  # returning trainee
    make.enrol(later, c.cadres_shenyang[0], status=EnrolmentStatus.NOT_COMPLETED)
    make.enrol(later, c.cadres_shenyang[1], status=EnrolmentStatus.WITHDRAWN)
    return c


def dashboard_figures(response):
    return response.context["summary"].as_dict()


@pytest.mark.parametrize("year", [None, 2024, 2025, 2019])
def test_dashboard_figures_equal_raw_counts(client_as, history, year):
    params = {"year": year} if year else {}
    response = client_as(Role.SUPERVISOR).get(reverse("dashboard"), params)
    assert dashboard_figures(response) == raw_figures(year=year)


def test_figures_are_what_the_history_says(history):
    # 4 completed in 2024 + 1 in 2025; 4 people; 4 communities; 2 classes held.
    assert raw_figures() == {
        "classes_held": 2,
        "person_times": 5,
        "distinct_trainees": 4,
        "communities_reached": 4,
    }


def test_dashboard_shows_the_figures_on_the_page(client_as, history):
    html = client_as(Role.STAFF).get(reverse("dashboard")).content.decode()
    figures = raw_figures()
    for key, value in figures.items():
        assert f'data-key="{key}">{value}<' in html


def test_dashboard_by_year_rows_equal_raw_counts(client_as, history):
    response = client_as(Role.STAFF).get(reverse("dashboard"))
    for row in response.context["by_year"]:
        expected = raw_figures(year=row["year"])
        assert {k: row[k] for k in expected} == expected


def test_liaison_dashboard_shows_only_their_city(client_as, history):
    response = client_as(Role.LIAISON).get(reverse("dashboard"))
    assert dashboard_figures(response) == raw_figures(city_id=history.dalian.pk)
    assert [row["city"] for row in response.context["by_city"]] == [history.dalian]


@pytest.mark.parametrize("year", [None, 2024, 2025])
def test_api_summary_equals_raw_counts(client_as, history, year):
    params = {"year": year} if year else {}
    response = client_as(Role.SUPERVISOR).get("/api/v1/stats/summary", params)
    assert response.status_code == 200
    assert response.json() == raw_figures(year=year)


def test_api_accepts_a_bearer_token(client, users, history):
    _token, key = tokens.api_token_create(by=users[Role.SUPERVISOR], name="report tool")
    response = client.get("/api/v1/stats/summary", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json() == raw_figures()
    schema = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {key}"})
    assert schema.status_code == 200
    assert "/api/v1/stats/summary" in schema.json()["paths"]


def test_api_refuses_a_forged_token_and_anonymous_users(client, history):
    assert client.get("/api/v1/stats/summary").status_code == 401
    bad = {"Authorization": "Bearer luodi_forged"}
    assert client.get("/api/v1/stats/summary", headers=bad).status_code == 401


def test_api_refuses_a_trainee(client_as, history):
    assert client_as(Role.TRAINEE).get("/api/v1/stats/summary").status_code == 403


@pytest.mark.parametrize("year", ["abc", "1800", "99999"])
def test_api_rejects_a_bad_year_with_a_clear_error(client_as, history, year):
    response = client_as(Role.STAFF).get("/api/v1/stats/summary", {"year": year})
    assert response.status_code == 422
    assert "year" in response.content.decode()


def test_api_gives_a_liaison_their_citys_figures(client_as, history):
    response = client_as(Role.LIAISON).get("/api/v1/stats/summary")
    assert response.json() == raw_figures(city_id=history.dalian.pk)


def test_year_choices_are_distinct_and_newest_first(client_as, history):
    years = client_as(Role.STAFF).get(reverse("dashboard")).context["years"]
    assert years == sorted(set(years), reverse=True)
    assert {2024, 2025} <= set(years)
