"""Assessment projects for government (实践服务): a project assesses units (districts,
communities, or units named freely) against an indicator system, scored by experts.

The indicator system is a tree; siblings' weights sum to 100 and leaves carry a maximum
score (``indicators.py`` checks a whole system before it is stored). Once any score exists
the system is locked (``Project.has_scores``): editing it is refused, never recomputed.
Each expert keeps one score sheet per unit: a draft, then submitted (final unless staff
reopen it). The results are computed from submitted sheets only (``computation.py``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from luodi.accounts.access import Perm, has_perm
from luodi.lib import uploads
from luodi.lib.models import TimestampedModel


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    SCORING = "scoring", pgettext_lazy("assessment", "Scoring")
    COMPLETED = "completed", pgettext_lazy("assessment", "Completed")


class StageKind(models.TextChoices):
    TRACKING = "tracking", _("Tracking guidance")
    ACCEPTANCE = "acceptance", _("Final acceptance")
    COMPILING = "compiling", _("Compiling results")


class StageStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("assessment", "Not started")
    ACTIVE = "active", pgettext_lazy("assessment", "In progress")
    DONE = "done", pgettext_lazy("assessment", "Done")


# 优秀 ≥ 90, 合格 ≥ 60, 不合格 below: (label, lowest total) from the highest band down.
DEFAULT_GRADE_BANDS = [["优秀", 90], ["合格", 60], ["不合格", 0]]


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every project for those who manage them; otherwise the projects the user is an
        expert of (an expert sees no other project, not even its name)."""
        if has_perm(user, Perm.MANAGE_ASSESSMENTS):
            return self
        if not has_perm(user, Perm.SCORE_ASSESSMENTS):
            return self.none()
        return self.filter(experts=user)


class Project(TimestampedModel):
    name = models.CharField(_("name"), max_length=120)
    client = models.CharField(
        _("client"), max_length=100, help_text=_("Who commissioned it, e.g. 辽宁省民政厅.")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING
    )
    description = models.TextField(pgettext_lazy("assessment", "description"), blank=True)
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("experts"),
        blank=True,
        related_name="assessment_projects",
    )
    grade_bands = models.JSONField(
        _("grade bands"),
        default=list,
        blank=True,
        help_text=_("From the highest band down: a label and the lowest total it takes."),
    )
    # An expert is flagged on a unit when their total is further than both of these from the
    # other experts' median (``computation.spread_flags``).
    spread_mad_factor = models.DecimalField(
        _("spread: MAD multiple"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("3"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    spread_points = models.DecimalField(
        _("spread: points"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment project")
        verbose_name_plural = _("assessment projects")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessments:project-detail", args=[self.pk])

    @property
    def bands(self) -> list[tuple[str, Decimal]]:
        rows = self.grade_bands or DEFAULT_GRADE_BANDS
        return [(str(label), Decimal(str(low))) for label, low in rows]

    @property
    def has_scores(self) -> bool:
        """Whether any expert has entered a score: the indicator system is locked from then."""
        return Score.objects.filter(sheet__unit__project=self, value__isnull=False).exists()


class Stage(TimestampedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stages"
    )
    kind = models.CharField(_("stage"), max_length=20, choices=StageKind.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StageStatus.choices, default=StageStatus.PENDING
    )
    note = models.CharField(pgettext_lazy("assessment", "note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["project", "id"]  # made in the order of the work
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="stage_one_per_kind"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=models.F("ends_on")),
                name="stage_starts_before_end",
                violation_error_message=_("A stage cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class Unit(TimestampedModel):
    """A unit assessed: a district or a community of ``regions``, or one named freely (an
    experimental zone, a street office); its name is kept as it was when added."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "district"},
    )
    community = models.ForeignKey(
        "regions.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit assessed")
        verbose_name_plural = _("units assessed")
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="unit_name_unique"),
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(community__isnull=True),
                name="unit_district_or_community",
                violation_error_message=_("A unit is a district or a community, not both."),
            ),
        ]

    def __str__(self):
        return self.name


class Indicator(TimestampedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent indicator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(
        pgettext_lazy("assessment", "description"), max_length=300, blank=True
    )
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100),
                name="indicator_weight_percent",
                violation_error_message=_("A weight is between 0 and 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__isnull=True) | Q(max_score__gt=0),
                name="indicator_max_score_positive",
                violation_error_message=_("A maximum score is above 0."),
            ),
        ]

    def __str__(self):
        return self.name


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Sheet(TimestampedModel):
    """One expert's scores of one unit: a draft until submitted, then final."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="sheets"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="assessment_sheets",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["unit", "expert"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "expert"], name="sheet_one_per_expert_unit"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="sheet_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.expert}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class Score(TimestampedModel):
    sheet = models.ForeignKey(
        Sheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(pgettext_lazy("assessment", "comment"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["sheet", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="score_one_per_leaf"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="score_not_negative",
                violation_error_message=_("A score cannot be below 0."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


class Evidence(TimestampedModel):
    """A file an expert attached to a score (a photo of a notice board, a meeting record)."""

    score = models.ForeignKey(
        Score, verbose_name=_("score"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), max_length=200, upload_to=uploads.RandomPath("assessments"))
    name = models.CharField(_("file name"), max_length=120)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["score", "id"]

    def __str__(self):
        return self.name
