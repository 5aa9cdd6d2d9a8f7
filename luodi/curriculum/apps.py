from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "luodi.curriculum"
    verbose_name = _("Curriculum")

    def ready(self):
        from luodi.curriculum import lists  # noqa: F401  (registers its list export)
