from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "luodi.research"
    verbose_name = _("Research")

    def ready(self):
        from luodi.research import lists  # noqa: F401  (registers its list exports)
