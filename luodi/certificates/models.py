from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import narrow
from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel
from luodi.training.models import Enrolment


class CertificateQuerySet(CountedQuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user):
        """The certificates of the enrolments a user sees (``Enrolment.objects.visible_to``):
        all, a head teacher's classes', a liaison's city's, or a trainee's own."""
        enrolments = Enrolment.objects
        return narrow(
            self,
            user,
            city=lambda city: self.filter(enrolment__in=enrolments.in_city(city)),
            own_classes=lambda teacher: self.filter(enrolment__in=enrolments.headed_by(teacher)),
            own=lambda who: self.filter(enrolment__in=enrolments.of_user(who)),
        )

    def of_class(self, training_class):
        return self.filter(enrolment__training_class=training_class)

    def for_print(self):
        """Everything a printed certificate shows, in one query."""
        return self.select_related(
            "enrolment__cadre", "enrolment__training_class__class_type"
        ).order_by("sequence")


class Certificate(TimestampedModel):
    """A certificate of completion (结业证书): at most one per enrolment, never deleted.

    The serial reads ``LN-2026-0310-00042-K7Q2M8XD4PW9A``: prefix, class year, class id,
    sequence within the class and 13 random characters (65 bits; four before issue 7, still
    valid), so that nobody can find other certificates by counting or guessing. A mistaken
    certificate is revoked, with its reason, and stays on record; an enrolment holds at most one
    certificate in force, so a result corrected back to completed gets a new certificate beside
    the revoked one.
    """

    enrolment = models.ForeignKey(
        "training.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    serial = models.CharField(_("serial number"), max_length=48, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("number within the class"), editable=False)
    # Printed on the certificate, so kept as issued even if the record is corrected later.
    hours = models.DecimalField(_("training hours"), max_digits=5, decimal_places=1)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate of completion")
        verbose_name_plural = _("certificates of completion")
        ordering = ["-issued_at", "-id"]
        # The API's list, newest first: a page is read from the index, not sorted out of all.
        indexes = [models.Index(fields=["-issued_at", "-id"], name="certificate_newest_first")]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_in_force_per_enrolment",
                violation_error_message=_("This trainee already holds a certificate in force."),
            ),
            models.CheckConstraint(
                condition=(Q(revoked_at__isnull=True) & Q(revoke_reason=""))
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="certificate_revoked_with_reason",
                violation_error_message=_("A revoked certificate needs the reason, and only then."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0),
                name="certificate_hours_not_negative",
                violation_error_message=_("Training hours cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.serial

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_verify_url(self) -> str:
        return reverse("verify:certificate", args=[self.serial])

    def get_public_url(self) -> str:
        """The address printed in the QR code: the verification page, reachable by anyone."""
        return settings.LUODI_PUBLIC_URL.rstrip("/") + self.get_verify_url()
