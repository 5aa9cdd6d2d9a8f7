from types import SimpleNamespace

import pytest

from luodi.accounts.models import Role
from luodi.assessments import services
from luodi.assessments.models import ProjectStatus

# The tree of test_computation: effective weights 0.2, 0.2, 0.6.
OUTLINE = """组织建设 | 40
  党组织设置 | 50 | 10 | 按规定设置社区党组织
  党员管理 | 50 | 20
服务群众 | 60
  便民服务 | 100 | 5
"""


@pytest.fixture
def assessment(college, users):
    """A project open for scoring: two communities, three experts (the teacher, the head
    teacher, the supervisor), the indicator tree above."""
    staff = users[Role.STAFF]
    project = services.project_create(
        name="2025年度全省和谐社区示范单位评估", client="辽宁省民政厅", year=2025, by=staff
    )
    services.indicators_replace(project=project, text=OUTLINE, by=staff)
    units = [
        services.unit_add(project=project, community=college.communities_dalian[0], by=staff),
        services.unit_add(project=project, community=college.communities_shenyang[0], by=staff),
    ]
    experts = [users[Role.TEACHER], users[Role.HEAD_TEACHER], users[Role.SUPERVISOR]]
    for expert in experts:
        services.expert_add(project=project, user=expert, by=staff)
    services.project_update(project=project, status=ProjectStatus.SCORING, by=staff)
    leaves = services.leaves_of(project)
    return SimpleNamespace(
        project=project, units=units, experts=experts, staff=staff, leaves=leaves
    )


def entries(leaves, *values, comments=()):
    """Entries for the leaves in order; None leaves a leaf blank."""
    comments = list(comments) + [""] * len(leaves)
    return {
        leaf.pk: services.Entry(value="" if v is None else str(v), comment=comments[i])
        for i, (leaf, v) in enumerate(zip(leaves, values, strict=True))
    }
