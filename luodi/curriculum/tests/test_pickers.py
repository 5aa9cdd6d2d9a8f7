"""Searching pickers (``lib.pickers``): forms hold only the chosen teachers and courses, and the
pickers' URLs find the rest by name, pinyin or title, within the user's reach."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from luodi.accounts.models import Role, User
from luodi.curriculum.forms import CaseForm
from luodi.curriculum.models import Course, CourseCategory
from luodi.faculty.models import ReviewStatus
from luodi.lib import pickers
from luodi.research.forms import ProjectForm
from luodi.training.forms import ClassPlanForm

pytestmark = pytest.mark.django_db


def _found(client, name, **query) -> list[str]:
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_the_teacher_picker_finds_by_name_pinyin_and_unit(college, client_as, make):
    make.teacher(name="王伟", source_unit="大连市民政局")
    make.teacher(name="汪薇", source_unit="沈阳市委党校")
    client = client_as(Role.STAFF)
    assert _found(client, "faculty:teacher-pick", q="王伟") == ["王伟 · 大连市民政局"]
    # The pinyin, with or without the space between syllables, finds both readings alike.
    assert set(_found(client, "faculty:teacher-pick", q="wangwei")) == {
        "王伟 · 大连市民政局",
        "汪薇 · 沈阳市委党校",
    }
    assert _found(client, "faculty:teacher-pick", q="wang wei") == _found(
        client, "faculty:teacher-pick", q="wangwei"
    )
    assert _found(client, "faculty:teacher-pick", q="党校") == ["汪薇 · 沈阳市委党校"]
    assert _found(client, "faculty:teacher-pick", q="火星") == []


def test_the_teacher_picker_offers_only_those_cleared_on_the_day_asked(college, client_as, make):
    make.teacher(name="王伟", review_status=ReviewStatus.PENDING)
    make.teacher(name="王强", reviewed_on=dt.date(2020, 1, 1), valid_until=dt.date(2026, 6, 30))
    client = client_as(Role.STAFF)
    assert len(_found(client, "faculty:teacher-pick", q="王")) == 2
    assert [
        t.split(" · ")[0] for t in _found(client, "faculty:teacher-pick", q="王", on="2026-06-01")
    ] == ["王强"]
    assert _found(client, "faculty:teacher-pick", q="王", on="2026-07-01") == []
    # A date that is no date is no filter, not an error.
    assert len(_found(client, "faculty:teacher-pick", q="王", on="2026-13-45")) == 2


def test_a_teacher_finds_only_themself_and_a_liaison_no_teacher(college, client, client_as, make):
    zhao = make.teacher(name="赵敏")
    assert len(_found(client_as(Role.HEAD_TEACHER), "faculty:teacher-pick")) == 2
    teacher = User.objects.create_user(
        username="teacher2", password=PASSWORD, role=Role.TEACHER, teacher=zhao
    )
    client.force_login(teacher)
    found = client.get(reverse("faculty:teacher-pick")).json()["results"]
    assert [row["id"] for row in found] == [zhao.pk]
    assert client_as(Role.LIAISON).get(reverse("faculty:teacher-pick")).status_code == 403


def test_a_picker_answers_at_most_its_limit_and_says_there_is_more(college, client_as):
    category = CourseCategory.objects.create(name="基层党建", position=9)
    Course.objects.bulk_create(
        Course(category=category, title=f"党建课程{n:02d}", method="lecture")
        for n in range(pickers.LIMIT + 5)
    )
    answer = client_as(Role.STAFF).get(reverse("curriculum:course-pick"), {"q": "党建课程"})
    assert len(answer.json()["results"]) == pickers.LIMIT
    assert answer.json()["more"] is True
    answer = client_as(Role.STAFF).get(reverse("curriculum:course-pick"), {"q": "党建课程07"})
    assert answer.json() == {
        "results": [{"id": Course.objects.get(title="党建课程07").pk, "text": "党建课程07"}],
        "more": False,
    }


def test_a_hostile_query_is_cut_and_answered(college, client_as):
    client = client_as(Role.STAFF)
    for q in ("\x00", "王" * 10_000, "%", "_"):
        assert client.get(reverse("faculty:teacher-pick"), {"q": q}).status_code == 200
        assert client.get(reverse("curriculum:course-pick"), {"q": q}).status_code == 200


def _options(html: str) -> int:
    return html.count("<option")


def test_a_form_holds_only_the_chosen_teachers_and_courses(college, make):
    for n in range(30):
        make.teacher(name=f"候选老师{n}")
    form = ProjectForm(initial={"members": [college.teacher.pk], "courses": [college.course.pk]})
    members, courses = str(form["members"]), str(form["courses"])
    assert _options(members) == 1
    assert college.teacher.name in members
    assert _options(courses) == 1
    assert college.course.title in courses
    assert f'data-picker="{reverse("faculty:teacher-pick")}"' in members
    # An optional single choice keeps its empty option; nothing else is listed.
    author = str(CaseForm()["author"])
    assert _options(author) == 1
    assert 'value=""' in author


def test_rendering_a_picker_costs_the_same_however_long_the_catalogue(college, make):
    def queries() -> int:
        form = ProjectForm(initial={"members": [college.teacher.pk]})
        with CaptureQueriesContext(connection) as captured:
            str(form["members"]), str(form["courses"])
        return len(captured)

    before = queries()
    for n in range(40):
        make.teacher(name=f"候选老师{n}")
    assert queries() == before


def test_the_form_still_refuses_a_choice_outside_its_own_list(college, make):
    pending = make.teacher(name="未审老师", review_status=ReviewStatus.PENDING)
    data = {
        "class_type": college.class_type.pk,
        "start_date": "2099-05-06",
        "end_date": "2099-05-08",
        "venue": "一号教室",
        "capacity": 50,
        "head_teacher": pending.pk,
    }
    form = ClassPlanForm(data)
    assert not form.is_valid()
    assert "head_teacher" in form.errors
    assert ClassPlanForm({**data, "head_teacher": college.teacher.pk}).is_valid()
    # The picker asks for the teachers cleared today, as the field allows.
    assert "?on=" in str(ClassPlanForm()["head_teacher"])


def test_a_refused_post_with_hostile_ids_is_shown_again_without_a_server_error(college, client_as):
    client = client_as(Role.STAFF)
    # A key beyond 64 bits matches nothing (``lib.lookups``: it was an OverflowError on SQLite).
    for bad in ("²", "-1", "abc", "\x00", "1.5", str(2**70), str(-(2**70))):
        data = {"title": "", "author": bad, "courses": [bad, str(college.course.pk)]}
        response = client.post(reverse("curriculum:case-new"), data)
        assert response.status_code == 200  # the form again, with its errors
        assert college.course.title in response.content.decode()


def test_the_session_form_searches_cases_and_field_sites(college, client_as):
    """A session's case and field site: pickers too (the case library and the sites grow with
    the province), found by title, or by a site's name or address."""
    from luodi.curriculum.models import FieldSite, TeachingCase
    from luodi.training.forms import SessionForm

    for n in range(25):
        TeachingCase.objects.create(title=f"老旧小区改造案例{n:02d}", summary="……")
    FieldSite.objects.create(name="明星社区党群服务中心", address="沈阳市和平区南京南街")
    FieldSite.objects.create(name="湖畔社区", address="大连市中山区")
    client = client_as(Role.HEAD_TEACHER)
    found = _found(client, "curriculum:case-pick", q="改造案例0")
    assert found == [f"老旧小区改造案例{n:02d}" for n in range(10)]
    assert _found(client, "curriculum:site-pick", q="和平区") == ["明星社区党群服务中心"]
    assert _found(client, "curriculum:site-pick", q="湖畔") == ["湖畔社区"]
    form = SessionForm(training_class=college.finished)
    assert _options(str(form["case"])) == 1  # the empty choice only
    assert f'data-picker="{reverse("curriculum:case-pick")}"' in str(form["case"])
    assert f'data-picker="{reverse("curriculum:site-pick")}"' in str(form["field_site"])


def test_the_class_picker_finds_by_year_term_and_type_within_the_forms_statuses(
    college, client_as, make
):
    """Survey and import forms choose a class with a picker (a province holds thousands):
    found as its title reads, narrowed to the statuses the form accepts."""
    from luodi.imports.forms import UploadForm
    from luodi.surveys.forms import NewSurveyForm
    from luodi.training.models import ClassStatus

    planned = make.training_class(
        college.class_type, start_date=dt.date(2031, 3, 2), status=ClassStatus.PLANNED
    )
    client = client_as(Role.STAFF)
    year = str(planned.year)
    assert planned.title in _found(client, "training:class-pick", q=f"{year}年第{planned.term}期")
    assert _found(client, "training:class-pick", q=f"{year}年第{planned.term + 50}期") == []
    by_type = _found(client, "training:class-pick", q=college.class_type.name[:4])
    assert planned.title in by_type
    assert college.finished.title in by_type
    # Narrowed to the statuses a form takes: a finished class is not offered to an import.
    open_only = _found(client, "training:class-pick", q=year, status="planned,enrolling,nonsense")
    assert planned.title in open_only
    assert college.finished.title not in _found(
        client, "training:class-pick", q=str(college.finished.year), status="planned"
    )
    for form in (NewSurveyForm(), UploadForm()):
        field = str(form["training_class"])
        assert _options(field) == 1  # the empty choice only: no class listed
        assert reverse("training:class-pick") in field
        assert "status=" in field
