from auditlog.apps import AuditlogConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default = True  # this module also holds configs of vendored apps
    name = "luodi.audit"
    verbose_name = _("Audit log")

    def ready(self):
        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        from luodi.audit import history, services, triggers
        from luodi.lib import audit

        audit.set_sink(services.event_write)
        pre_save.connect(history.fill_actor, sender=LogEntry, dispatch_uid="luodi-audit-actor")
        # A table SQLite rebuilds for a later migration loses its triggers: put them back.
        post_migrate.connect(triggers.reinstall_after_migrate, sender=self)


class FieldHistoryConfig(AuditlogConfig):
    """django-auditlog under the name staff see in the admin: it keeps the field-level history
    of records, beside the audit log of events above (both were called "Audit log")."""

    verbose_name = _("Change history")
