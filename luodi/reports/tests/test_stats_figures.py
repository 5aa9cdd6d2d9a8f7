"""Each figure of ``reports.stats`` over a hand-built history: distinct counts that do not add
up across groups, a city's narrowing, the coverage window, the hours target, new secretaries,
teaching load, and a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest

from luodi.lib import data_version
from luodi.reports import stats
from luodi.reports.stats import Scope
from luodi.training.models import ClassStatus, EnrolmentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(college, make):
    """The stock college (class of 2024: 宋娟 and 张 of Dalian, two of Shenyang, 9 hours each)
    plus a 2023 class where 宋娟 and a Shenyang cadre completed and a Dalian deputy did not,
    and a held 2024 class of another teacher that only 宋娟 completed."""
    c = college
    c.deputy = make.cadre(c.communities_dalian[0], post="deputy_secretary")
    c.class_2023 = make.training_class(c.class_type, start_date=dt.date(2023, 4, 3))
    make.session(c.class_2023, c.course, c.teacher)
    make.enrol(c.class_2023, c.cadres_dalian[0])
    make.enrol(c.class_2023, c.cadres_shenyang[0])
    make.enrol(c.class_2023, c.deputy, status=EnrolmentStatus.NOT_COMPLETED)
    c.other_teacher = make.teacher(name="王芳")
    c.second_2024 = make.training_class(c.class_type, start_date=dt.date(2024, 9, 2))
    make.session(c.second_2024, c.course, c.other_teacher, hours=Decimal("4.5"))
    make.session(c.second_2024, c.course, c.other_teacher, day=1)
    make.enrol(c.second_2024, c.cadres_dalian[0])
    return c


def test_it_counts_the_headline_figures_of_a_range(history):
    figures = stats.figures(Scope(first=2023, last=2024))
    assert figures.classes_held == 3
    assert figures.person_times == 7  # 4 + 2 + 1 completed; the deputy did not complete
    assert figures.distinct_trainees == 4  # 宋娟 three times, one Shenyang cadre twice
    assert figures.communities_reached == 4
    assert figures.hours_credited == Decimal("9") * 4 + Decimal("3") * 2 + Decimal("7.5")


def test_distinct_trainees_do_not_add_up_across_years(history):
    rows = {r["key"]: r for r in stats.breakdown(Scope(first=2023, last=2024), "year")}
    assert rows[2023]["distinct_trainees"] == 2
    assert rows[2024]["distinct_trainees"] == 4
    assert rows[2023]["classes_held"] == 1
    assert rows[2024]["classes_held"] == 2
    # Six by adding the years, four people in fact.
    assert stats.figures(Scope(first=2023, last=2024)).distinct_trainees == 4


def test_classes_held_by_city_count_a_shared_class_in_each_city(history):
    scope = Scope(first=2024, last=2024)
    rows = {r["label"]: r for r in stats.breakdown(scope, "city")}
    assert rows["大连市"]["classes_held"] == 2  # both 2024 classes trained 宋娟
    assert rows["沈阳市"]["classes_held"] == 1
    assert stats.figures(scope).classes_held == 2  # not 3


def test_a_city_narrows_every_figure(history):
    dalian = Scope(first=2023, last=2024, city=history.dalian)
    figures = stats.figures(dalian)
    assert (figures.classes_held, figures.person_times, figures.distinct_trainees) == (3, 4, 2)
    assert figures.communities_reached == 2
    assert [r["label"] for r in stats.breakdown(dalian, "city")] == ["大连市"]
    shenyang = stats.figures(Scope(first=2024, last=2024, city=history.shenyang))
    assert (shenyang.classes_held, shenyang.person_times) == (1, 2)


def test_breakdowns_by_class_type_and_post(history, make):
    scope = Scope(first=2023, last=2024)
    (row,) = stats.breakdown(scope, "class_type")
    assert (row["label"], row["classes_held"], row["person_times"]) == (
        "社区党组织书记培训班",
        3,
        7,
    )
    by_post = stats.breakdown(scope, "post")
    assert [(r["key"], r["person_times"]) for r in by_post] == [("secretary", 7)]


def test_returning_trainees_by_number_of_classes(history):
    assert stats.returning_trainees(Scope(first=2023, last=2024)) == stats.Returning(
        once=2, twice=1, three_or_more=1
    )
    assert stats.returning_trainees(Scope(first=2024, last=2024)) == stats.Returning(
        once=3, twice=1, three_or_more=0
    )


def test_coverage_counts_secretaries_trained_within_the_window(history, make):
    c = history
    # A third Dalian community whose secretary was trained in 2018 only, and one whose deputy
    # (not the secretary) was trained in 2024.
    old = make.community(c.streets[0])
    old_secretary = make.cadre(old)
    class_2018 = make.training_class(c.class_type, start_date=dt.date(2018, 6, 4))
    make.enrol(class_2018, old_secretary)
    deputies_only = make.community(c.streets[0])
    deputy = make.cadre(deputies_only, post="deputy_secretary")
    make.enrol(c.second_2024, deputy)

    rows = {r["city"].name: r for r in stats.coverage(Scope(last=2024), years=5)}
    assert (rows["大连市"]["covered"], rows["大连市"]["communities"]) == (2, 4)
    assert rows["大连市"]["share"] == 0.5
    assert (rows["大连市"]["first_year"], rows["大连市"]["last_year"]) == (2020, 2024)
    assert rows["沈阳市"]["share"] == 1.0
    wider = {r["city"].name: r for r in stats.coverage(Scope(last=2024), years=7)}
    assert wider["大连市"]["covered"] == 3
    # Ranked: Shenyang (all covered) before Dalian.
    assert [r["city"].name for r in stats.coverage(Scope(last=2024), years=5)] == [
        "沈阳市",
        "大连市",
    ]
    narrowed = stats.coverage(Scope(last=2024, city=c.dalian), years=5)
    assert [(r["city"].name, r["covered"]) for r in narrowed] == [("大连市", 2)]


def test_hours_compliance_lists_cadres_below_their_posts_target(history, settings, make):
    settings.LUODI_ANNUAL_HOURS_TARGETS = {"secretary": 12, "deputy_secretary": 8}
    make.cadre(history.communities_dalian[1], post="grid_worker")  # no target: not counted
    listed = {c.name: (c.hours, c.target, c.below) for c in stats.compliance_list(year=2024)}
    assert listed["宋娟"] == (Decimal("16.5"), 12, False)  # 9 + 7.5
    assert listed[history.cadres_shenyang[0].name] == (Decimal("9"), 12, True)
    assert listed[history.deputy.name] == (Decimal("0"), 8, True)  # not completed in 2023 either
    assert len(listed) == 5
    rows = {r["post"]: r for r in stats.hours_compliance(Scope(last=2024))}
    assert (rows["secretary"]["cadres"], rows["secretary"]["below_target"]) == (4, 3)
    assert (rows["deputy_secretary"]["cadres"], rows["deputy_secretary"]["below_target"]) == (1, 1)
    dalian = {r["post"]: r for r in stats.hours_compliance(Scope(last=2024, city=history.dalian))}
    assert (dalian["secretary"]["cadres"], dalian["secretary"]["below_target"]) == (2, 1)


def test_new_secretaries_trained_within_half_a_year(history, make):
    c = history
    today = dt.date(2024, 12, 1)
    on_time = make.cadre(c.communities_dalian[1], post_since=dt.date(2024, 3, 1))
    late = make.cadre(c.communities_shenyang[0], post_since=dt.date(2024, 1, 10))
    waiting = make.cadre(c.communities_shenyang[1], post_since=dt.date(2024, 10, 1))
    make.cadre(c.communities_dalian[0], post_since=dt.date(2023, 5, 1))  # another year
    make.cadre(c.communities_dalian[0], post="director", post_since=dt.date(2024, 2, 1))
    make.enrol(c.finished, on_time)  # class of 6 May 2024: within half a year
    make.enrol(c.second_2024, late)  # 2 September: nearly eight months on
    assert stats.new_secretaries_trained(Scope(first=2024, last=2024), today=today) == (
        stats.NewSecretaries(took_office=3, trained_in_time=1, still_in_window=1, overdue=1)
    )
    dalian = Scope(first=2024, last=2024, city=c.dalian)
    assert stats.new_secretaries_trained(dalian, today=today).took_office == 1
    listed = stats.new_secretaries(Scope(first=2024, last=2024))
    first = {s.name: s.first_class for s in listed}
    assert first == {
        on_time.name: c.finished.start_date,
        late.name: c.second_2024.start_date,
        waiting.name: None,
    }
    assert {s.name for s in listed.filter(stats.trained_in_time())} == {on_time.name}


def test_teaching_load_per_teacher_in_held_classes(history, make):
    running = history.running  # in progress: its session is not counted
    assert running.status == ClassStatus.IN_PROGRESS
    rows = stats.teaching_load(Scope(first=2023, last=2026))
    assert [(r["teacher"], r["sessions"], r["hours"], r["classes"]) for r in rows] == [
        ("张平", 4, Decimal("12"), 2),
        ("王芳", 2, Decimal("7.5"), 1),
    ]
    shenyang = stats.teaching_load(Scope(first=2024, last=2024, city=history.shenyang))
    assert [(r["teacher"], r["sessions"]) for r in shenyang] == [("张平", 3)]


def _every_figure(scope):
    stats.figures(scope)
    for by in stats.BREAKDOWNS:
        stats.breakdown(scope, by)
    stats.coverage(scope)
    stats.returning_trainees(scope)
    stats.hours_compliance(scope)
    stats.new_secretaries_trained(scope)
    stats.teaching_load(scope)


def _queries(django_assert_max_num_queries, scope) -> int:
    with data_version.uncached(), django_assert_max_num_queries(100) as captured:
        _every_figure(scope)
    return len(captured)


def test_the_queries_do_not_grow_with_the_data(history, make, django_assert_max_num_queries):
    scope = Scope(first=2023, last=2024)
    before = _queries(django_assert_max_num_queries, scope)
    for year in (2023, 2024):
        extra = make.training_class(history.class_type, start_date=dt.date(year, 11, 6))
        make.session(extra, history.course, make.teacher())
        for _ in range(4):
            make.enrol(extra, make.cadre(make.community(history.streets[1])))
    assert _queries(django_assert_max_num_queries, scope) == before
    assert before <= 20
