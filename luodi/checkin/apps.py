from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    name = "luodi.checkin"
    verbose_name = _("Check-in")

    def ready(self):
        from luodi.checkin import (
            lists,  # noqa: F401  (registers its list exports)
            trainee_sessions,  # noqa: F401  (a trainee's class-long login)
        )
