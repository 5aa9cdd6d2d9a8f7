"""From trainee to teacher: the candidates page and the promotion (``teacher_candidates``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, requires
from luodi.cadres.models import Cadre
from luodi.lib.paging import paginate, query_without_page
from luodi.training.services.promotion import teacher_promote
from luodi.training.teacher_candidates import candidate_extras, candidates


@requires(Perm.MANAGE_RECORDS, scope=Cadre.objects.visible_to)
def teacher_candidates(request):
    context = {
        "page": paginate(request, candidates(request.user), extras=candidate_extras),
        "query": query_without_page(request),
    }
    return render(request, "training/teacher_candidates.html", context)


@require_POST
@requires(Perm.MANAGE_RECORDS, scope=Cadre.objects.visible_to)
def cadre_promote(request, pk: int):
    cadre = get_object_or_404(Cadre.objects.visible_to(request.user), pk=pk)
    try:
        teacher = teacher_promote(cadre=cadre, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("archive:teacher-candidates")
    messages.success(
        request,
        _("%(name)s is now a part-time teacher; record a political review before scheduling.")
        % {"name": teacher.name},
    )
    return redirect(teacher.get_absolute_url())
