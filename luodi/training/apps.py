from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "luodi.training"
    verbose_name = _("Training")

    def ready(self):
        from luodi.training import jobs, lists  # noqa: F401  (registers its jobs and list exports)
