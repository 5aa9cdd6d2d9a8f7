"""The audit log: one append-only row per event (who, when, from where, what, to which record,
with what outcome). Rows are written by ``luodi.lib.audit.record`` and never changed; only
``manage.py purge_audit`` deletes them, and only once they are past the retention period."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete an audit row through the application."""


def _refuse(what: str):
    raise AppendOnlyError(f"The audit log is append-only: {what} is refused.")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse("update()")

    def delete(self):
        _refuse("delete()")

    def search(self, text: str) -> "AuditEventQuerySet":
        if not text:
            return self
        return self.filter(
            models.Q(event__icontains=text)
            | models.Q(username__icontains=text)
            | models.Q(object_repr__icontains=text)
            | models.Q(ip__startswith=text)
        )

    def purge_before(self, cutoff) -> int:
        """Delete the rows recorded before ``cutoff``: the purge command's path, the only
        one that deletes (the database itself refuses rows younger than the retention)."""
        count, _ = models.QuerySet.delete(self.filter(at__lt=cutoff))
        return count


class Outcome(models.TextChoices):
    OK = "ok", _("Done")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class AuditEvent(models.Model):
    """One audited event. Deliberately without ``updated_at``: a row never changes."""

    at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,  # the only change the database lets through
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the (user, at) index serves lookups by user
    )
    # The username at the time, kept when the account is deleted or renamed.
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    event = models.CharField(_("event"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object ID"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, default=Outcome.OK)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        # Every check-in writes a row: few indexes, for the searches that need them (a
        # username or an IP address is searched within a time range, read from "at").
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["user", "at"], name="audit_user_at"),
            models.Index(fields=["event", "at"], name="audit_event_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.event}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse("changing a row")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse("deleting a row")
