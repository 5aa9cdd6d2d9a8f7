from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimetablingConfig(AppConfig):
    name = "luodi.timetabling"
    verbose_name = _("Automatic timetabling")

    def ready(self):
        from luodi.timetabling import jobs  # noqa: F401 - registers the solving job
