"""The faculty's research output (科研成果): research projects, publications and advisory work
(咨政), each linked to the teachers who did it and the courses it informs."""

import re
import unicodedata

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel

# Funders the college works for most; the field takes any other too (a datalist suggests these).
FUNDERS = (
    "中央组织部",
    "民政部",
    "国家社会科学基金",
    "教育部",
    "辽宁省委组织部",
    "辽宁省民政厅",
    "辽宁省社会科学规划基金",
    "辽宁省教育厅",
    "沈阳市民政局",
    "大连市民政局",
    "学院自设课题",
)


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COLLEGE = "college", _("College")


class ProjectStatus(models.TextChoices):
    APPLIED = "applied", _("Applied for")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class PublicationKind(models.TextChoices):
    JOURNAL = "journal", _("Journal article")
    NEWSPAPER = "newspaper", _("Newspaper article")
    BOOK = "book", _("Book")
    REPORT = "report", _("Research report")
    OTHER = "other", _("Other")


class AdvisoryKind(models.TextChoices):
    LAW = "law", _("Drafting a law or regulation")
    POLICY = "policy", _("Drafting a policy")
    ADOPTED = "adopted", _("Report adopted")
    ENDORSED = "endorsed", _("Report endorsed by a leader")


def normalised_title(title: str) -> str:
    """A title as compared for duplicates: full-width as half-width, lower case, without
    spaces or punctuation (《》“”：,.) — 社区治理：新路径 and 社区治理 新路径 are one title."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", title or "").lower())


class ResearchProjectQuerySet(CountedQuerySet):
    def for_list(self):
        return self.select_related("principal").prefetch_related("members", "courses")

    def of_teacher(self, teacher_id: int):
        """Projects the teacher leads or works on."""
        return self.filter(Q(principal_id=teacher_id) | Q(members=teacher_id)).distinct()


class Project(TimestampedModel):
    title = models.CharField(_("title"), max_length=200)
    funder = models.CharField(_("funder"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    principal = models.ForeignKey(
        "faculty.Teacher",
        verbose_name=_("principal investigator"),
        on_delete=models.PROTECT,
        related_name="projects_led",
    )
    members = models.ManyToManyField(
        "faculty.Teacher", verbose_name=_("members"), blank=True, related_name="projects_joined"
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.APPLIED
    )
    budget = models.DecimalField(
        _("budget (10,000 yuan)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    outputs = models.TextField(_("outputs"), blank=True)
    courses = models.ManyToManyField(
        "curriculum.Course",
        verbose_name=_("courses it informs"),
        blank=True,
        related_name="research_projects",
    )

    objects = ResearchProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        ordering = ["-start_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "funder"],
                name="project_title_funder_unique",
                violation_error_message=_("This funder already has a project with this title."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("A project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("research:project-detail", args=[self.pk])

    @property
    def year(self) -> int:
        return self.start_date.year


class PublicationQuerySet(CountedQuerySet):
    def for_list(self):
        return self.prefetch_related("authors", "courses")


class Publication(TimestampedModel):
    title = models.CharField(_("title"), max_length=200)
    authors = models.ManyToManyField(
        "faculty.Teacher", verbose_name=_("authors"), blank=True, related_name="publications"
    )
    external_authors = models.CharField(
        _("other authors"), max_length=200, blank=True, help_text=_("Separated by 、")
    )
    venue = models.CharField(_("published in"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=PublicationKind.choices)
    published_on = models.DateField(_("date"))
    link = models.URLField(_("link"), blank=True)
    courses = models.ManyToManyField(
        "curriculum.Course",
        verbose_name=_("courses it informs"),
        blank=True,
        related_name="publications",
    )
    # Kept by ``save`` from the title and date: what the duplicate rule compares.
    title_key = models.CharField(max_length=200, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title_key", "year"],
                name="publication_unique_title_per_year",
                violation_error_message=_(
                    "A publication with this title is already on record for this year."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def fill_keys(self) -> None:
        """The normalised title and the year the duplicate rule compares."""
        self.title_key = normalised_title(self.title)
        if self.published_on:
            self.year = self.published_on.year

    def save(self, *args, **kwargs):
        # Derived columns of this row, kept with what they derive from.
        self.fill_keys()
        super().save(*args, **kwargs)

    def author_names(self) -> str:
        names = [t.name for t in self.authors.all()]
        if self.external_authors:
            names.append(self.external_authors)
        return "、".join(names)


class AdvisoryWorkQuerySet(CountedQuerySet):
    def for_list(self):
        return self.prefetch_related("teachers", "courses")


class AdvisoryWork(TimestampedModel):
    """Advisory work (咨政): a law or policy drafted, a report adopted or endorsed by a leader."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=AdvisoryKind.choices)
    client = models.CharField(
        _("client or adopter"), max_length=100, help_text=_("e.g. 辽宁省民政厅, 省委领导批示")
    )
    date = models.DateField(_("date"))
    teachers = models.ManyToManyField(
        "faculty.Teacher", verbose_name=_("teachers"), blank=True, related_name="advisory_works"
    )
    courses = models.ManyToManyField(
        "curriculum.Course",
        verbose_name=_("courses it informs"),
        blank=True,
        related_name="advisory_works",
    )
    note = models.TextField(_("note"), blank=True)

    objects = AdvisoryWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("advisory work")
        verbose_name_plural = _("advisory work")
        ordering = ["-date", "title"]

    def __str__(self):
        return self.title
