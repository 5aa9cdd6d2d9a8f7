"""An expert's score sheet: range checks, draft and submit, final after submitting, reopened by
staff on record, evidence files checked; and what one expert sees of another's scores."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.assessments import services
from luodi.assessments.models import Evidence, Score, Sheet, SheetStatus
from luodi.assessments.tests.conftest import entries
from luodi.lib import audit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_a_score_above_the_maximum_is_refused_with_a_clear_message(assessment):
    expert, unit = assessment.experts[0], assessment.units[0]
    with pytest.raises(ValidationError) as refused:
        services.sheet_save(unit=unit, by=expert, entries=entries(assessment.leaves, 12, 15, 4))
    leaf = assessment.leaves[0]
    assert refused.value.message_dict == {
        str(leaf.pk): ["党组织设置：12 is above the maximum score of 10."]
    }
    assert not Score.objects.exists()  # nothing of the sheet was stored


def test_a_negative_or_non_numeric_score_is_refused(assessment):
    expert, unit = assessment.experts[0], assessment.units[0]
    with pytest.raises(ValidationError) as refused:
        services.sheet_save(unit=unit, by=expert, entries=entries(assessment.leaves, -1, "十", 4))
    errors = refused.value.message_dict
    assert "below 0" in errors[str(assessment.leaves[0].pk)][0]
    assert "not a number" in errors[str(assessment.leaves[1].pk)][0]


def test_a_draft_keeps_blanks_and_submitting_needs_every_leaf(assessment):
    expert, unit = assessment.experts[0], assessment.units[0]
    sheet = services.sheet_save(
        unit=unit, by=expert, entries=entries(assessment.leaves, 8, None, 4)
    )
    assert sheet.status == SheetStatus.DRAFT
    with pytest.raises(ValidationError, match="give a score to submit"):
        services.sheet_save(
            unit=unit, by=expert, entries=entries(assessment.leaves, 8, None, 4), submit=True
        )
    sheet = services.sheet_save(
        unit=unit, by=expert, entries=entries(assessment.leaves, 8, 15, 4), submit=True
    )
    assert sheet.is_submitted
    assert sheet.submitted_at
    assert audit.recent("assessment.submit")[-1]["details"]["scored"] == "3"


def test_a_submitted_sheet_is_final_until_staff_reopen_it(assessment):
    expert, unit = assessment.experts[0], assessment.units[0]
    sheet = services.sheet_save(
        unit=unit, by=expert, entries=entries(assessment.leaves, 8, 15, 4), submit=True
    )
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.sheet_save(unit=unit, by=expert, entries=entries(assessment.leaves, 9, 15, 4))
    with pytest.raises(ValidationError, match="why"):
        services.sheet_reopen(sheet=sheet, by=assessment.staff, reason=" ")
    services.sheet_reopen(sheet=sheet, by=assessment.staff, reason="专家申请更正")
    event = audit.recent("assessment.reopen")[-1]
    assert event["details"]["reason"] == "专家申请更正"
    assert event["username"] == "staff"
    services.sheet_save(unit=unit, by=expert, entries=entries(assessment.leaves, 9, 15, 4))
    assert Score.objects.get(sheet=sheet, indicator=assessment.leaves[0]).value == Decimal(9)


def test_only_the_projects_experts_score_and_only_while_it_is_open(assessment, users):
    with pytest.raises(ValidationError, match="not an expert"):
        services.sheet_save(
            unit=assessment.units[0],
            by=users[Role.STAFF],
            entries=entries(assessment.leaves, 8, 15, 4),
        )
    services.project_update(project=assessment.project, status="completed", by=assessment.staff)
    with pytest.raises(ValidationError, match="not open"):
        services.sheet_save(
            unit=assessment.units[0],
            by=assessment.experts[0],
            entries=entries(assessment.leaves, 8, 15, 4),
        )


def test_a_liaison_cannot_be_made_an_expert(assessment, users):
    with pytest.raises(ValidationError, match="may not score"):
        services.expert_add(
            project=assessment.project, user=users[Role.LIAISON], by=assessment.staff
        )


def test_evidence_files_are_checked_by_content(assessment):
    expert, unit = assessment.experts[0], assessment.units[0]
    leaf = assessment.leaves[0]
    bad = entries(assessment.leaves, 8, None, None)
    bad[leaf.pk].file = SimpleUploadedFile("会议记录.png", b"MZ not an image")
    with pytest.raises(ValidationError) as refused:
        services.sheet_save(unit=unit, by=expert, entries=bad)
    assert "not of a kind" in refused.value.message_dict[str(leaf.pk)][0]
    good = entries(assessment.leaves, 8, None, None)
    good[leaf.pk].file = SimpleUploadedFile("公示栏.png", PNG)
    services.sheet_save(unit=unit, by=expert, entries=good)
    assert Evidence.objects.get().name == "公示栏.png"


def _page(client, assessment, expert, unit):
    client.force_login(expert)
    return client.get(
        reverse("assessments:score", args=[assessment.project.pk, unit.pk])
    ).content.decode()


def test_an_expert_sees_no_other_experts_scores_before_submitting_their_own(assessment, client):
    first, second = assessment.experts[:2]
    unit = assessment.units[0]
    services.sheet_save(
        unit=unit,
        by=second,
        entries=entries(assessment.leaves, 7, 13, 2, comments=["宣传栏更新不及时"]),
        submit=True,
    )
    before = _page(client, assessment, first, unit)
    assert "宣传栏更新不及时" not in before
    assert "专家1" not in before
    services.sheet_save(unit=unit, by=first, entries=entries(assessment.leaves, 8, 15, 4))
    assert "宣传栏更新不及时" not in _page(client, assessment, first, unit)  # a draft is not enough
    services.sheet_save(
        unit=unit, by=first, entries=entries(assessment.leaves, 8, 15, 4), submit=True
    )
    after = _page(client, assessment, first, unit)
    assert "宣传栏更新不及时" in after
    assert "专家1" in after


def test_another_experts_evidence_stays_hidden_until_one_has_submitted(assessment, client):
    first, second = assessment.experts[:2]
    unit = assessment.units[0]
    scored = entries(assessment.leaves, 7, 13, 2)
    scored[assessment.leaves[0].pk].file = SimpleUploadedFile("照片.png", PNG)
    services.sheet_save(unit=unit, by=second, entries=scored, submit=True)
    url = reverse("assessments:evidence", args=[Evidence.objects.get().pk])
    client.force_login(first)
    assert client.get(url).status_code == 404
    services.sheet_save(
        unit=unit, by=first, entries=entries(assessment.leaves, 8, 15, 4), submit=True
    )
    assert client.get(url).status_code == 200


def test_an_expert_cannot_see_a_project_they_are_not_assigned_to(assessment, client, users):
    staff = assessment.staff
    other = services.project_create(
        name="城乡社区治理试点验收", client="民政部", year=2025, by=staff
    )
    unit = services.unit_add(project=other, name="某试验区", by=staff)
    client.force_login(assessment.experts[0])
    listing = client.get(reverse("assessments:project-list")).content.decode()
    assert assessment.project.name in listing
    assert other.name not in listing
    assert client.get(reverse("assessments:project-detail", args=[other.pk])).status_code == 404
    url = reverse("assessments:score", args=[other.pk, unit.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("assessments:results", args=[assessment.project.pk])).status_code == 403
    )


def test_the_score_page_refuses_a_score_above_the_maximum_next_to_the_field(assessment, client):
    expert, unit = assessment.experts[0], assessment.units[0]
    client.force_login(expert)
    url = reverse("assessments:score", args=[assessment.project.pk, unit.pk])
    leaves = assessment.leaves
    response = client.post(
        url,
        {f"value_{leaves[0].pk}": "11", f"value_{leaves[1].pk}": "15", "action": "draft"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "11 is above the maximum score of 10." in body
    assert 'value="15"' in body  # what was typed is kept
    assert not Sheet.objects.filter(scores__value__isnull=False).exists()


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read the pages' English wording; the UI's default is Chinese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
