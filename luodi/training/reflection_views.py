"""A class's reflections (培训心得) for whoever runs or reads the class: every trainee of the
roster with theirs (or none yet), the outstanding mark, the attachments and the booklet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luodi.accounts.access import Perm, requires
from luodi.jobs.services import job_start
from luodi.lib import audit
from luodi.lib.documents.http import file_attachment, open_upload
from luodi.training import selectors
from luodi.training.forms import ReflectionMarkForm
from luodi.training.jobs import REFLECTIONS_BOOKLET
from luodi.training.models import Reflection
from luodi.training.policies import (
    class_for,
    may_read_class_records,
    may_read_reflection,
    may_run_class,
)
from luodi.training.services import reflections


@requires(Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_read_class_records)
@require_GET
def class_reflections(request, pk: int):
    """Access: as the class's attendance page (whoever runs it; supervisors read it)."""
    training_class = class_for(request.user, pk, may_read_class_records)
    rows = selectors.class_reflections(training_class, request.user)
    if rows:
        audit.record(
            "personal.view", by=request.user, obj=training_class, what="reflections", rows=len(rows)
        )
    context = {
        "class": training_class,
        "rows": rows,
        "submitted": sum(1 for r in rows if r.reflection),
        "outstanding": sum(1 for r in rows if r.reflection and r.reflection.outstanding),
        "may_run": may_run_class(request.user, training_class),
        "may_read_records": True,
    }
    return render(request, "training/class_reflections.html", context)


def _reflection(pk: int) -> Reflection:
    return get_object_or_404(
        Reflection.objects.select_related("enrolment__training_class", "enrolment__cadre"), pk=pk
    )


@require_POST
@requires(Perm.RUN_CLASSES, scope=may_run_class)
def reflection_mark(request, pk: int):
    """Mark a reflection outstanding, with a comment, or take the mark back (the head teacher
    of its class, staff)."""
    reflection = _reflection(pk)
    training_class = reflection.enrolment.training_class
    if not may_run_class(request.user, training_class):
        raise PermissionDenied
    form = ReflectionMarkForm(request.POST)
    if form.is_valid():
        try:
            reflections.reflection_mark(
                reflection=reflection,
                outstanding=form.cleaned_data["outstanding"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            name = reflection.enrolment.cadre.name
            if form.cleaned_data["outstanding"]:
                done = _("%(name)s's reflection is marked outstanding.") % {"name": name}
            else:
                done = _("%(name)s's reflection is no longer marked outstanding.") % {"name": name}
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    back = reverse("training:class-reflections", args=[training_class.pk])
    return redirect(f"{back}#reflection-{reflection.pk}")


@requires(Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, Perm.TRAINEE_SELF, scope=may_read_reflection)
@require_GET
def reflection_attachment(request, pk: int):
    """A reflection's attached file, always as a download typed by its content: whoever may
    read the class's records, and the trainee who wrote it."""
    reflection = _reflection(pk)
    if not may_read_reflection(request.user, reflection):
        raise Http404
    handle, content_type, extension = open_upload(reflection.attachment)
    audit.record("personal.view", by=request.user, obj=reflection, what="reflection-attachment")
    cadre = reflection.enrolment.cadre
    return file_attachment(
        handle,
        filename=f"{cadre.name}培训心得附件{extension}",
        fallback=f"reflection-{reflection.pk}{extension}",
        content_type=content_type,
    )


@require_POST
@requires(Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_read_class_records)
def reflections_booklet(request, pk: int):
    """Queue the class's reflections booklet (PDF); its progress and download show on the
    class's reflections page."""
    training_class = class_for(request.user, pk, may_read_class_records)
    job_start(
        kind=REFLECTIONS_BOOKLET,
        subject=training_class,
        by=request.user,
        parameters={"class_id": training_class.pk},
    )
    return redirect("training:class-reflections", training_class.pk)
