from decimal import Decimal
from itertools import combinations

import pytest

from luodi.needs.plan import (
    CourseOption,
    PlanItem,
    TeacherOption,
    counted_scores,
    plan_value,
    suggest,
    teacher_ratings,
)
from luodi.surveys.blueprints import RUBRIC
from luodi.surveys.models import Answer, Audience, Purpose, Question, QuestionKind, Response, Survey

THREE = Decimal(3)
SCORES = {1: 50.0, 2: 40.0, 3: 30.0, 4: 10.0}  # topics A, B, C, D


def course(id_, title, method, topics, hours=THREE, rating=None):
    teacher = TeacherOption(id=100 + id_, name=f"T{id_}", rating=rating)
    return CourseOption(id_, title, method, hours, frozenset(topics), (teacher,))


# A crafted case. L4 covers everything but is one 9-hour lecture (no mix); L1+L3+X2 cover
# everything too, but L3's teacher has no ratings, while X1's is rated 90.
COURSES = [
    course(1, "L1", "lecture", {1, 2}, rating=95),
    course(2, "L2", "lecture", {1}, rating=70),
    course(3, "L3", "lecture", {3}),
    course(4, "X1", "case_analysis", {2, 3}, rating=90),
    course(5, "X2", "discussion", {4}, rating=85),
    course(6, "L4", "lecture", {1, 2, 3, 4}, hours=Decimal(9), rating=99),
]


def feasible(chosen, hours):
    lectures = sum(1 for c in chosen if c.is_lecture)
    others = len(chosen) - lectures
    return sum(c.hours for c in chosen) <= hours and lectures <= 2 * others


def best_by_brute_force(courses, hours):
    plans = [
        combo
        for n in range(len(courses) + 1)
        for combo in combinations(courses, n)
        if feasible(combo, hours)
    ]
    return max(plans, key=lambda p: plan_value([PlanItem(c, c.best_teacher()) for c in p], SCORES))


def test_it_finds_the_known_best_plan_of_the_crafted_case():
    plan = suggest(scores=SCORES, hours=Decimal(9), courses=COURSES)
    assert [i.course.title for i in plan.items] == ["X1", "L1", "X2"]
    best = best_by_brute_force(COURSES, Decimal(9))
    assert {c.title for c in best} == {"X1", "L1", "X2"}
    assert plan.value == pytest.approx(
        plan_value([PlanItem(c, c.best_teacher()) for c in best], SCORES)
    )
    assert plan.covered == [1, 2, 3, 4]
    assert plan.hours == Decimal(9)


def test_it_mixes_methods_when_others_are_available():
    plan = suggest(scores=SCORES, hours=Decimal(18), courses=COURSES)
    lectures = sum(1 for i in plan.items if i.course.is_lecture)
    assert lectures <= 2 * (len(plan.items) - lectures)
    assert plan.hours <= Decimal(18)


def test_it_takes_lectures_alone_when_nothing_else_covers_the_needs():
    only_lectures = [c for c in COURSES if c.is_lecture and c.hours == THREE]
    plan = suggest(scores=SCORES, hours=Decimal(9), courses=only_lectures)
    assert [i.course.title for i in plan.items] == ["L1", "L3"]  # L2 adds nothing after L1


def test_it_stays_within_the_hours():
    plan = suggest(scores=SCORES, hours=Decimal(3), courses=COURSES)
    assert [i.course.title for i in plan.items] == ["X1"]


def test_it_prefers_a_cleared_well_rated_teacher():
    teachers = (
        TeacherOption(1, "甲", rating=None),
        TeacherOption(2, "乙", rating=88.0),
        TeacherOption(3, "丙", rating=99.0, cleared=False),
        TeacherOption(4, "丁", rating=92.0),
    )
    option = CourseOption(1, "课", "lecture", THREE, frozenset({1}), teachers)
    assert option.best_teacher().name == "丁"
    assert option.teacher(2).name == "乙"
    assert option.teacher(999).name == "丁"


def test_it_counts_only_the_top_topics_with_a_score():
    assert counted_scores([(1, 9.0), (2, 0.0), (3, 5.0), (4, 1.0)], top=2) == {1: 9.0, 3: 5.0}


@pytest.mark.django_db
def test_teacher_ratings_are_the_mean_rubric_total_in_one_query(
    college, make, django_assert_num_queries
):
    other = make.teacher(name="王老师")
    sessions = [college.sessions[0], college.sessions[1]]
    sessions[1].teacher = other
    sessions[1].save()
    totals = {sessions[0]: [(20, 18, 17, 20, 15), (16, 16, 16, 16, 16)], sessions[1]: []}
    for session, responses in totals.items():
        survey = Survey.objects.create(
            title="评教",
            purpose=Purpose.EVALUATION,
            audience=Audience.CLASS,
            training_class=session.training_class,
            session=session,
        )
        rubric = Question.objects.create(
            survey=survey,
            position=0,
            kind=QuestionKind.MATRIX,
            text="评分",
            options=list("ABCDE"),
            scale_min=0,
            scale_max=20,
            role=RUBRIC,
        )
        for points in responses:
            response = Response.objects.create(survey=survey)
            for item, value in enumerate(points):
                Answer.objects.create(response=response, question=rubric, item=item, value=value)
    with django_assert_num_queries(1):
        ratings = teacher_ratings()
    assert ratings == {college.teacher.pk: 85.0}  # (90 + 80) / 2; 王老师 has no ratings yet
