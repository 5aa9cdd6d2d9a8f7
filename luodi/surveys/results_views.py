"""Survey results (staff, head teachers, liaisons), the review of text answers, a teacher's
own ratings and the staff's overview of the teaching evaluations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, has_perm, requires
from luodi.cadres.models import Post
from luodi.lib.charts import Bar, columns, horizontal_bars
from luodi.lib.params import parse_id, parse_int
from luodi.regions.models import Region
from luodi.surveys import results
from luodi.surveys.blueprints import COMMENT, satisfaction_line
from luodi.surveys.models import Answer, Review, Survey
from luodi.surveys.results_export import (
    BACKGROUND_FROM,
    may_export_full,
    survey_workbook_response,
)
from luodi.surveys.reviews import (
    RESULTS_PERMS,
    answer_review,
    may_read_results,
    may_review,
    results_city,
    text_shown,
)
from luodi.training.models import Session, TrainingClass


def _survey_for(user, pk: int) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("session", "training_class"), pk=pk)
    if not may_read_results(user, survey):
        raise Http404
    return survey


def _filters(request) -> dict:
    """The city, post and class asked for (a liaison's city, whatever was asked)."""
    query = request.POST if request.method == "POST" else request.GET
    city = results_city(request.user)
    return {
        "city_id": city or parse_id(query.get("city")),
        "post": post if (post := query.get("post", "")) in Post.values else "",
        "class_id": parse_id(query.get("class")),
    }


def _draw(report: results.SurveyResults) -> None:
    """A chart per question: the share of each option, each score's count, or each matrix
    item's mean."""
    for r in report.questions:
        key = f"q{r.question.pk}"
        if r.options:
            bars = [Bar(s.label, round(s.percent)) for s in r.options]
            r.chart = horizontal_bars(r.question.text, bars, key=key, unit="%")
        elif r.scale:
            bars = [Bar(s.label, s.count) for s in r.scale.distribution]
            r.chart = columns(r.question.text, bars, key=key, empty_label="—")
        elif r.items:
            bars = [Bar(i.label, i.mean) for i in r.items]
            r.chart = horizontal_bars(r.question.text, bars, key=key)


@requires(*RESULTS_PERMS, scope=(Survey.objects.visible_to, may_read_results))
def survey_results(request, pk: int):
    """A survey's results per question, for its whole audience or one city, post or class.
    A liaison sees their own city's only. Text answers: all of them, with a review control,
    for staff; the public ones for others."""
    survey = _survey_for(request.user, pk)
    filters = _filters(request)
    show = text_shown(request.user)
    report = results.survey_results(survey, **filters, show_text=show)
    _draw(report)
    responses = results.survey_responses(survey, **filters)
    context = {
        "survey": survey,
        "report": report,
        "score": results.evaluation_score(survey, responses) if not report.withheld else None,
        "line": satisfaction_line(),
        "filters": filters,
        "narrowed": results_city(request.user) is not None,
        "cities": Region.objects.cities(),
        "posts": Post.choices,
        "classes": _classes_of(survey),
        "reviewing": show == "all",
        "reviews": Review.choices,
        "may_export_full": may_export_full(request.user, survey),
        "background": report.responses >= BACKGROUND_FROM,
    }
    return render(request, "surveys/results.html", context)


def _classes_of(survey: Survey):
    return TrainingClass.objects.filter(
        pk__in=survey.responses.values("training_class_id")
    ).select_related("class_type")


@requires(*RESULTS_PERMS, scope=(Survey.objects.visible_to, may_read_results))
def survey_export(request, pk: int):
    """One row per response (xlsx), of the filtered group; named respondents masked unless
    the user may see people in full."""
    survey = _survey_for(request.user, pk)
    filters = _filters(request)
    full = (request.POST if request.method == "POST" else request.GET).get("full") == "1"
    if full and not may_export_full(request.user, survey):
        raise Http404
    return survey_workbook_response(request, survey, filters=filters, full=full)


@require_POST
@requires(Perm.MANAGE_RECORDS, scope=may_review)
def review(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("response"), pk=pk)
    if not may_review(request.user, answer):
        raise Http404
    try:
        answer_review(answer=answer, review=request.POST.get("review", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The answer's review is saved."))
    back = reverse_results(answer.response.survey_id)
    return redirect(f"{back}#q{answer.question_id}")


def reverse_results(survey_id: int) -> str:
    return reverse("surveys:results", args=[survey_id])


# ---- the teaching evaluation ----------------------------------------------------------------


def _own_sessions(user):
    """The sessions a user teaches (none without a teacher record)."""
    if not (has_perm(user, Perm.TEACH_SESSIONS) and user.teacher_id):
        return Session.objects.none()
    return Session.objects.filter(teacher_id=user.teacher_id)


def own_session(user, session) -> bool:
    return bool(user.teacher_id) and session.teacher_id == user.teacher_id


@requires(Perm.TEACH_SESSIONS, scope=own_session)
def my_ratings(request):
    """A teacher's own evaluation scores: per session over time, per course and per year.
    Never who gave them."""
    teacher_id = request.user.teacher_id
    sessions, courses, years = [], [], []
    if teacher_id:
        sessions = results.evaluation_scores("session", teacher_id=teacher_id)
        sessions.sort(key=lambda s: (s.key.date, s.key.start_time), reverse=True)
        courses = results.evaluation_scores("course", teacher_id=teacher_id)
        courses.sort(key=lambda s: -(s.score or 0))
        years = sorted(
            results.evaluation_scores("year", teacher_id=teacher_id), key=lambda s: s.key
        )
    trend = [Bar(str(s.key), round(s.score) if s.score is not None else None) for s in years]
    context = {
        "sessions": sessions,
        "courses": courses,
        "years": years,
        "trend": columns(_("Score by year"), trend, key="years", empty_label="—")
        if trend
        else None,
        "line": satisfaction_line(),
    }
    return render(request, "surveys/my_ratings.html", context)


@requires(Perm.TEACH_SESSIONS, scope=own_session)
def my_rating(request, pk: int):
    """One of the teacher's sessions: its score, each criterion's mean, and the comments
    reviewed as public. Another teacher's session is not found."""
    session = get_object_or_404(
        _own_sessions(request.user).select_related("course", "training_class__class_type"),
        pk=pk,
    )
    survey = Survey.objects.filter(session=session).first()
    if survey is None:
        raise Http404
    report = results.survey_results(survey, show_text="public")
    _draw(report)
    context = {
        "session": session,
        "survey": survey,
        "report": report,
        "score": None if report.withheld else results.evaluation_score(survey),
        "line": satisfaction_line(),
        "comment_role": COMMENT,
    }
    return render(request, "surveys/my_rating.html", context)


@requires(Perm.MANAGE_RECORDS)
def evaluations(request):
    """Staff's overview: the sessions below the line first, then each teacher's and each
    course's score per year. No trainee appears."""
    year = parse_int(request.GET.get("year"), low=2000, high=2100)
    by_teacher = results.evaluation_scores("teacher", year=year, by_year=True)
    by_course = results.evaluation_scores("course", year=year, by_year=True)
    for rows in (by_teacher, by_course):
        rows.sort(key=lambda s: (not s.flagged, -(s.year or 0), s.score or 0))
    flagged = [s for s in results.flagged_evaluations() if not year or s.key.date.year == year]
    years = sorted({s.key for s in results.evaluation_scores("year")} - {None}, reverse=True)
    context = {
        "flagged": flagged,
        "by_teacher": by_teacher,
        "by_course": by_course,
        "year": year,
        "years": years,
        "line": satisfaction_line(),
        "minimum": results.min_responses(),
    }
    return render(request, "surveys/evaluations.html", context)
