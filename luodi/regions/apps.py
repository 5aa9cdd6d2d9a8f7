from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "luodi.regions"
    verbose_name = _("Regions and communities")

    def ready(self):
        from luodi.regions import lists  # noqa: F401  (registers its list export)
