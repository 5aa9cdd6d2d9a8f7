"""Results of a survey: the figures against counts worked out by hand, the withholding of
small groups, and a number of queries that does not grow with the responses."""

import pytest

from luodi.surveys import results
from luodi.surveys.tests.results_fixtures import mixed_answer, rubric

pytestmark = pytest.mark.django_db


def _by_position(report):
    return {r.question.position: r for r in report.questions}


def test_it_counts_each_kind_of_question_as_worked_out_by_hand(mixed, answering):
    answering.submit(mixed, mixed_answer(mixed, 0, [0, 1], 5, (4, 2), "垃圾分类宣传要加强"))
    answering.submit(mixed, mixed_answer(mixed, 0, [1], 4, (5, 3)))
    answering.submit(mixed, mixed_answer(mixed, 1, [1, 2], 2, (3, 3), "垃圾分类难推进"))
    answering.submit(mixed, mixed_answer(mixed, 0, [], 4, (4, 4)))

    report = results.survey_results(mixed, show_text="all")

    assert report.responses == 4
    assert not report.withheld
    assert not report.few
    q = _by_position(report)
    assert [(s.label, s.count, s.percent) for s in q[1].options] == [
        ("是", 3, 75.0),
        ("否", 1, 25.0),
    ]
    # Multiple choice: shares of the three who ticked any (the fourth left it empty).
    assert q[2].answered == 3
    assert [(s.count, s.percent) for s in q[2].options] == [(1, 33.3), (3, 100.0), (1, 33.3)]
    assert q[3].scale.mean == 3.75  # (5 + 4 + 2 + 4) / 4
    assert [s.count for s in q[3].scale.distribution] == [0, 1, 0, 2, 1]
    assert [(i.label, i.mean) for i in q[4].items] == [("内容", 4.0), ("组织", 3.0)]
    assert [s.count for s in q[4].items[1].distribution] == [0, 1, 2, 1, 0]
    assert sorted(a.text for a in q[5].texts) == ["垃圾分类宣传要加强", "垃圾分类难推进"]
    assert ("垃圾", 2) in q[5].keywords
    assert ("分类", 2) in q[5].keywords


def test_it_filters_by_city_and_withholds_a_group_below_the_minimum(
    mixed,
    answering,
    college,
    settings,
):
    settings.LUODI_SURVEY_MIN_RESPONSES = 2
    for rating in (5, 4):
        answering.submit(mixed, mixed_answer(mixed, 0, [0], rating, (4, 4)))  # Dalian's two
    answering.trainee(mixed)  # skip the third cadre; the fourth is of Shenyang
    answering.trainee(mixed)
    answering.submit(mixed, mixed_answer(mixed, 1, [2], 1, (1, 1)), city="shenyang")

    dalian = results.survey_results(mixed, city_id=college.dalian.pk)
    assert dalian.responses == 2
    assert not dalian.withheld
    assert _by_position(dalian)[3].scale.mean == 4.5

    shenyang = results.survey_results(mixed, city_id=college.shenyang.pk)
    assert shenyang.responses == 1
    assert shenyang.withheld
    assert all(not r.options and r.scale is None and not r.texts for r in shenyang.questions)


def test_it_warns_under_four_responses(mixed, answering):
    for _ in range(3):
        answering.submit(mixed, mixed_answer(mixed, 0, [0], 3, (3, 3)))
    assert results.survey_results(mixed).few
    answering.submit(mixed, mixed_answer(mixed, 0, [0], 3, (3, 3)))
    assert not results.survey_results(mixed).few


def test_it_shows_teachers_only_the_text_answers_reviewed_public(
    mixed,
    answering,
    users,
):
    from luodi.surveys.models import Answer, Review
    from luodi.surveys.reviews import answer_review

    for text in ("讲得好", "太快了", "有个别人名"):
        answering.submit(mixed, mixed_answer(mixed, 0, [0], 3, (3, 3), text))
    by_text = {a.text: a for a in Answer.objects.exclude(text="")}
    answer_review(answer=by_text["讲得好"], review=Review.PUBLIC, by=users["staff"])
    answer_review(answer=by_text["有个别人名"], review=Review.HIDDEN, by=users["staff"])

    public = _by_position(results.survey_results(mixed, show_text="public"))[5]
    assert [a.text for a in public.texts] == ["讲得好"]
    staff = _by_position(results.survey_results(mixed, show_text="all"))[5]
    assert {a.text: a.review for a in staff.texts} == {
        "讲得好": Review.PUBLIC,
        "太快了": Review.PENDING,
        "有个别人名": Review.HIDDEN,
    }


@pytest.mark.parametrize("show_text", ["all", "none"])
def test_its_queries_do_not_grow_with_the_responses(
    mixed,
    answering,
    django_assert_num_queries,
    show_text,
):
    def queries_for(n):
        while answering.used.get(mixed.pk, 0) < n:
            answering.submit(mixed, mixed_answer(mixed, 0, [0, 2], 4, (5, 2), "内容很实用"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            results.survey_results(mixed, show_text=show_text)
        return len(captured)

    five = queries_for(5)
    assert queries_for(50) == five
    with django_assert_num_queries(five):
        results.survey_results(mixed, show_text=show_text)


def test_the_evaluation_scores_each_response_out_of_100(evaluation, answering, settings):
    settings.LUODI_SATISFACTION_LINE = 85
    answering.submit(evaluation, rubric(evaluation, 20, 18, 16, 18, 18))  # 90
    answering.submit(evaluation, rubric(evaluation, 16, 16, 16, 16, 16))  # 80
    answering.submit(evaluation, rubric(evaluation, 14, 15, 16, 15, 16))  # 76

    score = results.evaluation_score(evaluation)
    assert (score.responses, score.score) == (3, 82.0)
    assert score.flagged

    flagged = results.flagged_evaluations()
    assert [(s.key, s.score) for s in flagged] == [(evaluation.session, 82.0)]

    settings.LUODI_SATISFACTION_LINE = 80
    assert not results.evaluation_score(evaluation).flagged
    assert results.flagged_evaluations() == []


def test_a_session_with_one_response_has_no_score_and_is_not_flagged(evaluation, answering):
    answering.submit(evaluation, rubric(evaluation, 0, 0, 0, 0, 0))
    score = results.evaluation_score(evaluation)
    assert score.responses == 1
    assert score.score is None
    assert not score.flagged
    assert results.flagged_evaluations() == []


def test_it_rolls_up_per_teacher_course_and_year(college, users, answering, answer_pages):
    from luodi.surveys import blueprints
    from luodi.surveys.tests.results_fixtures import reopen

    first = reopen(blueprints.session_evaluation(session=college.sessions[0], by=None))
    second = reopen(blueprints.session_evaluation(session=college.sessions[1], by=None))
    for survey, scores in ((first, (20, 20, 20, 20, 20)), (second, (10, 10, 10, 10, 10))):
        answering.submit(survey, rubric(survey, *scores))
        answering.submit(survey, rubric(survey, *scores))

    sessions = {s.key: s for s in results.evaluation_scores("session")}
    assert sessions[college.sessions[0]].score == 100.0
    assert sessions[college.sessions[1]].score == 50.0
    (teacher,) = results.evaluation_scores("teacher")
    assert (teacher.key, teacher.responses, teacher.sessions, teacher.score) == (
        college.teacher,
        4,
        2,
        75.0,
    )
    (course,) = results.evaluation_scores("course", by_year=True)
    assert (course.key, course.year, course.score) == (college.course, 2024, 75.0)
    (year,) = results.evaluation_scores("year")
    assert (year.key, year.responses) == (2024, 4)
    assert results.evaluation_scores("teacher", year=2023) == []
