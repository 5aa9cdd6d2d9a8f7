from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "luodi.reports"
    verbose_name = _("Reports")

    def ready(self):
        from luodi.reports import jobs  # noqa: F401  (registers its document jobs)
