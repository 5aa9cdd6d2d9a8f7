"""Staff keep the pool (create, edit, reviews, unavailable days); anyone who reads the pool
finds teachers by expertise; a teacher opens only their own page, with rating totals."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import H, S, T, V
from luodi.faculty.models import ExpertiseTag, ReviewStatus, Teacher, TeacherKind
from luodi.lib import audit

pytestmark = pytest.mark.django_db


def test_staff_create_a_teacher_with_expertise_on_record(client_as, college):
    law = ExpertiseTag.objects.create(name="社区法治")
    response = client_as(S).post(
        reverse("faculty:teacher-create"),
        {
            "name": "赵律师",
            "kind": TeacherKind.PART_TIME,
            "source_unit": "大连律师协会",
            "title": "高级律师",
            "title_band": "senior",
            "expertise": [law.pk],
            "unavailable_weekdays": ["6"],
            "max_sessions_per_day": "2",
        },
    )
    teacher = Teacher.objects.get(name="赵律师")
    assert response.status_code == 302
    assert response["Location"] == teacher.get_absolute_url()
    assert (teacher.unavailable_weekdays, teacher.max_sessions_per_day) == ([6], 2)
    assert list(teacher.expertise.values_list("name", flat=True)) == ["社区法治"]
    assert teacher.review_status == ReviewStatus.PENDING  # no review yet
    assert audit.recent("teacher.created")[-1]["username"] == "staff"


def test_a_form_with_errors_is_refused_with_the_reasons(client_as, college):
    response = client_as(S).post(
        reverse("faculty:teacher-create"),
        {"name": "", "kind": "nobody", "source_unit": "单位", "bank_account": "12ab"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"name", "kind", "title_band", "bank_account"}
    assert not Teacher.objects.filter(source_unit="单位").exists()


def test_staff_record_a_review_and_days_away_from_the_teachers_form(client_as, college):
    client = client_as(S)
    teacher = college.teacher
    response = client.post(
        reverse("faculty:teacher-review-add", args=[teacher.pk]),
        {"date": "2026-01-05", "result": "failed", "reviewer": "组织人事处"},
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.review_status, teacher.reviewed_on) == ("failed", dt.date(2026, 1, 5))
    response = client.post(
        reverse("faculty:teacher-unavailable", args=[teacher.pk]),
        {"start": "2026-02-10", "end": "2026-02-01"},
    )
    assert response.status_code == 400
    assert "end" in response.context["away_form"].errors
    client.post(
        reverse("faculty:teacher-unavailable", args=[teacher.pk]),
        {"start": "2026-02-01", "end": "2026-02-10", "reason": "出国访学"},
    )
    assert teacher.unavailabilities.get().reason == "出国访学"
    assert audit.recent("teacher.unavailable")[-1]["details"]["start"] == "2026-02-01"


@pytest.fixture
def pool(college, make):
    law = ExpertiseTag.objects.create(name="社区法治")
    lawyer = make.teacher(name="赵律师", title="高级律师", kind=TeacherKind.PART_TIME)
    lawyer.expertise.add(law)
    scholar = make.teacher(name="钱教授", bio="研究基层民主与法治建设多年。")
    teaching = make.teacher(name="孙讲师")
    college.course.teachers.add(teaching)
    other = make.teacher(name="李书记", bio="社区党建")
    return law, lawyer, scholar, teaching, other


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "法治"}, {"赵律师", "钱教授"}),  # a tag, a biography
        ({"tag": "LAW"}, {"赵律师"}),
        ({"q": "服务创新"}, {"张平", "孙讲师"}),  # a course they teach
        ({"q": "律师"}, {"赵律师"}),  # a title
    ],
)
def test_the_list_finds_who_can_teach_a_topic(client_as, pool, query, expected):
    law = pool[0]
    query = {k: str(law.pk) if v == "LAW" else v for k, v in query.items()}
    response = client_as(S).get(reverse("faculty:teacher-list"), query)
    assert {t.name for t in response.context["page"].paginator.object_list} == expected


def test_the_list_filters_by_cleared_today(client_as, pool, make):
    make.teacher(name="待审老师", review_status=ReviewStatus.PENDING)
    client = client_as(S)
    names = {
        v: {
            t.name
            for t in client.get(reverse("faculty:teacher-list"), {"cleared": v})
            .context["page"]
            .paginator.object_list
        }
        for v in ("yes", "no")
    }
    assert names["no"] == {"待审老师"}
    assert "赵律师" in names["yes"]


def test_the_teacher_list_takes_the_same_queries_for_more_teachers(
    client_as, pool, make, django_assert_max_num_queries
):
    client = client_as(S)
    client.get(reverse("faculty:teacher-list"))
    with django_assert_max_num_queries(10):
        client.get(reverse("faculty:teacher-list"), {"q": "法治"})
    for n in range(8):
        make.teacher(name=f"新老师{n}", bio="法治").expertise.add(pool[0])
    with django_assert_max_num_queries(10):
        client.get(reverse("faculty:teacher-list"), {"q": "法治"})


def test_a_teacher_sees_their_own_page_only_and_in_the_list(client_as, users, college, make):
    own = make.teacher(name="我自己")
    user = users[T]
    user.teacher = own
    user.save()
    client = client_as(T)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(college.teacher.get_absolute_url()).status_code == 404
    listed = client.get(reverse("faculty:teacher-list")).context["page"].paginator.object_list
    assert [t.name for t in listed] == ["我自己"]


@pytest.mark.parametrize("role", [S, H, V])
def test_readers_of_the_pool_open_any_teachers_page(client_as, college, role):
    assert client_as(role).get(college.teacher.get_absolute_url()).status_code == 200


def test_the_page_says_no_ratings_yet_then_the_mean_per_term(client_as, college):
    from luodi.accounts.tests.conftest import _evaluation

    client = client_as(S)
    assert client.get(college.teacher.get_absolute_url()).context["ratings"] == []
    assert "No ratings yet." in client.get(college.teacher.get_absolute_url()).content.decode()
    _survey, comment = _evaluation(college.sessions[0])  # two responses: 5×16 and 5×18
    page = client.get(college.teacher.get_absolute_url())
    [rating] = page.context["ratings"]
    assert (rating.year, rating.term, rating.responses, rating.mean) == (2024, 1, 2, 85.0)
    assert comment.text not in page.content.decode()  # totals only, no trainee's words


def test_the_page_shows_review_history_and_why_not_cleared(client_as, college, make):
    teacher = make.teacher(
        name="过期老师", reviewed_on=dt.date(2019, 1, 1), valid_until=dt.date(2021, 12, 31)
    )
    page = client_as(S).get(teacher.get_absolute_url()).content.decode()
    assert "2021-12-31" in page
    assert "expired on 2021-12-31" in page


def test_the_teacher_page_takes_the_same_queries_for_more_sessions_and_reviews(
    client_as, college, make, django_assert_max_num_queries
):
    from luodi.faculty import services

    client = client_as(S)
    url = college.teacher.get_absolute_url()
    client.get(url)
    # (one of them reads the college settings: the page header's name and logo)
    with django_assert_max_num_queries(17) as before:
        client.get(url)
    for day in (0, 1, 2):
        make.session(college.finished, college.course, college.teacher, day=day, slot="evening")
    services.unavailability_add(
        teacher=college.teacher, start=dt.date(2030, 1, 1), end=dt.date(2030, 1, 2), by=None
    )
    services.review_record(
        teacher=college.teacher, date=dt.date(2024, 1, 1), result="passed", by=None
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_staff_take_back_days_away_of_this_teacher_only(client_as, college, make):
    from luodi.faculty import services

    other = make.teacher()
    mine = services.unavailability_add(
        teacher=college.teacher, start=dt.date(2030, 1, 1), end=dt.date(2030, 1, 3), by=None
    )
    theirs = services.unavailability_add(
        teacher=other, start=dt.date(2030, 1, 1), end=dt.date(2030, 1, 3), by=None
    )
    client = client_as(S)
    url = reverse("faculty:teacher-unavailable-remove", args=[college.teacher.pk])
    assert client.post(url, {"away": theirs.pk}).status_code == 404
    assert client.post(url, {"away": mine.pk}).status_code == 302
    assert not college.teacher.unavailabilities.exists()
    assert other.unavailabilities.exists()
    assert audit.recent("teacher.unavailable_removed")[-1]["details"]["start"] == "2030-01-01"


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read the pages' English wording; the UI's default is Chinese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_a_term_with_too_few_responses_is_withheld(client_as, college, settings):
    """Anonymity: one trainee's scores never show as a term's mean, as on the surveys' pages."""
    from luodi.accounts.tests.conftest import _evaluation

    settings.LUODI_SURVEY_MIN_RESPONSES = 3
    _evaluation(college.sessions[0])  # two responses
    page = client_as(S).get(college.teacher.get_absolute_url())
    assert page.context["ratings"] == []
    assert "No ratings yet." in page.content.decode()
