from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "luodi.imports"
    verbose_name = _("Imports")

    def ready(self):
        from luodi.imports import (  # noqa: F401  (registers the kinds and the jobs)
            cadres,
            communities,
            enrolments,
            external,
            history,
            jobs,
            teachers,
        )
