from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class AccountsConfig(AppConfig):
    default = True  # this module also holds configs of vendored apps
    name = "luodi.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Registered here, by the first app of the project, before any URLconf is read.
        from django.urls import register_converter

        from luodi.lib.params import IdConverter, TextConverter

        register_converter(IdConverter, "id")
        register_converter(TextConverter, "text")

        from luodi.accounts import signals  # noqa: F401 -- connects the login audit receivers


# django-axes and django-otp ship no Chinese: their apps get names staff understand, and the
# model names the admin shows are listed here so that our catalogue translates them.
class LockoutConfig(AxesConfig):
    verbose_name = _("Login lockout")


class SecondFactorDevicesConfig(TOTPConfig):
    verbose_name = _("Two-step login")


VENDOR_MSGIDS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("TOTP device"),
    gettext_noop("TOTP devices"),
    # django-tasks-db's result model (its verbose names are translatable, its catalogue has
    # no Chinese), and strings of Django's own admin that its Chinese catalogue lacks: the
    # note on the add-user form and the app list's headers for screen readers.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),  # noqa: RUF001 (Django's msgid, curly quotes and all)
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
