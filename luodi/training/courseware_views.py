"""A session's courseware, uploaded in the app by its teacher (or whoever runs its class)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, requires
from luodi.lib import uploads
from luodi.training.forms import CoursewareForm
from luodi.training.models import Session
from luodi.training.policies import may_run_session
from luodi.training.services.courseware import courseware_add


@requires(Perm.RUN_CLASSES, Perm.TEACH_SESSIONS, scope=may_run_session)
def session_courseware(request, pk: int):
    session = get_object_or_404(
        Session.objects.select_related("training_class__class_type", "course"), pk=pk
    )
    if not may_run_session(request.user, session):
        raise PermissionDenied
    form = CoursewareForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            courseware_add(
                session=session,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("file" if isinstance(exc, uploads.Refused) else None, exc)
        else:
            messages.success(request, _("Courseware added."))
            return redirect("training:session-courseware", pk=session.pk)
    context = {
        "session": session,
        "form": form,
        "items": session.courseware.select_related("uploaded_by").order_by("title"),
    }
    return render(request, "training/session_courseware.html", context)
