"""Training a cadre had outside the college (学时认定): a district party school's class, an
online course (网络学院), training of the civil-affairs system. Declared by the cadre or their
city's liaison with a proof, or imported from an online-learning platform's export; staff
approve, reduce or refuse it. Approved hours enter the cadre's hours ledger as external hours
(``training.ledger``)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import Perm, has_perm, narrow
from luodi.cadres.models import Cadre
from luodi.lib import uploads
from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel


class ExternalKind(models.TextChoices):
    PARTY_SCHOOL = "party_school", _("Party school class")
    ONLINE = "online", _("Online course")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil-affairs training")
    OTHER = "other", _("Other training")


class ExternalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Recognised")
    REFUSED = "refused", _("Not recognised")


class ExternalSource(models.TextChoices):
    DECLARED = "declared", _("Declared")
    IMPORTED = "imported", _("Imported from a file")


HOURS_MAX = Decimal("999.9")


class ExternalTrainingQuerySet(CountedQuerySet):
    def visible_to(self, user):
        """The declarations a user may read, as the cadres they belong to: all, those of the
        liaison's city (where the cadre works now), of a head teacher's trainees, or a
        trainee's own."""
        if not has_perm(user, Perm.VIEW_CADRES) and not has_perm(user, Perm.VIEW_OWN_ARCHIVE):
            return self.none()
        return narrow(
            self,
            user,
            city=lambda city_id: self.filter(cadre__community__city_id=city_id),
            own_classes=lambda teacher_id: self.filter(
                cadre__in=Cadre.objects.taught_by(teacher_id)
            ),
            own=lambda u: self.filter(cadre_id=u.cadre_id) if u.cadre_id else self.none(),
        )

    def approved(self):
        """The records that count in the hours ledger."""
        return self.filter(status=ExternalStatus.APPROVED)

    def pending(self):
        return self.filter(status=ExternalStatus.PENDING)


class ExternalTraining(TimestampedModel):
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        related_name="external_trainings",
    )
    kind = models.CharField(_("kind of training"), max_length=20, choices=ExternalKind.choices)
    organiser = models.CharField(_("organiser"), max_length=100)
    title = models.CharField(_("name of the training"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    hours_claimed = models.DecimalField(
        _("hours declared"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    # Stored under a random folder; downloaded only through a view that checks access.
    proof = models.FileField(
        _("certificate or proof of attendance"),
        upload_to=uploads.RandomPath("external"),
        max_length=200,
        blank=True,
    )
    proof_name = models.CharField(_("file name"), max_length=100, blank=True)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=ExternalSource.choices,
        default=ExternalSource.DECLARED,
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExternalStatus.choices, default=ExternalStatus.PENDING
    )
    # Recognised by staff (at most what was declared), and credited to the ledger: the
    # recognised hours converted by the college's rules at the time of the decision.
    hours_approved = models.DecimalField(
        _("hours recognised"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hours_credited = models.DecimalField(
        _("hours credited"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    decision_reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ExternalTrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("external training")
        verbose_name_plural = _("external training")
        ordering = ["-end_date", "-id"]
        indexes = [models.Index(fields=["cadre", "status", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="external_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(hours_claimed__gt=0, hours_claimed__lte=HOURS_MAX),
                name="external_hours_claimed_positive",
            ),
            # Approved: recognised hours, no more than declared, and credited hours; refused
            # or pending: neither. Decided: when.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=ExternalStatus.APPROVED,
                        hours_approved__gt=0,
                        hours_approved__lte=models.F("hours_claimed"),
                        hours_credited__gte=0,
                        decided_at__isnull=False,
                    )
                    | Q(
                        status=ExternalStatus.REFUSED,
                        hours_approved__isnull=True,
                        hours_credited__isnull=True,
                        decided_at__isnull=False,
                    )
                    | Q(
                        status=ExternalStatus.PENDING,
                        hours_approved__isnull=True,
                        hours_credited__isnull=True,
                    )
                ),
                name="external_decision_consistent",
            ),
            # The same training is not recorded twice for a cadre (an import run again finds
            # the row it wrote).
            models.UniqueConstraint(
                fields=["cadre", "organiser", "title", "start_date"],
                name="external_training_once",
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.organiser}"

    def get_absolute_url(self):
        return reverse("training:external-detail", args=[self.pk])

    @property
    def year(self) -> int:
        """The year the hours count for: the year the training ended."""
        return self.end_date.year

    @property
    def reduced(self) -> bool:
        return self.status == ExternalStatus.APPROVED and self.hours_approved != self.hours_claimed
