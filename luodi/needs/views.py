"""Needs research records, the needs analysis and the course plan it suggests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, requires
from luodi.cadres.models import Post
from luodi.curriculum.models import Course, FieldSite, NeedTopic
from luodi.lib.paging import paginate, query_without_page
from luodi.lib.params import parse_id
from luodi.needs import analysis, plan
from luodi.needs.forms import FindingFormSet, PlannedClassForm, RecordForm, plannable_classes
from luodi.needs.loop import class_loop
from luodi.needs.models import RecordKind, ResearchRecord
from luodi.needs.services import TimetableItem, plan_to_timetable, record_save
from luodi.regions.models import Region
from luodi.timetabling import services as timetabling
from luodi.training.models import TrainingClass
from luodi.training.policies import (
    class_for,
    may_plan_class,
    may_read_archive,
    may_read_class_records,
    may_run_class,
)
from luodi.training.services.planning import class_set_target_needs

visible_records = ResearchRecord.objects.visible_to


@requires(Perm.VIEW_COMMUNITIES, scope=visible_records)
def record_list(request):
    filters = {k: request.GET.get(k, "") for k in ("city", "kind", "topic")}
    records = (
        ResearchRecord.objects.visible_to(request.user)
        .filtered(**filters)
        .select_related("city", "community")
        .prefetch_related("findings__topics")
    )
    context = {
        "page": paginate(request, records),
        "query": query_without_page(request),
        "filters": filters,
        "cities": Region.objects.cities(),
        "kinds": RecordKind.choices,
        "topics": NeedTopic.objects.all(),
    }
    return render(request, "needs/record_list.html", context)


@requires(Perm.VIEW_COMMUNITIES, scope=visible_records)
def record_detail(request, pk: int):
    record = get_object_or_404(
        visible_records(request.user).select_related("city", "community", "created_by"), pk=pk
    )
    findings = record.findings.prefetch_related("topics")
    return render(request, "needs/record_detail.html", {"record": record, "findings": findings})


def _record_form(request, record: ResearchRecord | None):
    form = RecordForm(request.POST or None, instance=record)
    initial = (
        [{"text": f.text, "topics": list(f.topics.all())} for f in record.findings.all()]
        if record
        else []
    )
    findings = FindingFormSet(request.POST or None, initial=initial, prefix="finding")
    if request.method == "POST" and form.is_valid() and findings.is_valid():
        specs = [f.spec() for f in findings if f.has_changed() or f.initial]
        try:
            saved = record_save(record=form.instance, findings=specs, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The research record is saved."))
            return redirect(saved)
    context = {"form": form, "findings": findings, "record": record}
    return render(request, "needs/record_form.html", context)


@requires(Perm.MANAGE_RECORDS)
def record_new(request):
    return _record_form(request, None)


@requires(Perm.MANAGE_RECORDS, scope=visible_records)
def record_edit(request, pk: int):
    return _record_form(request, get_object_or_404(visible_records(request.user), pk=pk))


def _group_choices(group: analysis.Group) -> dict:
    return {
        "group": group,
        "cities": Region.objects.cities(),
        "posts": Post.choices,
        "group_query": group.query(),
    }


@requires(Perm.PLAN_CLASSES)
def needs_analysis(request):
    """Choose a group; see its need topics ranked, with the evidence behind each."""
    group = analysis.Group.from_query(request.GET)
    shown = "show" in request.GET
    context = _group_choices(group) | {
        "shown": shown,
        "ranks": analysis.rank_topics(group) if shown else [],
        "class_form": PlannedClassForm(),
    }
    return render(request, "needs/analysis.html", context)


def _plan_from_post(data, options: dict, scores: dict, hours) -> plan.Plan:
    """The plan as adjusted on the page: the courses kept, one added, the teachers chosen."""
    kept = analysis.ids([*data.getlist("course"), data.get("add", "")])
    items = []
    for course_id in dict.fromkeys(kept):
        if course := options.get(course_id):
            teacher = parse_id(data.get(f"teacher-{course_id}"))
            items.append(plan.PlanItem(course, course.teacher(teacher)))
    return plan.Plan(items=items, hours_available=hours, scores=scores)


def _timetable_items(data, suggested: plan.Plan) -> list[TimetableItem]:
    courses = Course.objects.in_bulk([i.course.id for i in suggested.items])
    sites = FieldSite.objects.in_bulk()
    teachers = {t.pk: t for c in courses.values() for t in c.teachers.all()}
    items = []
    for item in suggested.items:
        site = parse_id(data.get(f"site-{item.course.id}"))
        items.append(
            TimetableItem(
                course=courses[item.course.id],
                teacher=teachers.get(item.teacher.id) if item.teacher else None,
                field_site=sites.get(site) if site is not None else None,
            )
        )
    return items


@transaction.atomic
def _solve_plan(request, training_class: TrainingClass, data, suggested: plan.Plan):
    """The plan's courses, as adjusted, into a timetable draft the solver builds; the class
    targets the needs they cover (as ``plan_to_timetable`` records)."""
    wanted = [
        timetabling.Wanted(course=i.course, teacher=i.teacher, field_site=i.field_site)
        for i in _timetable_items(data, suggested)
    ]
    class_set_target_needs(
        training_class=training_class,
        topics=NeedTopic.objects.filter(pk__in=suggested.covered),
        by=request.user,
    )
    return timetabling.draft_create(
        classes=[training_class],
        items=timetabling.items_from_courses(training_class, wanted),
        by=request.user,
    )


@requires(Perm.PLAN_CLASSES, scope=may_plan_class)
def class_plan(request):
    """Suggest a course plan for a planned class from the group's needs; adjust it; turn it
    into the class's draft timetable. Without a class: choose one."""
    data = request.POST if request.method == "POST" else request.GET
    group = analysis.Group.from_query(data)
    class_id = parse_id(data.get("class"))
    if class_id is None:
        context = _group_choices(group) | {"class_form": PlannedClassForm()}
        return render(request, "needs/plan_choose.html", context)
    # Only a class not yet running gets a plan (404 otherwise): a running class's timetable
    # changes one session at a time, with its trainees told.
    get_object_or_404(plannable_classes(), pk=class_id)
    training_class = class_for(request.user, class_id, may_plan_class)
    ranks = analysis.rank_topics(group)
    scores = plan.counted_scores((r.topic.pk, r.score) for r in ranks)
    hours = plan.class_hours(training_class)
    options = {
        o.id: o
        for o in plan.course_options(
            topic_ids=scores,
            course_ids=analysis.ids([*data.getlist("course"), data.get("add", "")]),
            day=training_class.start_date,
        )
    }
    if request.method == "POST":
        suggested = _plan_from_post(data, options, scores, hours)
    else:
        suggested = plan.suggest(scores=scores, hours=hours, courses=list(options.values()))
    errors: list[str] = []
    if request.method == "POST" and data.get("action") == "solve":
        try:
            draft = _solve_plan(request, training_class, data, suggested)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect(draft)
    if request.method == "POST" and data.get("action") == "timetable":
        try:
            sessions = plan_to_timetable(
                training_class=training_class,
                items=_timetable_items(data, suggested),
                topic_ids=suggested.covered,
                by=request.user,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("%(n)s sessions were added to the draft timetable.") % {"n": len(sessions)},
            )
            return redirect(reverse("training:timetable-edit", args=[training_class.pk]))
    in_plan = {i.course.id for i in suggested.items}
    context = _group_choices(group) | {
        "class": training_class,
        "plan": suggested,
        "ranks": [r for r in ranks if r.topic.pk in scores],
        "covered": set(suggested.covered),
        "others": Course.objects.filter(is_active=True).exclude(pk__in=in_plan),
        "field_sites": FieldSite.objects.all(),
        "errors": errors,
        "over_hours": suggested.hours > hours,
    }
    return render(request, "needs/plan.html", context)


@requires(Perm.PLAN_CLASSES, Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_read_archive)
def loop(request, pk: int):
    """A class's needs, need by need: demand before, coverage, met after, applied later."""
    training_class = class_for(request.user, pk, may_read_archive)
    context = {
        "class": training_class,
        "loop": class_loop(training_class, request.user),
        "may_read_records": may_read_class_records(request.user, training_class),
        "may_run": may_run_class(request.user, training_class),
    }
    return render(request, "needs/loop.html", context)
