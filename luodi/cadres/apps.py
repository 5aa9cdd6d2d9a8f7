from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "luodi.cadres"
    verbose_name = _("Community cadres")
