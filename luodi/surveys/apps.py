from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "luodi.surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from luodi.surveys import results_export  # noqa: F401  (registers its document job)
