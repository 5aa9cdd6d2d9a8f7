import pytest
from django.core.exceptions import ValidationError

from luodi.assessments import indicators, services
from luodi.assessments.models import Indicator
from luodi.assessments.tests.conftest import OUTLINE, entries

pytestmark = pytest.mark.django_db


def test_it_stores_an_outline_as_a_tree(assessment):
    nodes = list(assessment.project.indicators.all())
    assert [(n.name, n.parent.name if n.parent else None) for n in nodes] == [
        ("组织建设", None),
        ("党组织设置", "组织建设"),
        ("党员管理", "组织建设"),
        ("服务群众", None),
        ("便民服务", "服务群众"),
    ]
    assert nodes[0].max_score is None
    assert nodes[1].max_score == 10
    assert nodes[1].description == "按规定设置社区党组织"
    # The outline reads back to the same system.
    assert indicators.parse(indicators.outline(nodes)) == indicators.parse(OUTLINE)


def test_weights_that_do_not_add_up_are_refused_naming_the_parent(college, users):
    from luodi.accounts.models import Role

    staff = users[Role.STAFF]
    project = services.project_create(name="试点", client="民政部", year=2025, by=staff)
    with pytest.raises(ValidationError) as refused:
        services.indicators_replace(
            project=project,
            text="组织建设 | 40\n  党组织设置 | 50 | 10\n  党员管理 | 40 | 10\n"
            "服务群众 | 50\n  便民服务 | 100 | 5",
            by=staff,
        )
    messages = refused.value.messages
    assert any("组织建设" in m and "90" in m for m in messages), messages
    assert any("first-level" in m and "90" in m for m in messages), messages
    assert not project.indicators.exists()


def test_a_leaf_without_a_maximum_and_a_bad_number_are_refused():
    items, errors = indicators.parse("组织建设 | 100\n  党组织设置 | 100")
    assert not errors
    assert any("党组织设置" in e for e in indicators.check(items))
    _items, errors = indicators.parse("组织建设 | 四十")
    assert errors
    assert "Line 1" in errors[0]
    assert "四十" in errors[0]


def test_editing_after_scores_exist_is_refused(assessment):
    leaf_ids = list(Indicator.objects.values_list("pk", flat=True))
    services.sheet_save(
        unit=assessment.units[0],
        by=assessment.experts[0],
        entries=entries(assessment.leaves, 8, None, None),
    )
    with pytest.raises(ValidationError, match="already scored"):
        services.indicators_replace(project=assessment.project, text=OUTLINE, by=assessment.staff)
    # Nothing was recomputed or replaced.
    assert list(Indicator.objects.values_list("pk", flat=True)) == leaf_ids


def test_a_system_is_copied_from_a_previous_project(assessment):
    staff = assessment.staff
    new = services.project_create(name="2026年度评估", client="辽宁省民政厅", year=2026, by=staff)
    assert services.indicators_copy(project=new, source=assessment.project, by=staff) == 5
    copied = list(new.indicators.values_list("name", "weight", "max_score"))
    original = list(assessment.project.indicators.values_list("name", "weight", "max_score"))
    assert copied == original
