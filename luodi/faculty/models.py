from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.cadres.models import validate_phone
from luodi.lib import pinyin
from luodi.lib.crypto import EncryptedCharField
from luodi.lib.models import TimestampedModel


class TeacherKind(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class ExpertiseTag(TimestampedModel):
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("expertise tag")
        verbose_name_plural = _("expertise tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TeacherQuerySet(models.QuerySet):
    def cleared(self):
        """Teachers whose political review has passed: the only ones who may be scheduled."""
        return self.filter(review_status=ReviewStatus.PASSED)


class Teacher(TimestampedModel):
    """A member of the faculty pool (师资库), full-time or part-time."""

    name = models.CharField(_("full name"), max_length=30)
    name_pinyin = models.CharField(max_length=120, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=TeacherKind.choices)
    source_unit = models.CharField(_("source unit"), max_length=100)
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("expertise"), blank=True, related_name="teachers"
    )
    phone = EncryptedCharField(  # encrypted at rest, like a cadre's
        _("mobile phone"), max_length=11, blank=True, validators=[validate_phone]
    )
    bio = models.TextField(_("biography"), blank=True)
    review_status = models.CharField(
        _("political review"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    cadre = models.OneToOneField(
        "cadres.Cadre",
        verbose_name=_("also a community cadre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher",
        help_text=_("For an outstanding community secretary who also teaches."),
    )

    objects = TeacherQuerySet.as_manager()

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_status=ReviewStatus.PENDING) | Q(reviewed_on__isnull=False),
                name="teacher_review_has_date",
                violation_error_message=_("A completed political review needs its date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("faculty:teacher-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin.full(self.name)
        super().save(*args, **kwargs)
