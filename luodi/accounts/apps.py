from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "luodi.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Registered here, by the first app of the project, before any URLconf is read.
        from django.urls import register_converter

        from luodi.lib.params import IdConverter, TextConverter

        register_converter(IdConverter, "id")
        register_converter(TextConverter, "text")

        from luodi.accounts import signals  # noqa: F401 -- connects the login audit receivers
