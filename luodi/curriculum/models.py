from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Length, Replace
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.lib import segmenting
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


class CourseQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Courses whose title holds ``text`` (a form's course picker)."""
        return self.filter(title__contains=text)


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

    objects = CourseQuerySet.as_manager()

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


# A field site farther than this (one way) takes a whole day with the journey.
FAR_AWAY_MINUTES = 60


class FieldSiteQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Sites whose name or address holds ``text`` (a session form's site picker)."""
        return self.filter(Q(name__contains=text) | Q(address__contains=text))


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
    # One way, by coach from the college: a site more than an hour away takes a whole day
    # (automatic timetabling keeps the afternoon of a morning visit free).
    travel_minutes = models.PositiveSmallIntegerField(
        _("travel time from the college (minutes)"), default=0
    )

    objects = FieldSiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("field-teaching site")
        verbose_name_plural = _("field-teaching sites")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def takes_whole_day(self) -> bool:
        return self.travel_minutes > FAR_AWAY_MINUTES


class CaseSource(models.TextChoices):
    TEACHER = "teacher", _("Written by a teacher")
    STORY = "story", _("Promoted from an application story")


class TeachingCaseQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("community__city", "author").prefetch_related(
            "need_topics", "courses"
        )

    def in_city(self, city_id: int):
        return self.filter(community__city_id=city_id)

    def matching(self, text: str):
        """Cases whose title holds ``text`` (a session form's case picker)."""
        return self.filter(title__contains=text)

    def search(self, query: str):
        """The cases whose text holds any word of ``query`` (cut into words as Chinese has no
        spaces: ``lib.segmenting``), ranked by how many of its words they hold (``matched``),
        then by how often (``hits``; title words count twice). A query with no word finds
        nothing. The same SQL (LIKE, LENGTH, REPLACE) on SQLite and PostgreSQL."""
        found = segmenting.query_words(query)
        if not found:
            return self.none()
        column = F("search_text")
        matched, hits, any_word = [], [], Q()
        for word in found:
            token = segmenting.wrapped(word)
            any_word |= Q(search_text__contains=token)
            matched.append(Case(When(search_text__contains=token, then=1), default=0))
            # Occurrences: how much shorter the column gets without the word, in words.
            hits.append(
                (Length(column) - Length(Replace(column, Value(token), Value(""))))
                / Length(Value(token))
            )
        return (
            self.filter(any_word)
            .annotate(
                matched=sum(matched[1:], matched[0]),
                hits=sum(hits[1:], hits[0]),
            )
            .order_by("-matched", "-hits", "title")
        )


class TeachingCase(TimestampedModel):
    """A case in the case library (案例库), used by case-analysis sessions: written by a teacher
    or promoted from a trainee's application story (``training.ApplicationStory.case``, the
    reverse relation ``stories``)."""

    title = models.CharField(_("title"), max_length=100, unique=True)
    community = models.ForeignKey(
        "regions.Community",
        verbose_name=_("community"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    # Where it happened when that is no registered community (another province, a street).
    place = models.CharField(_("place"), max_length=100, blank=True)
    summary = models.TextField(_("summary"))
    full_text = models.TextField(_("full text"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=CaseSource.choices, default=CaseSource.TEACHER
    )
    author = models.ForeignKey(
        "faculty.Teacher",
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    courses = models.ManyToManyField(
        Course, verbose_name=_("courses"), blank=True, related_name="cases"
    )
    need_topics = models.ManyToManyField(
        NeedTopic, verbose_name=_("need topics"), blank=True, related_name="cases"
    )
    # The text's words for search, kept by ``save`` (``lib.segmenting``; docs/cases.md).
    search_text = models.TextField(_("search words"), blank=True, editable=False)

    objects = TeachingCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("teaching case")
        verbose_name_plural = _("teaching cases")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("curriculum:case-detail", args=[self.pk])

    @property
    def where(self) -> str:
        return self.community.name if self.community_id else self.place

    def search_words(self) -> str:
        """The search column of this case: title (twice, so title words rank higher),
        place, summary, full text and lessons cut into words."""
        texts = [self.title, self.title, self.place, self.summary, self.full_text, self.lessons]
        return segmenting.search_column(texts)

    def save(self, *args, **kwargs):
        # A derived column of this row, not a side effect: kept with the text it comes from.
        self.search_text = self.search_words()
        if (fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)
