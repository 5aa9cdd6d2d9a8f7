"""Survey pages: staff build and open surveys; trainees answer on their phones (or anyone with a
one-time code); the classroom screen shows a session's evaluation QR code."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, has_perm, public, requires
from luodi.lib import qr
from luodi.surveys import blueprints, services
from luodi.surveys.forms import CodeEntryForm, CodesForm, NewSurveyForm, QuestionForm
from luodi.surveys.models import Audience, Participation, Purpose, Question, Survey
from luodi.training.models import Session
from luodi.training.policies import may_run_session

VISIBLE = Survey.objects.visible_to


def _survey(request, pk: int) -> Survey:
    surveys = VISIBLE(request.user).select_related("training_class__class_type", "session")
    return get_object_or_404(surveys, pk=pk)


@requires(Perm.PLAN_CLASSES, Perm.RUN_CLASSES, scope=VISIBLE)
def index(request):
    surveys = (
        VISIBLE(request.user)
        .select_related("training_class__class_type", "session__course")
        .order_by("-opens_at", "-id")
    )
    purpose = request.GET.get("purpose", "")
    if purpose:
        surveys = surveys.filter(purpose=purpose)
    page = surveys[: settings.LUODI_PAGE_SIZE]
    counts = dict(
        Participation.objects.filter(survey__in=[s.pk for s in page])
        .values_list("survey")
        .annotate(n=Count("id"))
    )
    rows = [(s, counts.get(s.pk, 0)) for s in page]
    context = {"rows": rows, "purpose": purpose, "purposes": Purpose.choices}
    return render(request, "surveys/index.html", context)


@requires(Perm.PLAN_CLASSES)
def new(request):
    form = NewSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = _start(form, data, request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The survey is drafted: check its questions, then open it.")
            )
            return redirect(survey)
    return render(request, "surveys/new.html", {"form": form})


def _start(form: NewSurveyForm, data: dict, user) -> Survey:
    start, training_class = data["start"], data.get("training_class")
    common = {"by": user}
    if start == Purpose.NEEDS:
        survey = blueprints.needs_questionnaire(
            **common,
            title=data.get("title", ""),
            audience=form.audience,
            cities=data.get("cities") or (),
            posts=data.get("posts") or (),
            training_class=training_class,
            anonymous=data.get("anonymous", False),
            closes_at=data.get("closes_at"),
        )
    elif start in blueprints.BLUEPRINTS:
        survey = blueprints.BLUEPRINTS[start](training_class=training_class, **common)
    else:
        survey = services.survey_create(
            **common,
            title=data["title"],
            purpose=data["purpose"],
            audience=form.audience,
            anonymous=data.get("anonymous", False),
            training_class=training_class,
            cities=data.get("cities") or (),
            posts=data.get("posts") or (),
            closes_at=data.get("closes_at"),
            questions=(),
            allow_empty=True,
        )
    return survey


@requires(Perm.PLAN_CLASSES, Perm.RUN_CLASSES, scope=VISIBLE)
def detail(request, pk: int):
    survey = _survey(request, pk)
    questions = list(survey.questions.select_related("show_if"))
    context = {
        "survey": survey,
        "questions": questions,
        "answered": survey.participations.count(),
        "expected": len(services.audience_user_ids(survey)),
        "frozen": survey.is_frozen,
        "is_open": survey.is_open(),
        "question_form": QuestionForm(questions=questions),
        "codes_form": CodesForm() if survey.audience == Audience.OPEN else None,
        "link": _public_link(survey),
        "may_edit": has_perm(request.user, Perm.PLAN_CLASSES),
    }
    if survey.published_at:
        context["qr"] = qr.qr_svg(context["link"])
    return render(request, "surveys/detail.html", context)


def _public_link(survey: Survey) -> str:
    name = "surveys:code" if survey.audience == Audience.OPEN else "surveys:answer"
    return settings.LUODI_PUBLIC_URL.rstrip("/") + reverse(name, args=[survey.pk])


@requires(Perm.PLAN_CLASSES, scope=VISIBLE)
@require_POST
def question_add(request, pk: int):
    survey = _survey(request, pk)
    questions = list(survey.questions.all())
    form = QuestionForm(request.POST, questions=questions)
    if form.is_valid():
        try:
            services.question_add(survey=survey, spec=form.spec(), by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Question added."))
    else:
        messages.error(
            request,
            _("The question was not added: %(errors)s")
            % {"errors": " ".join(m for ms in form.errors.values() for m in ms)},
        )
    return redirect(survey)


@requires(Perm.PLAN_CLASSES, scope=VISIBLE)
@require_POST
def question_delete(request, pk: int, question_id: int):
    survey = _survey(request, pk)
    question = get_object_or_404(Question, survey=survey, pk=question_id)
    try:
        services.question_delete(question=question, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(survey)


@requires(Perm.PLAN_CLASSES, scope=VISIBLE)
@require_POST
def publish(request, pk: int):
    survey = _survey(request, pk)
    try:
        services.survey_publish(survey=survey, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The survey is open to its respondents."))
    return redirect(survey)


@requires(Perm.PLAN_CLASSES, scope=VISIBLE)
@require_POST
def close(request, pk: int):
    services.survey_close(survey=_survey(request, pk), by=request.user)
    messages.success(request, _("The survey is closed."))
    return redirect("surveys:detail", pk)


@requires(Perm.PLAN_CLASSES, scope=VISIBLE)
@require_POST
@never_cache
def codes(request, pk: int):
    """Issue one-time codes: shown once, on this page, to print or send."""
    survey = _survey(request, pk)
    form = CodesForm(request.POST)
    issued: list[str] = []
    if form.is_valid():
        try:
            issued = services.codes_issue(
                survey=survey, count=form.cleaned_data["count"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(survey)
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect(survey)
    context = {"survey": survey, "codes": issued, "link": _public_link(survey)}
    return render(request, "surveys/codes.html", context)


# Answering -----------------------------------------------------------------------------------


def _fields(questions, data, errors) -> list[dict]:
    """What the answering form shows for each question: its inputs' current values."""
    fields = []
    for q in questions:
        values = data.getlist(f"q{q.pk}") if data else []
        items = [
            (i, text, (data.get(f"q{q.pk}_{i}", "") if data else ""))
            for i, text in enumerate(q.options)
        ]
        fields.append(
            {
                "q": q,
                "values": values,
                "value": values[0] if values else "",
                "items": items,
                "scale": list(q.scale),
                "options": [(i, text, str(i) in values) for i, text in enumerate(q.options)],
                "error": errors.get(q.pk, ""),
            }
        )
    return fields


def _answer_page(request, survey: Survey, *, code: str = "", submit: bool | None = None):
    questions = list(survey.questions.all())
    errors: dict[int, str] = {}
    submit = request.method == "POST" if submit is None else submit
    if submit:
        try:
            services.response_submit(
                survey=survey,
                data=request.POST,
                user=request.user if request.user.is_authenticated and not code else None,
                code=code,
            )
        except services.AnswerRefused as exc:
            return render(
                request, "surveys/closed.html", {"survey": survey, "why": exc.messages[0]}
            )
        except ValidationError as exc:
            errors = {int(k): v[0] for k, v in exc.message_dict.items()}
        else:
            return render(
                request,
                "surveys/thanks.html",
                {"survey": survey, "draft_key": _draft_key(request, survey, code)},
            )
    context = {
        "survey": survey,
        "fields": _fields(questions, request.POST if submit else None, errors),
        "errors": errors,
        "code": code,
        "draft_key": _draft_key(request, survey, code),
    }
    return render(request, "surveys/answer.html", context, status=400 if errors else 200)


def _draft_key(request, survey: Survey, code: str) -> str:
    """The browser keeps a draft under this key (static/luodi/survey.js): per survey and
    account, so two people sharing a phone do not see each other's answers."""
    who = f"u{request.user.pk}" if request.user.is_authenticated and not code else "code"
    return f"luodi-survey-{survey.pk}-{who}"


@requires(Perm.TRAINEE_SELF, scope=services.may_answer)
@never_cache
def answer(request, pk: int):
    survey = get_object_or_404(Survey.objects.select_related("training_class"), pk=pk)
    if survey.audience == Audience.OPEN:
        return redirect("surveys:code", pk)
    if not services.may_answer(request.user, survey):
        raise PermissionDenied
    why = _why_not(survey) or (
        _("You have already answered this survey. Thank you.")
        if services.has_answered(survey, request.user)
        else ""
    )
    if why:
        return render(request, "surveys/closed.html", {"survey": survey, "why": why})
    return _answer_page(request, survey)


def _why_not(survey: Survey) -> str:
    try:
        services.check_open(survey)
    except services.AnswerRefused as exc:
        return exc.messages[0]
    return ""


@public
@never_cache
def code(request, pk: int):
    """An open survey: enter the one-time code, then answer (the code travels with the form)."""
    survey = get_object_or_404(Survey, pk=pk, audience=Audience.OPEN, published_at__isnull=False)
    if why := _why_not(survey):
        return render(request, "surveys/closed.html", {"survey": survey, "why": why})
    form = CodeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entered = form.cleaned_data["code"]
        found = services.code_for(survey, entered)
        if found is not None and not Participation.objects.filter(code=found).exists():
            return _answer_page(request, survey, code=entered, submit="answering" in request.POST)
        form.add_error("code", _("This code is not valid for this survey, or has been used."))
    return render(request, "surveys/code.html", {"survey": survey, "form": form})


# The classroom screen --------------------------------------------------------------------------


def _session(request, pk: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("training_class__class_type", "course", "teacher"), pk=pk
    )
    if not may_run_session(request.user, session):
        raise PermissionDenied
    return session


@requires(Perm.RUN_CLASSES, Perm.TEACH_SESSIONS, scope=may_run_session)
@require_POST
def session_evaluation(request, pk: int):
    """Open the session's evaluation (made once) and show its QR code on the screen."""
    session = _session(request, pk)
    blueprints.session_evaluation(session=session, by=request.user)
    if request.htmx:  # the check-in screen switching itself over
        return HttpResponse(headers={"HX-Redirect": reverse("surveys:screen", args=[pk])})
    return redirect("surveys:screen", pk)


@requires(Perm.RUN_CLASSES, Perm.TEACH_SESSIONS, scope=may_run_session)
@never_cache
def screen(request, pk: int):
    session = _session(request, pk)
    survey = get_object_or_404(Survey, session=session)
    context = {
        "session": session,
        "survey": survey,
        "answered": survey.participations.count(),
        "expected": len(services.audience_user_ids(survey)),
        "is_open": survey.is_open(),
        "not_yet": timezone.now() < survey.opens_at,
        "qr": qr.qr_svg(_public_link(survey)),
        "now": timezone.now(),
    }
    template = "surveys/_screen_live.html" if request.htmx else "surveys/screen.html"
    return render(request, template, context)
