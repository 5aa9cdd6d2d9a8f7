"""The college settings page (administrators)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from luodi.accounts.access import Perm, public, requires
from luodi.college.forms import SettingsForm
from luodi.college.models import CollegeSettings
from luodi.college.services import settings_save
from luodi.lib.documents.http import open_upload


@requires(Perm.MANAGE_SETTINGS)
def settings_page(request):
    # Its own copy: the form writes what was typed into it, and the page's header reads the
    # request's (``load``), which must stay as saved while a field is wrong.
    college = CollegeSettings.objects.filter(pk=1).first() or CollegeSettings(pk=1)
    form = SettingsForm(request.POST or None, request.FILES or None, instance=college)
    if request.method == "POST" and form.is_valid():
        try:
            settings_save(college=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The college settings are saved."))
            return redirect("college:settings")
    return render(request, "college/settings.html", {"form": form})


@public
@cache_control(max_age=300, public=True)
@require_GET
def logo(request):
    """The college's logo for the page header, on every page (the login page too): public."""
    handle, content_type, _extension = open_upload(CollegeSettings.load().logo)
    return FileResponse(handle, content_type=content_type)
