"""Staff set a project up through its pages: project, stage dates, units (a community by code,
a district, a free name), experts, the indicator system (refusals shown), a copy."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.assessments.models import Project, StageKind
from luodi.assessments.tests.conftest import OUTLINE
from luodi.lib import audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, users):
    client.force_login(users[Role.STAFF])
    return client


def test_staff_set_up_a_project_through_its_pages(staff_client, college, users):
    response = staff_client.post(
        reverse("assessments:project-new"),
        {
            "name": "全国社区治理和服务创新实验区结项评估",
            "client": "民政部",
            "year": "2026",
            "bands": "优秀 85\n良好 70\n合格 60\n不合格 0",
            "spread_mad_factor": "3",
            "spread_points": "8",
        },
    )
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    assert project.bands[0] == ("优秀", 85)
    assert project.spread_points == 8
    assert sorted(project.stages.values_list("kind", flat=True)) == sorted(StageKind.values)

    stage = project.stages.get(kind=StageKind.TRACKING)
    prefix = f"stage{stage.pk}"
    staff_client.post(
        reverse("assessments:stage-edit", args=[project.pk, stage.pk]),
        {
            f"{prefix}-starts_on": "2026-05-01",
            f"{prefix}-ends_on": "2026-04-01",
            f"{prefix}-status": "active",
        },
    )
    stage.refresh_from_db()
    assert stage.starts_on is None  # ends before it starts: refused
    staff_client.post(
        reverse("assessments:stage-edit", args=[project.pk, stage.pk]),
        {
            f"{prefix}-starts_on": "2026-03-01",
            f"{prefix}-ends_on": "2026-06-30",
            f"{prefix}-status": "active",
        },
    )
    stage.refresh_from_db()
    assert str(stage.starts_on) == "2026-03-01"
    assert stage.status == "active"

    add_unit = reverse("assessments:unit-add", args=[project.pk])
    community = college.communities_dalian[0]
    staff_client.post(add_unit, {"community": community.code})
    staff_client.post(add_unit, {"district": college.streets[1].parent_id})
    staff_client.post(add_unit, {"name": "某市社区治理实验区"})
    staff_client.post(add_unit, {"community": community.code})  # twice: refused
    assert sorted(project.units.values_list("name", flat=True)) == sorted(
        ["中山区拥警社区", "沈阳市和平区", "某市社区治理实验区"]
    )

    add_expert = reverse("assessments:expert-add", args=[project.pk])
    staff_client.post(add_expert, {"user": users[Role.TEACHER].pk})
    staff_client.post(add_expert, {"user": users[Role.LIAISON].pk})  # not offered: refused
    assert list(project.experts.values_list("username", flat=True)) == ["teacher"]

    indicators = reverse("assessments:indicators", args=[project.pk])
    refused = staff_client.post(indicators, {"outline": OUTLINE.replace("| 60", "| 50")})
    assert "add up to 90 %" in refused.content.decode()
    assert not project.indicators.exists()
    staff_client.post(indicators, {"outline": OUTLINE})
    assert project.indicators.count() == 5

    page = staff_client.get(project.get_absolute_url()).content.decode()
    assert "中山区拥警社区" in page
    assert "2026-03-01" in page
    events = {e["event"] for e in audit.recent()}
    assert {"assessment.create", "assessment.stage", "assessment.unit_add"} <= events
    assert {"assessment.expert_add", "assessment.indicators"} <= events


def test_copying_an_indicator_system_through_the_page(staff_client, assessment):
    new = Project.objects.create(name="2026年度评估", client="辽宁省民政厅", year=2026)
    staff_client.post(
        reverse("assessments:indicators-copy", args=[new.pk]), {"source": assessment.project.pk}
    )
    assert new.indicators.count() == 5


def test_the_project_pages_take_a_fixed_number_of_queries(
    staff_client, assessment, django_assert_max_num_queries
):
    for name in ("project-list", "project-detail", "indicators", "results"):
        args = [] if name == "project-list" else [assessment.project.pk]
        with django_assert_max_num_queries(25):
            assert staff_client.get(reverse(f"assessments:{name}", args=args)).status_code == 200


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read the pages' English wording; the UI's default is Chinese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
