from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.lib.models import TimestampedModel


class TeachingMethod(models.TextChoices):
    """The seven teaching methods the college uses."""

    LECTURE = "lecture", _("Special lecture")
    ON_SITE = "on_site", _("On-site teaching")
    CASE_ANALYSIS = "case_analysis", _("Case analysis")
    SIMULATION = "simulation", _("Scenario simulation")
    FILM = "film", _("Film viewing")
    EXPERIENCE = "experience", _("Experience sharing")
    DISCUSSION = "discussion", _("Discussion")


class CourseCategory(TimestampedModel):
    name = models.CharField(_("name"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("course category")
        verbose_name_plural = _("course categories")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class NeedTopic(TimestampedModel):
    """A topic of training need (需求主题), e.g. "resolving disputes among residents": what
    needs questionnaires ask about, research findings are tagged with, courses cover and a
    class targets. Topics follow the course categories."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    category = models.ForeignKey(
        CourseCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="need_topics",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("need topic")
        verbose_name_plural = _("need topics")
        ordering = ["category__position", "position", "id"]

    def __str__(self):
        return self.name


class Course(TimestampedModel):
    category = models.ForeignKey(
        CourseCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    title = models.CharField(_("title"), max_length=100, unique=True)
    method = models.CharField(_("teaching method"), max_length=20, choices=TeachingMethod.choices)
    default_hours = models.DecimalField(
        _("default hours"), max_digits=4, decimal_places=1, default=3
    )
    teachers = models.ManyToManyField(
        "faculty.Teacher", verbose_name=_("teachers"), blank=True, related_name="courses"
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    need_topics = models.ManyToManyField(
        NeedTopic, verbose_name=_("need topics covered"), blank=True, related_name="courses"
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["category__position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_hours__gt=0),
                name="course_hours_positive",
                violation_error_message=_("Hours must be greater than zero."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("curriculum:course-detail", args=[self.pk])


class FieldSite(TimestampedModel):
    """A field-teaching site (现场教学点), usually an exemplary community."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    community = models.ForeignKey(
        "regions.Community",
        verbose_name=_("community"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="field_sites",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    description = models.TextField(_("what trainees see there"), blank=True)

    class Meta:
        verbose_name = _("field-teaching site")
        verbose_name_plural = _("field-teaching sites")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TeachingCase(TimestampedModel):
    """A case in the case library (案例库), used by case-analysis sessions."""

    title = models.CharField(_("title"), max_length=100, unique=True)
    community = models.ForeignKey(
        "regions.Community",
        verbose_name=_("community"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    summary = models.TextField(_("summary"))
    courses = models.ManyToManyField(
        Course, verbose_name=_("courses"), blank=True, related_name="cases"
    )

    class Meta:
        verbose_name = _("teaching case")
        verbose_name_plural = _("teaching cases")
        ordering = ["title"]

    def __str__(self):
        return self.title
