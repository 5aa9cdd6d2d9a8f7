"""Automatic timetabling pages: build a draft from a class's timetable or a term's, watch it
solve, pin sessions and solve again, accept it."""

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from luodi.accounts.access import Perm, requires
from luodi.faculty.models import Teacher
from luodi.jobs import kinds as job_kinds
from luodi.jobs.models import Job
from luodi.jobs.services import subject_of
from luodi.lib.params import parse_id
from luodi.timetabling import services
from luodi.timetabling.models import Draft
from luodi.timetabling.problem import class_slots
from luodi.timetabling.slots import SLOT_TIMES
from luodi.training.models import (
    NOT_STARTED_STATUSES,
    ClassType,
    Session,
    TimeSlot,
    TrainingClass,
)
from luodi.training.policies import class_for, may_plan_class

visible_drafts = Draft.objects.visible_to


def _options(request) -> dict:
    return {
        "use_evenings": request.POST.get("use_evenings") == "on",
        "allow_holidays": request.POST.get("allow_holidays") == "on",
    }


@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
@require_POST
def class_draft(request, pk: int):
    """Re-arrange a class's current timetable automatically (a class with no sessions yet
    gets its courses from the course plan first)."""
    training_class = class_for(request.user, pk, may_plan_class)
    if not training_class.sessions.exists():
        messages.info(request, _("Choose the class's courses first: the plan suggests them."))
        return redirect(f"{reverse('needs:plan')}?class={training_class.pk}")
    try:
        draft = services.draft_for_timetables(
            classes=[training_class], by=request.user, **_options(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("training:timetable-edit", args=[training_class.pk]))
    return redirect(draft)


def _term_classes(year: int, half: int, class_type: int | None):
    start = dt.date(year, 1 if half == 1 else 7, 1)
    end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
    classes = TrainingClass.objects.filter(
        start_date__range=(start, end),
        start_date__gt=timezone.localdate(),
        status__in=NOT_STARTED_STATUSES,
    )
    if class_type is not None:
        classes = classes.filter(class_type_id=class_type)
    return classes.select_related("class_type").order_by("start_date", "id")


# Classes listed (the earliest); a province's half-year holds hundreds, more than one draft
# can place at once: the page asks to narrow by class type for the rest.
TERM_SHOWN = 60


@requires(Perm.PLAN_CLASSES)
def term(request):
    """Schedule a half-year's classes together: their timetables re-arranged at once, the
    teachers they share never in two places."""
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else request.GET
    year = parse_id(data.get("year")) or today.year
    half = 2 if data.get("half") == "2" or (not data.get("half") and today.month > 6) else 1
    class_type = parse_id(data.get("class_type"))
    found = _term_classes(year, half, class_type) if 2000 <= year <= 2100 else None
    classes = list(found[: TERM_SHOWN + 1]) if found is not None else []
    more = found.count() - TERM_SHOWN if len(classes) > TERM_SHOWN else 0
    classes = classes[:TERM_SHOWN]
    counts = dict(
        Session.objects.filter(training_class__in=classes)
        .values_list("training_class")
        .annotate(n=Count("id"))
        .order_by()
    )
    errors = []
    if request.method == "POST":
        chosen_ids = {parse_id(v) for v in request.POST.getlist("class")}
        chosen = [c for c in classes if c.pk in chosen_ids and counts.get(c.pk)]
        if not chosen:
            errors.append(_("Choose at least one class that has a timetable."))
        else:
            try:
                draft = services.draft_for_timetables(
                    classes=chosen, by=request.user, **_options(request)
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                return redirect(draft)
    context = {
        "year": year,
        "half": half,
        "years": range(today.year, today.year + 2),
        "class_types": ClassType.objects.order_by("name"),
        "class_type": class_type,
        "rows": [(c, counts.get(c.pk, 0)) for c in classes],
        "more": more,
        "errors": errors,
    }
    return render(request, "timetabling/term.html", context)


def _grid(draft: Draft, classes: list[TrainingClass]) -> list[dict]:
    """Per class: its days × slots, each cell with the proposed session and whether it moved
    from the current timetable."""
    items = {i["key"]: i for i in draft.items()}
    teachers = dict(
        Teacher.objects.filter(
            pk__in={p.get("teacher") for p in draft.proposal if p.get("teacher")}
        ).values_list("pk", "name")
    )
    pinned = draft.pinned()
    at: dict[tuple, list[dict]] = defaultdict(list)
    for p in draft.proposal:
        item = items.get(p["item"])
        if item is None:
            continue
        current = item.get("current")
        at[(item["class"], p["day"], p["slot"])].append(
            {
                "key": p["item"],
                "item": item,
                "teacher": teachers.get(p.get("teacher"), ""),
                "moved": bool(current) and current != [p["day"], p["slot"]],
                "new": not current,
                "was": f"{current[0]} {TimeSlot(current[1]).label}" if current else "",
                "pinned": p["item"] in pinned,
            }
        )
    grids = []
    for training_class in classes:
        slots = class_slots(training_class, evenings=draft.use_evenings)
        names = [n for n in SLOT_TIMES if draft.use_evenings or n != "evening"]
        days = defaultdict(list)
        for slot in slots:
            days[slot.day].append(at.get((training_class.pk, slot.day.isoformat(), slot.name), []))
        cells = [c for row in days.values() for cell in row for c in cell]
        grids.append(
            {
                "class": training_class,
                "slots": [TimeSlot(n).label for n in names],
                "days": list(days.items()),
                "moved": sum(1 for c in cells if c["moved"]),
                "resolving": any(c["item"].get("current") for c in cells),
                "sessions_now": training_class.sessions_now,
                "hours": draft.spec.get("hours", {}).get(str(training_class.pk)),
            }
        )
    return grids


def _context(draft: Draft) -> dict:
    classes = list(
        draft.classes.select_related("class_type")
        .annotate(sessions_now=Count("sessions"))
        .order_by("start_date", "id")
    )
    job = Job.objects.filter(subject=subject_of(draft)).order_by("-created_at", "-id").first()
    return {
        "draft": draft,
        "job": job if draft.is_busy else None,
        "label": job and job_kinds.get(job.kind).label,
        "grids": _grid(draft, classes) if draft.proposal else [],
        "classes": classes,
        "gap_percent": None if draft.gap is None else round(100 * draft.gap, 1),
    }


def _draft_for(request, pk: int) -> Draft:
    return get_object_or_404(visible_drafts(request.user), pk=pk)


@requires(Perm.PLAN_CLASSES, scope=visible_drafts)
@never_cache
@require_GET
def draft_page(request, pk: int):
    draft = _draft_for(request, pk)
    template = "timetabling/_draft.html" if request.htmx else "timetabling/draft.html"
    return render(request, template, _context(draft))


@requires(Perm.PLAN_CLASSES, scope=visible_drafts)
@require_POST
def draft_resolve(request, pk: int):
    draft = _draft_for(request, pk)
    try:
        services.draft_resolve(
            draft=draft, pinned=request.POST.getlist("pin"), by=request.user, **_options(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(draft)


@requires(Perm.PLAN_CLASSES, scope=visible_drafts)
@require_POST
def draft_accept(request, pk: int):
    draft = _draft_for(request, pk)
    try:
        sessions = services.draft_accept(draft=draft, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(draft)
    messages.success(
        request, _("The timetable is accepted: %(n)s sessions.") % {"n": len(sessions)}
    )
    first = draft.classes.order_by("start_date", "id").first()
    if first is None:
        return redirect(draft)
    return redirect(reverse("training:timetable-edit", args=[first.pk]))
