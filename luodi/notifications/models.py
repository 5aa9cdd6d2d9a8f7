"""In-app notifications: a line of news for one user (a nomination confirmed, leave decided,
a certificate issued), with a link to where it matters, read or not yet read.

Rows are written by the background task that ``services.notify`` queues, never inside the
request that caused them; the same task sends the text to the user's phone when configured.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from luodi.lib.models import TimestampedModel


class NotificationKind(models.TextChoices):
    NOMINATION_CONFIRMED = "nomination_confirmed", _("Enrolment confirmed")
    NOMINATION_WAITLISTED = "nomination_waitlisted", _("Put on the waiting list")
    LEAVE_DECIDED = "leave_decided", _("Leave decided")
    TIMETABLE_CHANGED = "timetable_changed", _("Timetable changed")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    EXTERNAL_DECIDED = "external_decided", _("External training reviewed")
    # Defined for the surveys app, which does not exist yet: it will call
    # ``notify(kind=NotificationKind.SURVEY_DUE, ...)`` when a survey opens for a class.
    SURVEY_DUE = "survey_due", _("Survey to answer")
    DIGEST = "digest", _("Daily digest")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own notifications, whatever their role: nobody reads another's."""
        if not (user and user.is_authenticated):
            return self.none()
        return self.filter(user_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def unread_first(self):
        return self.order_by(models.F("read_at").asc(nulls_first=True), "-created_at", "-id")


class Notification(TimestampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("notification type"), max_length=30, choices=NotificationKind.choices)
    text = models.TextField(_("text"))
    # A path inside Luodi ("/checkin/"); anything else is not followed (see ``target_url``).
    url = models.CharField(_("link"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:40]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def target_url(self) -> str:
        """Where opening the notification leads: its link if it stays inside Luodi, else the
        list of notifications."""
        if self.url and url_has_allowed_host_and_scheme(self.url, allowed_hosts=None):
            return self.url
        return reverse("notifications:list")


class DailyDigest(TimestampedModel):
    """That a user's daily digest for ``day`` was sent: running the digest twice in a day
    sends it once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily digest sent")
        verbose_name_plural = _("daily digests sent")
        ordering = ["-day", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="daily_digest_once_per_day")
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}"
