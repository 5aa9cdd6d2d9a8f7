"""Research output: the summary of counts, the three lists with their filters and exports,
one project, and the staff's pages to enter and edit each kind of output."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, requires
from luodi.jobs import exports
from luodi.lib.forms import add_errors
from luodi.lib.paging import paginate, query_without_page
from luodi.research import selectors, services
from luodi.research.forms import AdvisoryForm, ProjectForm, PublicationForm, TeacherFilterForm
from luodi.research.lists import ADVISORY, PROJECTS, PUBLICATIONS
from luodi.research.models import (
    AdvisoryKind,
    AdvisoryWork,
    Level,
    Project,
    ProjectStatus,
    Publication,
    PublicationKind,
)

LINKS = ("members", "authors", "teachers", "courses")


def _edit(request, *, form_class, save, obj, key: str, template: str, back: str):
    """The one form page of every kind of output: validate, save through ``save``, back to
    ``back`` (or the saved object's page)."""
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        links = {k: data.pop(k) for k in LINKS if k in data}
        try:
            saved = save(**{key: obj}, by=request.user, **links, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(saved if hasattr(saved, "get_absolute_url") else back)
    return render(request, template, {"form": form, "obj": obj, "back": back})


def _list_context(request, spec, **extra):
    filters = spec.filters_from(request.GET)
    return {
        "page": paginate(request, spec.rows(request.user, filters, None)),
        "query": query_without_page(request),
        "filters": filters,
        "teacher_filter": TeacherFilterForm({"teacher": filters.get("teacher")}),
        **extra,
    }


@requires(Perm.VIEW_FACULTY)
def index(request):
    """Counts by year, level, funder and teacher (a page of teachers at a time: a province's
    pool is hundreds of teachers)."""
    summary = selectors.summary()
    context = {
        "summary": summary,
        "page": paginate(request, summary.by_teacher),
        "query": query_without_page(request),
    }
    return render(request, "research/index.html", context)


@requires(Perm.VIEW_FACULTY)
def project_list(request):
    context = _list_context(
        request,
        PROJECTS,
        levels=Level.choices,
        statuses=ProjectStatus.choices,
        funders=Project.objects.order_by("funder").values_list("funder", flat=True).distinct(),
    )
    return render(request, "research/project_list.html", context)


@requires(Perm.VIEW_FACULTY)
def project_list_xlsx(request):
    return exports.export(request, PROJECTS)


@requires(Perm.VIEW_FACULTY)
def project_detail(request, pk: int):
    project = get_object_or_404(Project.objects.for_list(), pk=pk)
    return render(request, "research/project_detail.html", {"project": project})


def _project_page(request, project: Project | None):
    return _edit(
        request,
        form_class=ProjectForm,
        save=services.project_save,
        obj=project,
        key="project",
        template="research/project_form.html",
        back="research:project-list",
    )


@requires(Perm.MANAGE_RECORDS)
def project_new(request):
    return _project_page(request, None)


@requires(Perm.MANAGE_RECORDS)
def project_edit(request, pk: int):
    return _project_page(request, get_object_or_404(Project, pk=pk))


@requires(Perm.VIEW_FACULTY)
def publication_list(request):
    context = _list_context(
        request,
        PUBLICATIONS,
        kinds=PublicationKind.choices,
    )
    return render(request, "research/publication_list.html", context)


@requires(Perm.VIEW_FACULTY)
def publication_list_xlsx(request):
    return exports.export(request, PUBLICATIONS)


def _publication_page(request, publication: Publication | None):
    return _edit(
        request,
        form_class=PublicationForm,
        save=services.publication_save,
        obj=publication,
        key="publication",
        template="research/output_form.html",
        back="research:publication-list",
    )


@requires(Perm.MANAGE_RECORDS)
def publication_new(request):
    return _publication_page(request, None)


@requires(Perm.MANAGE_RECORDS)
def publication_edit(request, pk: int):
    return _publication_page(request, get_object_or_404(Publication, pk=pk))


@requires(Perm.VIEW_FACULTY)
def advisory_list(request):
    context = _list_context(
        request,
        ADVISORY,
        kinds=AdvisoryKind.choices,
    )
    return render(request, "research/advisory_list.html", context)


@requires(Perm.VIEW_FACULTY)
def advisory_list_xlsx(request):
    return exports.export(request, ADVISORY)


def _advisory_page(request, work: AdvisoryWork | None):
    return _edit(
        request,
        form_class=AdvisoryForm,
        save=services.advisory_save,
        obj=work,
        key="work",
        template="research/output_form.html",
        back="research:advisory-list",
    )


@requires(Perm.MANAGE_RECORDS)
def advisory_new(request):
    return _advisory_page(request, None)


@requires(Perm.MANAGE_RECORDS)
def advisory_edit(request, pk: int):
    return _advisory_page(request, get_object_or_404(AdvisoryWork, pk=pk))
