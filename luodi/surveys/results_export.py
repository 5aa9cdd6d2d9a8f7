"""A survey's responses as an xlsx workbook: one row per response, a column per question (a
matrix: one per item; a multiple choice: the options ticked, joined), then the respondent's
city, post and class.

A named survey's row names the respondent, masked as every export masks people unless the
user may see them in full (``Perm.VIEW_FULL_ID``, on record as ``personal.export_full``). An
anonymous survey's rows name no one and come in the order of their random ids, which follows
nothing about who answered or when.

Responses are read in chunks with their answers (two queries per ``CHUNK`` responses) and
the sheet is written row by row (``tables.table_xlsx``), so memory stays flat however many
responses there are. From ``BACKGROUND_FROM`` responses the workbook is a background job
(``jobs``), whose progress and download show on the results page.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from luodi.accounts.access import Perm, has_perm
from luodi.cadres.models import Post
from luodi.jobs.kinds import Document, JobError, JobKind, register
from luodi.jobs.services import job_start
from luodi.lib import audit
from luodi.lib.documents import tables
from luodi.lib.documents.http import attachment
from luodi.lib.documents.text import in_chinese
from luodi.lib.documents.xlsx import XLSX
from luodi.lib.personal import mask_name
from luodi.surveys import results
from luodi.surveys.models import Answer, Question, QuestionKind, Review, Survey
from luodi.surveys.reviews import may_read_results, text_shown

CHUNK = 2000
BACKGROUND_FROM = 5000  # responses: a workbook this large is made by a background job
KIND = "surveys.responses-xlsx"
FILTERS = ("city_id", "post", "class_id")


def may_export_full(user, survey: Survey) -> bool:
    return not survey.anonymous and has_perm(user, Perm.VIEW_FULL_ID)


def _answer_cell(question: Question, item: int | None = None):
    def cell(record) -> Any:
        found = record["answers"].get(question.pk, [])
        if question.kind == QuestionKind.MATRIX:
            return next((a.value for a in found if a.item == item), None)
        if question.kind == QuestionKind.RATING:
            return found[0].value if found else None
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            labels = [
                question.options[a.value]
                for a in sorted(found, key=lambda a: a.value)
                if a.value is not None and 0 <= a.value < len(question.options)
            ]
            return "；".join(labels) or None
        return found[0].text if found else None

    return cell


def columns(survey: Survey, questions: list[Question]) -> list[tables.Column]:
    found: list[tables.Column] = []
    if not survey.anonymous:
        found.append(
            tables.Column(
                _("Name"),
                10,
                lambda r: mask_name(r["response"].cadre.name) if r["response"].cadre else "",
                full=lambda r: r["response"].cadre.name if r["response"].cadre else "",
            )
        )
        found.append(
            tables.Column(
                _("Submitted at"), 17, lambda r: r["response"].submitted_at, tables.Kind.DATETIME
            )
        )
    for n, q in enumerate(questions, start=1):
        if q.kind == QuestionKind.MATRIX:
            found += [
                tables.Column(
                    f"{n}. {q.text}：{label}", 14, _answer_cell(q, item), tables.Kind.NUMBER
                )
                for item, label in enumerate(q.options)
            ]
        else:
            kind = tables.Kind.NUMBER if q.kind == QuestionKind.RATING else tables.Kind.TEXT
            width = 40 if q.kind == QuestionKind.LONG_TEXT else 18
            found.append(tables.Column(f"{n}. {q.text}", width, _answer_cell(q), kind))
    posts = dict(Post.choices)
    found += [
        tables.Column(
            _("City"), 10, lambda r: r["response"].city.name if r["response"].city else ""
        ),
        tables.Column(_("Post"), 12, lambda r: posts.get(r["response"].post, "")),
        tables.Column(
            _("Class"),
            30,
            lambda r: r["response"].training_class.title if r["response"].training_class else "",
        ),
    ]
    return found


def records(survey: Survey, filters: dict, *, show_text: str) -> Iterator[dict]:
    """Each response of the group with its answers by question, in id order."""
    responses = results.survey_responses(survey, **filters).select_related(
        "city", "training_class__class_type", *(() if survey.anonymous else ("cadre",))
    )
    last = None
    while True:
        page = responses.order_by("id")
        if last is not None:
            page = page.filter(id__gt=last)
        chunk = list(page[:CHUNK])
        if not chunk:
            return
        answers = Answer.objects.filter(response__in=[r.pk for r in chunk]).only(
            "response_id", "question_id", "item", "value", "text", "review"
        )
        if show_text != "all":
            # Text answers not reviewed as public stay out, as on the page.
            answers = answers.exclude(~Q(text=""), ~Q(review=Review.PUBLIC))
        grouped: dict[Any, dict[int, list[Answer]]] = defaultdict(lambda: defaultdict(list))
        for a in answers:
            grouped[a.response_id][a.question_id].append(a)
        for response in chunk:
            yield {"response": response, "answers": grouped.get(response.pk, {})}
        last = chunk[-1].pk


@in_chinese
def survey_workbook(
    survey: Survey, *, user, filters: dict, full: bool = False, progress=None
) -> tuple[bytes, int]:
    questions = list(survey.questions.all())
    total = results.survey_responses(survey, **filters).count()
    content = tables.table_xlsx(
        title=survey.title,
        subtitle=f"共{total}份答卷",
        columns=columns(survey, questions),
        records=records(survey, filters, show_text=text_shown(user)),
        sheet=_("Responses"),
        full=full,
        total=total,
    )
    if full:
        audit.record(
            "personal.export_full", by=user, obj=survey, what=KIND, rows=total, fields="name"
        )
    return content, total


def survey_workbook_response(request, survey: Survey, *, filters: dict, full: bool):
    """The workbook as a download, on record, or for a large group a queued job and back to
    the results page (POST). A group too small to show is not exported."""
    count = results.survey_responses(survey, **filters).count()
    back = reverse("surveys:results", args=[survey.pk])
    if count < results.min_responses():
        messages.error(request, _("Too few responses to export."))
        return redirect(back)
    if count >= BACKGROUND_FROM:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        parameters = {k: str(v) for k, v in filters.items() if v}
        if full:
            parameters["full"] = "1"
        job_start(kind=KIND, subject=survey, by=request.user, parameters=parameters)
        messages.success(request, _("The workbook is being prepared; it appears below."))
        return redirect(back)
    content, total = survey_workbook(survey, user=request.user, filters=filters, full=full)
    audit.record("personal.export", by=request.user, obj=survey, what=KIND, rows=total, full=full)
    return attachment(
        content,
        filename=f"{survey.title}.xlsx",
        fallback=f"survey-{survey.pk}.xlsx",
        content_type=XLSX,
    )


def _filters_of(job) -> dict:
    found: dict[str, Any] = {k: job.parameters.get(k) or None for k in FILTERS}
    for key in ("city_id", "class_id"):
        found[key] = int(found[key]) if found[key] else None
    found["post"] = found["post"] or ""
    return found


def _survey_of(job) -> Survey:
    _label, pk = job.subject_parts
    survey = Survey.objects.filter(pk=pk).first()
    if survey is None:
        raise JobError(_("The survey has been deleted."))
    return survey


def _may_use(user, job) -> bool:
    """Whoever may still read the survey's results (and, for names in full, see them)."""
    survey = Survey.objects.filter(pk=job.subject_parts[1]).first()
    if survey is None or not may_read_results(user, survey):
        return False
    return job.parameters.get("full") != "1" or may_export_full(user, survey)


def _build(job, progress) -> Document:
    survey = _survey_of(job)
    user = job.requested_by
    if not may_read_results(user, survey):  # withdrawn since the job was queued
        raise JobError(_("You may no longer read this survey's results."))
    full = job.parameters.get("full") == "1" and may_export_full(user, survey)
    content, _total = survey_workbook(
        survey, user=user, filters=_filters_of(job), full=full, progress=progress
    )
    return Document(content=content, filename=f"{survey.title}.xlsx", content_type=XLSX)


register(JobKind(name=KIND, label=_lazy("Survey responses (xlsx)"), build=_build, may_use=_may_use))
