"""Research output: entered through the services (on record), a duplicate publication refused,
the counts by year, level, funder and teacher, the lists' exports, and a course's page showing
the research behind it."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from luodi.accounts.models import Role
from luodi.lib import audit, data_version
from luodi.reports.figure_check import check
from luodi.research import selectors, services
from luodi.research.models import Level, Project, Publication, PublicationKind, normalised_title

pytestmark = pytest.mark.django_db


def test_it_records_who_entered_each_output(output, users):
    events = [e for e in audit.recent() if e["event"].startswith("research.")]
    assert [e["event"] for e in events].count("research.project_create") == 3
    assert [e["event"] for e in events].count("research.publication_create") == 3
    assert all(e["username"] == users[Role.STAFF].username for e in events)


def test_a_title_is_compared_without_spaces_punctuation_or_width():
    assert normalised_title("《社区治理：新路径》") == normalised_title("社区治理 新路径")
    assert normalised_title("ＡＢＣ社区") == normalised_title("abc社区")
    assert normalised_title("社区治理") != normalised_title("社区自治")


def test_it_refuses_a_duplicate_publication_in_the_same_year(output, users):
    with pytest.raises(ValidationError) as refused:
        services.publication_save(
            by=users[Role.STAFF],
            title="党建引领社区治理的 实践逻辑。",  # B1 of 2023, spaced and punctuated
            authors=[output.liu],
            venue="社会科学",
            kind=PublicationKind.JOURNAL,
            published_on=dt.date(2023, 12, 1),
        )
    assert "already on record for this year" in str(refused.value)
    # The same title in another year is another publication (a reprint, a sequel).
    services.publication_save(
        by=users[Role.STAFF],
        title="党建引领社区治理的实践逻辑",
        authors=[output.liu],
        venue="社会科学",
        kind=PublicationKind.JOURNAL,
        published_on=dt.date(2025, 1, 1),
    )
    assert Publication.objects.count() == 4


def test_the_database_refuses_a_duplicate_that_skips_the_service(output):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(
            title="社区协商议事的制度化",
            venue="x",
            kind=PublicationKind.OTHER,
            published_on=dt.date(2024, 12, 31),
        )


def test_the_form_says_why_a_duplicate_is_refused(output, client_as):
    client = client_as(Role.STAFF)
    response = client.post(
        reverse("research:publication-new"),
        {
            "title": "让居民说了算。",
            "authors": [output.liu.pk],
            "venue": "光明日报",
            "kind": PublicationKind.NEWSPAPER,
            "published_on": "2024-10-01",
        },
    )
    assert response.status_code == 200
    assert "already on record for this year" in response.content.decode()
    assert Publication.objects.count() == 3


def test_staff_enter_a_project_on_its_form(college, client_as, users):
    client = client_as(Role.STAFF)
    response = client.post(
        reverse("research:project-new"),
        {
            "title": "社区应急管理能力研究",
            "funder": "中央组织部",
            "level": Level.NATIONAL,
            "principal": college.teacher.pk,
            "start_date": "2025-03-01",
            "end_date": "2024-03-01",  # before the start: refused
            "status": "applied",
            "courses": [college.course.pk],
        },
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    data = {
        "title": "社区应急管理能力研究",
        "funder": "中央组织部",
        "level": Level.NATIONAL,
        "principal": college.teacher.pk,
        "start_date": "2025-03-01",
        "end_date": "2026-03-01",
        "status": "applied",
        "budget": "20",
        "courses": [college.course.pk],
    }
    response = client.post(reverse("research:project-new"), data)
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert list(project.courses.all()) == [college.course]
    assert audit.recent()[-1]["event"] == "research.project_create"


def test_the_counts_match_the_hand_computed_figures(output):
    summary = selectors.summary()
    by_year = {r.year: (r.projects, r.publications, r.advisory) for r in summary.by_year}
    assert by_year == {2024: (2, 2, 0), 2023: (1, 1, 1)}
    assert [r.year for r in summary.by_year] == [2024, 2023]
    assert dict(summary.by_level) == {"National": 1, "Provincial": 2, "Municipal": 0, "College": 0}
    assert summary.by_funder == [("民政部", 2), ("辽宁省民政厅", 1)]
    by_teacher = {
        r.teacher.name: (r.projects, r.led, r.publications, r.advisory) for r in summary.by_teacher
    }
    assert by_teacher == {
        "张平": (2, 1, 2, 0),  # leads P1, member of P2; B1, B3
        "王芳": (2, 1, 1, 1),  # member of P1, leads P2; B1; A1
        "刘洋": (2, 1, 1, 0),  # member of P2, leads P3; B2
    }
    assert summary.by_teacher[0].teacher.name == "王芳"  # the most output first


def test_the_summary_page_takes_the_same_queries_however_much_output(
    output, client_as, django_assert_num_queries, users
):
    client = client_as(Role.STAFF)
    client.get(reverse("research:index"))  # warm the session and the teacher lookups
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Computed afresh each time (the summary is otherwise kept per data version).
    with data_version.uncached(), CaptureQueriesContext(connection) as before:
        assert client.get(reverse("research:index")).status_code == 200
    for i in range(5):
        services.project_save(
            by=users[Role.STAFF],
            title=f"新课题{i}",
            funder=f"资助方{i}",
            level=Level.MUNICIPAL,
            principal=output.liu,
            start_date=dt.date(2020 + i, 1, 1),
            members=[output.zhang, output.wang],
        )
    with data_version.uncached(), CaptureQueriesContext(connection) as after:
        response = client.get(reverse("research:index"))
    assert "新课题" not in response.content.decode()  # counted, not listed
    assert "资助方4" in response.content.decode()
    assert len(after) == len(before)


def test_the_summary_is_kept_until_the_output_or_its_links_change(
    output, users, make, django_assert_num_queries
):
    def row(teacher):
        (found,) = [r for r in selectors.summary().by_teacher if r.teacher == teacher]
        return (found.projects, found.publications, found.advisory)

    before = row(output.liu)
    with django_assert_num_queries(2):  # the data version and the kept summary
        selectors.summary()
    # Only the links change (no field of the project): the summary follows.
    services.project_save(
        project=output.p1, members=[*output.p1.members.all(), output.liu], by=users[Role.STAFF]
    )
    assert row(output.liu) == (before[0] + 1, before[1], before[2])
    output.a1.teachers.add(output.liu)  # through the ORM, outside the services
    assert row(output.liu) == (before[0] + 1, before[1], before[2] + 1)
    assert check().differences == []


def test_the_summary_shows_a_page_of_teachers_at_a_time(output, client_as, users, make):
    """A province's pool is hundreds of teachers: their table is paged, the most output first."""
    authors = [make.teacher(name=f"作者{n:02d}") for n in range(55)]
    for n, author in enumerate(authors):
        services.publication_save(
            by=users[Role.STAFF],
            title=f"论文{n}",
            authors=[author],
            venue="社会科学",
            kind=PublicationKind.JOURNAL,
            published_on=dt.date(2024, 1, 1),
        )
    client = client_as(Role.STAFF)
    first = client.get(reverse("research:index"))
    rows = list(first.context["page"])
    assert len(rows) == 50
    assert [r.teacher.name for r in rows[:3]] == ["王芳", "张平", "刘洋"]  # the most output
    second = client.get(reverse("research:index"), {"page": 2})
    assert len(second.context["page"]) == 58 - 50
    assert "58" in first.content.decode()  # the count of teachers on the pager


def test_each_list_filters_by_year_level_funder_teacher_and_kind(output, client_as):
    client = client_as(Role.HEAD_TEACHER)

    def titles(name, **query):
        response = client.get(reverse(name), query)
        assert response.status_code == 200
        return {o.title for o in response.context["page"]}

    assert titles("research:project-list", year="2024") == {output.p2.title, output.p3.title}
    assert titles("research:project-list", level="national") == {output.p1.title}
    assert titles("research:project-list", funder="民政部") == {output.p1.title, output.p3.title}
    assert titles("research:project-list", teacher=output.liu.pk) == {
        output.p2.title,
        output.p3.title,
    }
    assert titles("research:publication-list", kind="newspaper") == {output.b3.title}
    assert titles("research:publication-list", teacher=output.zhang.pk, year="2024") == {
        output.b3.title
    }
    assert titles("research:advisory-list", teacher=output.wang.pk) == {output.a1.title}
    assert titles("research:advisory-list", year="2024") == set()


@pytest.mark.parametrize(
    ("name", "query", "header", "expected"),
    [
        ("research:project-list-xlsx", {"year": "2024"}, "项目名称", 2),
        ("research:publication-list-xlsx", {}, "题目", 3),
        ("research:advisory-list-xlsx", {}, "题目", 1),
    ],
)
def test_the_exports_read_back_as_the_lists(output, client_as, name, query, header, expected):
    response = client_as(Role.STAFF).get(reverse(name), query)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][:2] == ("序号", header)
    assert len(rows[3:]) == expected
    if name == "research:project-list-xlsx":
        by_title = {r[1]: r for r in rows[3:]}
        p2 = by_title[output.p2.title]
        assert p2[2:6] == ("辽宁省民政厅", "省级", "王芳", "刘洋、张平")  # members by pinyin
        assert float(p2[9]) == 12.5
        assert "年度：2024" in rows[1][0]


def test_a_course_page_shows_the_research_behind_it(output, college, client_as):
    response = client_as(Role.TRAINEE).get(college.course.get_absolute_url())
    body = response.content.decode()
    assert output.p1.title in body
    assert output.a1.title in body
    assert output.p2.title not in body  # informs no course
    assert output.p1.get_absolute_url() not in body  # a trainee does not open projects


def test_the_teachers_output_include_lists_theirs(output):
    from django.template.loader import render_to_string

    html = render_to_string("research/_teacher_output.html", {"teacher": output.liu})
    assert output.p2.title in html
    assert output.p3.title in html
    assert output.b2.title in html
    assert output.p1.title not in html


def test_the_teacher_page_shows_their_research_output(output, client_as):
    client = client_as(Role.STAFF)
    page = client.get(reverse("faculty:teacher-detail", args=[output.liu.pk])).content.decode()
    assert 'id="research-output"' in page
    assert output.p2.title in page
    assert output.b2.title in page
    assert output.p1.title not in page  # not theirs


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read the pages' English wording; the UI's default is Chinese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
