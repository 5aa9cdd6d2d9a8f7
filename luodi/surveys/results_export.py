"""A survey's responses as an xlsx workbook: one row per response, a column per question (a
matrix: one per item; a multiple choice: the options ticked, joined), then the respondent's
city, post and class.

A named survey's row names the respondent, masked as every export masks people unless the
user may see them in full (``Perm.VIEW_FULL_ID``, on record as ``personal.export_full``). An
anonymous survey's rows name no one and come in the order of their random ids, which follows
nothing about who answered or when.

Responses are read in chunks with their answers (two queries per ``CHUNK`` responses) and
the sheet is written row by row (``tables.table_xlsx``), so memory stays flat however many
responses there are.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, has_perm
from luodi.cadres.models import Post
from luodi.lib import audit
from luodi.lib.documents import tables
from luodi.lib.documents.http import attachment
from luodi.lib.documents.text import in_chinese
from luodi.lib.documents.xlsx import XLSX
from luodi.lib.personal import mask_name
from luodi.surveys import results
from luodi.surveys.models import Answer, Question, QuestionKind, Review, Survey
from luodi.surveys.reviews import text_shown

CHUNK = 2000


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
        chunk = responses.order_by("id")
        if last is not None:
            chunk = chunk.filter(id__gt=last)
        chunk = list(chunk[:CHUNK])
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
    survey: Survey, *, user, filters: dict, full: bool = False
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
    return content, total


def survey_workbook_response(request, survey: Survey, *, filters: dict, full: bool):
    """The workbook as a download, on record; a group too small to show is not exported."""
    count = results.survey_responses(survey, **filters).count()
    if count < results.min_responses():
        back = reverse("surveys:results", args=[survey.pk])
        messages.error(request, _("Too few responses to export."))
        return redirect(back)
    content, total = survey_workbook(survey, user=request.user, filters=filters, full=full)
    audit.record(
        "personal.export_full" if full else "personal.export",
        by=request.user,
        obj=survey,
        what="surveys.responses-xlsx",
        rows=total,
        full=full,
    )
    return attachment(
        content,
        filename=f"{survey.title}.xlsx",
        fallback=f"survey-{survey.pk}.xlsx",
        content_type=XLSX,
    )
