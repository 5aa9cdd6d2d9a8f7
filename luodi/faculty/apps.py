from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacultyConfig(AppConfig):
    name = "luodi.faculty"
    verbose_name = _("Faculty pool")

    def ready(self):
        from luodi.faculty import lists  # noqa: F401  (registers its list export)
