"""Application stories (学以致用): the list (as far as the user reaches), one story, and the
staff's pages to enter, edit and promote one into the case library."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, Reach, reach, requires
from luodi.cadres.models import Cadre
from luodi.curriculum.models import Course
from luodi.jobs import exports
from luodi.lib import audit
from luodi.lib.forms import add_errors
from luodi.lib.paging import paginate, query_without_page
from luodi.regions.models import Region
from luodi.training.forms import PromoteForm, StoryForm
from luodi.training.lists import STORIES
from luodi.training.models import ApplicationStory, TrainingClass
from luodi.training.services import stories

STORY_FIELDS = tuple(StoryForm.base_fields)


def _story(request, pk: int) -> ApplicationStory:
    """The story ``pk`` if the user may read it (404 otherwise)."""
    return get_object_or_404(ApplicationStory.objects.visible_to(request.user).for_list(), pk=pk)


@requires(Perm.VIEW_CADRES, scope=ApplicationStory.objects.visible_to)
def story_list(request):
    filters = STORIES.filters_from(request.GET)
    cities = Region.objects.cities()
    if reach(request.user) == Reach.CITY:
        cities = cities.filter(pk=request.user.city_id)
    page = paginate(request, STORIES.rows(request.user, filters, None))
    audit.record("personal.view", by=request.user, what="story-list", **filters, page=page.number)
    context = {
        "page": page,
        "query": query_without_page(request),
        "filters": filters,
        "cities": cities,
        "classes": TrainingClass.objects.filter(stories__isnull=False)
        .select_related("class_type")
        .distinct()
        .order_by("-start_date"),
        "courses": Course.objects.filter(stories__isnull=False).distinct().order_by("title"),
    }
    return render(request, "training/story_list.html", context)


@requires(Perm.VIEW_CADRES, scope=ApplicationStory.objects.visible_to)
def story_list_xlsx(request):
    """The stories the list shows (same filters and reach), names and phones masked."""
    return exports.export(request, STORIES)


@requires(Perm.VIEW_CADRES, scope=ApplicationStory.objects.visible_to)
def story_detail(request, pk: int):
    return render(request, "training/story_detail.html", {"story": _story(request, pk)})


@requires(Perm.MANAGE_RECORDS, scope=Cadre.objects.visible_to)
def story_new(request, cadre_pk: int):
    """Enter a story of the cadre ``cadre_pk`` (from their archive page)."""
    cadre = get_object_or_404(
        Cadre.objects.visible_to(request.user).select_related("community"), pk=cadre_pk
    )
    form = StoryForm(request.POST or None, cadre=cadre)
    if request.method == "POST" and form.is_valid():
        try:
            story = stories.story_create(cadre=cadre, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The story has been saved."))
            return redirect(story)
    return render(request, "training/story_form.html", {"form": form, "cadre": cadre})


@requires(Perm.MANAGE_RECORDS, scope=ApplicationStory.objects.visible_to)
def story_edit(request, pk: int):
    story = _story(request, pk)
    initial = {f: getattr(story, f) for f in STORY_FIELDS}
    form = StoryForm(request.POST or None, initial=initial, cadre=story.cadre)
    if request.method == "POST" and form.is_valid():
        try:
            stories.story_update(story=story, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The story has been saved."))
            return redirect(story)
    return render(
        request, "training/story_form.html", {"form": form, "cadre": story.cadre, "story": story}
    )


@requires(Perm.MANAGE_RECORDS, scope=ApplicationStory.objects.visible_to)
def story_promote(request, pk: int):
    """Turn the story into a teaching case, its title and summary drafted from the story."""
    story = _story(request, pk)
    if story.case_id:
        messages.error(request, stories.already_promoted(story).messages[0])
        return redirect(story)
    title, summary = stories.case_draft(story)
    form = PromoteForm(request.POST or None, initial={"title": title, "summary": summary})
    if request.method == "POST" and form.is_valid():
        try:
            stories.story_promote(story=story, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The story is now a teaching case in the case library."))
            return redirect(story)
    return render(request, "training/story_promote.html", {"form": form, "story": story})
