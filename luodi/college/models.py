"""The college's own settings: one row, edited by administrators in the admin.

Kept minimal on purpose (name, seal, the date certificates carry, how training outside the
college counts in the hours ledger); a later issue builds the full college settings on this model.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel


class CertificateDate(models.TextChoices):
    CLASS_END = "class_end", _("The last day of the class")
    ISSUED = "issued", _("The day the certificate was issued")


class CollegeSettings(TimestampedModel):
    name = models.CharField(
        _("college name"),
        max_length=100,
        blank=True,
        help_text=_(
            "As printed on certificates and documents. Empty: the name the server is "
            "configured with."
        ),
    )
    seal = models.ImageField(
        _("seal image"),
        upload_to="college/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_(
            "A scan of the college's seal, printed over the date on certificates. A PNG "
            "with a transparent background looks best."
        ),
    )
    certificate_date = models.CharField(
        _("date on certificates"),
        max_length=20,
        choices=CertificateDate.choices,
        default=CertificateDate.CLASS_END,
    )
    # The hours ledger beyond the college (学时认定): how external training counts.
    online_hours_rate = models.DecimalField(
        _("online hours rate"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
        help_text=_(
            "An online course's recognised hours are credited at this rate (1.00: in full; "
            "0.50: half)."
        ),
    )
    external_hours_cap = models.DecimalField(
        _("yearly cap on external hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "The most hours of training outside the college that count for a cadre in one "
            "year. Empty: no cap."
        ),
    )

    # Its cap on external hours counts in the figures: a change makes a new data version.
    objects = CountedQuerySet.as_manager()

    class Meta:
        verbose_name = _("college settings")
        verbose_name_plural = _("college settings")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="college_settings_singleton"),
            models.CheckConstraint(
                condition=models.Q(online_hours_rate__gt=0, online_hours_rate__lte=1),
                name="college_online_rate_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(external_hours_cap__isnull=True)
                | models.Q(external_hours_cap__gte=0),
                name="college_external_cap_not_negative",
            ),
        ]

    def __str__(self):
        return str(self.printed_name)

    @classmethod
    def load(cls) -> "CollegeSettings":
        """The college's settings; defaults until an administrator saves them."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def save(self, *args, **kwargs):
        """Always the one row: a new instance replaces the saved settings, keeping the date
        they were first saved."""
        self.pk = 1
        if self.created_at is None:
            first = CollegeSettings.objects.filter(pk=1).values_list("created_at", flat=True)
            self.created_at = first.first() or timezone.now()
        super().save(*args, **kwargs)

    @property
    def printed_name(self) -> str:
        """The name documents carry: in Chinese, whatever the reader's interface language."""
        if self.name:
            return self.name
        with translation.override("zh-hans"):
            return str(settings.LUODI_COLLEGE_NAME)

    def seal_bytes(self) -> bytes | None:
        if not self.seal:
            return None
        with self.seal.open("rb") as f:
            return f.read()
