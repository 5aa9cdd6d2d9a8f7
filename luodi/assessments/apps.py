from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "luodi.assessments"
    verbose_name = _("Assessment projects")

    def ready(self):
        from luodi.assessments import jobs  # noqa: F401  (registers its document jobs)
