from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "luodi.certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from luodi.certificates import jobs, lists  # noqa: F401  (registers its document jobs)
