from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "luodi.cadres"
    verbose_name = _("Community cadres")

    def ready(self):
        from luodi.cadres import lists  # noqa: F401  (registers its list export)
