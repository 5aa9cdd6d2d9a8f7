"""The results pages: who reads which results, the review of text answers, a teacher's own
ratings (never who gave them), the staff's overview and the to-do item."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from luodi.accounts.models import Role, User
from luodi.audit.models import AuditEvent
from luodi.surveys import blueprints, services
from luodi.surveys.models import Answer, Audience, Purpose, QuestionKind, Review
from luodi.surveys.services import QuestionSpec
from luodi.surveys.tests.results_fixtures import mixed_answer, reopen, rubric

pytestmark = pytest.mark.django_db


def _rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_staff_read_every_result_with_charts_and_review_controls(
    client_as,
    mixed,
    answering,
):
    for text in ("内容实用", "节奏太快"):
        answering.submit(mixed, mixed_answer(mixed, 0, [0], 4, (4, 5), text))
    page = client_as(Role.STAFF).get(reverse("surveys:results", args=[mixed.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg class="chart"') == 4  # single, multiple, rating, matrix
    assert "内容实用" in html
    assert "节奏太快" in html
    assert (
        html.count(reverse("surveys:answer-review", args=[Answer.objects.exclude(text="")[0].pk]))
        == 1
    )


def test_a_small_group_is_withheld_on_the_page(client_as, mixed, answering):
    answering.submit(mixed, mixed_answer(mixed, 0, [0], 4, (4, 5), "只有一份"))
    page = client_as(Role.STAFF).get(reverse("surveys:results", args=[mixed.pk]))
    assert 'data-testid="withheld"' in page.content.decode()
    assert "只有一份" not in page.content.decode()
    export = client_as(Role.STAFF).get(reverse("surveys:results-export", args=[mixed.pk]))
    assert export.status_code == 302


def test_a_head_teacher_reads_their_own_classes_surveys_only(
    client_as,
    mixed,
    college,
    make,
    users,
):
    client = client_as(Role.HEAD_TEACHER)  # heads both of the college's classes
    assert client.get(reverse("surveys:results", args=[mixed.pk])).status_code == 200
    other = make.teacher()
    college.finished.head_teacher = other
    college.finished.save(update_fields=["head_teacher"])
    assert client.get(reverse("surveys:results", args=[mixed.pk])).status_code == 404


def _needs_survey(users, cities):
    survey = services.survey_create(
        by=users[Role.STAFF],
        title="需求调研",
        purpose=Purpose.NEEDS,
        audience=Audience.CADRES,
        anonymous=False,
        cities=cities,
        questions=[QuestionSpec(kind=QuestionKind.RATING, text="需要程度", scale=(1, 5))],
    )
    services.survey_publish(survey=survey, by=users[Role.STAFF])
    return reopen(survey)


def test_a_liaison_reads_a_needs_surveys_results_of_their_own_city_only(
    client_as,
    users,
    college,
    answering,
    answer_pages,
):
    survey = _needs_survey(users, [college.dalian, college.shenyang])
    question = survey.questions.get()
    cadres = college.cadres_dalian + college.cadres_shenyang
    for cadre, score in zip(cadres, (5, 5, 1, 1), strict=True):
        user = User.objects.filter(cadre=cadre).first() or User.objects.create_user(
            username=f"c{cadre.pk}", password="x", role=Role.TRAINEE, cadre=cadre
        )
        services.response_submit(survey=survey, data={f"q{question.pk}": [str(score)]}, user=user)
    client = client_as(Role.LIAISON)  # of Dalian
    page = client.get(reverse("surveys:results", args=[survey.pk]), {"city": college.shenyang.pk})
    assert page.status_code == 200
    assert page.context["report"].responses == 2
    assert page.context["report"].questions[0].scale.mean == 5.0  # Dalian's, whatever was asked
    # Not a needs survey, or not for their city: not found.
    shenyang_only = _needs_survey(users, [college.shenyang])
    assert client.get(reverse("surveys:results", args=[shenyang_only.pk])).status_code == 404


def test_a_liaison_never_reads_an_evaluation(client_as, evaluation):
    url = reverse("surveys:results", args=[evaluation.pk])
    assert client_as(Role.LIAISON).get(url).status_code == 404


def test_reviewing_a_text_answer_is_on_record(client_as, mixed, answering, users):
    answering.submit(mixed, mixed_answer(mixed, 0, [0], 4, (4, 5), "很有收获"))
    answer = Answer.objects.exclude(text="").get()
    url = reverse("surveys:answer-review", args=[answer.pk])
    assert client_as(Role.HEAD_TEACHER).post(url, {"review": "public"}).status_code == 403
    response = client_as(Role.STAFF).post(url, {"review": "public"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.review == Review.PUBLIC
    event = AuditEvent.objects.get(event="survey.answer_review")
    assert event.user == users[Role.STAFF]
    client_as(Role.STAFF).post(url, {"review": "nonsense"})
    answer.refresh_from_db()
    assert answer.review == Review.PUBLIC


def test_the_export_of_an_anonymous_survey_names_no_one(client_as, evaluation, answering):
    answering.submit(evaluation, rubric(evaluation, 20, 18, 16, 18, 18, comment="很好"))
    answering.submit(evaluation, rubric(evaluation, 10, 10, 10, 10, 10))
    response = client_as(Role.STAFF).get(reverse("surveys:results-export", args=[evaluation.pk]))
    assert response.status_code == 200
    rows = _rows(response)
    header = rows[2]
    assert not {"姓名", "Name", "提交时间", "Submitted at"} & set(header)
    rubric_question = evaluation.questions.get(role=blueprints.RUBRIC)
    assert header[1:6] == [f"1. {rubric_question.text}：{c}" for c in rubric_question.options]
    assert sorted(r[1] for r in rows[3:]) == [10, 20]
    names = {c.name for c in answering.cadres}
    assert not any(str(v) in names for row in rows for v in row if v)


def test_the_export_of_a_named_survey_masks_names_unless_full(
    client_as,
    mixed,
    answering,
    college,
):
    answering.submit(mixed, mixed_answer(mixed, 0, [0, 2], 4, (4, 5)))
    answering.submit(mixed, mixed_answer(mixed, 1, [1], 2, (2, 3)))
    url = reverse("surveys:results-export", args=[mixed.pk])
    masked = _rows(client_as(Role.HEAD_TEACHER).get(url))
    assert masked[2][1] == "姓名"
    assert {r[1] for r in masked[3:]} == {"宋*", "张*"}
    by_choice = {r[3]: r for r in masked[3:]}
    assert by_choice["是"][4] == "讲授；现场"
    assert by_choice["否"][4] == "研讨"
    assert client_as(Role.HEAD_TEACHER).get(url, {"full": "1"}).status_code == 404
    full = _rows(client_as(Role.STAFF).get(url, {"full": "1"}))
    assert "宋娟" in {r[1] for r in full[3:]}
    assert AuditEvent.objects.filter(event="personal.export_full").exists()


def test_a_teacher_sees_their_own_ratings_and_public_comments_never_who(
    client,
    users,
    college,
    evaluation,
    answering,
    make,
):
    answering.submit(evaluation, rubric(evaluation, 20, 20, 20, 20, 20, comment="讲得生动"))
    answering.submit(evaluation, rubric(evaluation, 16, 16, 16, 16, 16, comment="不公开的话"))
    public = Answer.objects.get(text="讲得生动")
    public.review = Review.PUBLIC
    public.save()
    client.force_login(users[Role.HEAD_TEACHER])  # college.teacher, who teaches the session
    listing = client.get(reverse("surveys:my-ratings"))
    assert listing.status_code == 200
    assert listing.context["sessions"][0].score == 90.0
    page = client.get(reverse("surveys:my-rating", args=[college.sessions[0].pk]))
    html = page.content.decode()
    assert "讲得生动" in html
    assert "不公开的话" not in html
    assert not any(c.name in html for c in answering.cadres)
    # Another teacher's session is not found.
    other = make.teacher()
    session = college.sessions[1]
    session.teacher = other
    session.save()
    blueprints.session_evaluation(session=session, by=None)
    assert client.get(reverse("surveys:my-rating", args=[session.pk])).status_code == 404


def test_staff_see_flagged_evaluations_first_and_on_their_to_do(
    client_as,
    evaluation,
    answering,
):
    answering.submit(evaluation, rubric(evaluation, 10, 10, 10, 10, 10))
    answering.submit(evaluation, rubric(evaluation, 12, 12, 12, 12, 12))
    client = client_as(Role.STAFF)
    page = client.get(reverse("surveys:evaluations"))
    assert page.status_code == 200
    assert [s.score for s in page.context["flagged"]] == [55.0]
    assert page.context["by_teacher"][0].flagged
    todo = client.get(reverse("reports:work-todo"))
    (item,) = [i for i in todo.context["items"] if i.key == "evaluations"]
    assert item.count == 1
    assert reverse("surveys:evaluations") in todo.content.decode()


def test_the_overview_costs_the_same_queries_for_more_sessions(
    client_as,
    college,
    answering,
    answer_pages,
    django_assert_max_num_queries,
):
    client = client_as(Role.STAFF)
    for session in college.sessions:
        survey = reopen(blueprints.session_evaluation(session=session, by=None))
        answering.submit(survey, rubric(survey, 10, 10, 10, 10, 10))
        answering.submit(survey, rubric(survey, 11, 11, 11, 11, 11))
    with django_assert_max_num_queries(14):
        client.get(reverse("surveys:evaluations"))


def test_a_large_export_is_a_background_job_on_the_results_page(
    client_as, mixed, answering, monkeypatch
):
    from luodi.jobs.models import Job, JobStatus
    from luodi.surveys import results_export

    monkeypatch.setattr(results_export, "BACKGROUND_FROM", 2)
    answering.submit(mixed, mixed_answer(mixed, 0, [0], 4, (4, 5)))
    answering.submit(mixed, mixed_answer(mixed, 1, [1], 2, (2, 3)))
    client = client_as(Role.STAFF)
    url = reverse("surveys:results-export", args=[mixed.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"post": "secretary"})
    assert response.status_code == 302
    job = Job.objects.get(kind="surveys.responses-xlsx")
    assert job.status == JobStatus.DONE
    assert job.parameters == {"post": "secretary"}
    rows = [[c.value for c in r] for r in load_workbook(job.file.open("rb")).active.iter_rows()]
    assert len(rows) == 3 + 2  # both trainees are secretaries
    page = client.get(reverse("surveys:results", args=[mixed.pk]))
    assert job.get_status_url() in page.content.decode() or "responses-xlsx" in str(
        page.content.decode()
    )


def test_the_results_page_costs_the_same_queries_for_more_responses(client_as, mixed, answering):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(Role.STAFF)
    url = reverse("surveys:results", args=[mixed.pk])

    def queries_for(n):
        while answering.used.get(mixed.pk, 0) < n:
            answering.submit(mixed, mixed_answer(mixed, 0, [1], 3, (2, 4), "多一些案例"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries_for(3)
    assert queries_for(12) == few
