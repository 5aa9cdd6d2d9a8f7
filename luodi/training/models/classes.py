"""Class types and numbered classes, with their city quotas."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import Perm, has_perm, narrow
from luodi.cadres.models import Post
from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel
from luodi.lib.params import parse_id, parse_int
from luodi.training.models.statuses import HELD_STATUSES, ROSTER_STATUSES, ClassStatus


class ClassType(TimestampedModel):
    """A kind of class, e.g. 社区党组织书记培训班; term numbers run per type and year."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    default_days = models.PositiveSmallIntegerField(_("usual length in days"), default=5)
    # Completion rules (结业条件); defaults follow the Cadre Education and Training Regulations.
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (percent of hours)"),
        default=80,
        help_text=_("Share of the class's hours a trainee must attend (present or late)."),
    )
    # The leave limit is a fraction kept as two integers, so that 1/7 is exactly 1/7: a decimal
    # such as 0.143 would let a trainee of a 140-hour class take 20.02 hours, not 20.
    max_leave_numerator = models.PositiveSmallIntegerField(
        _("maximum leave: numerator"),
        default=1,
        help_text=_("Leave beyond this share of the class's hours means withdrawal (1 of 7)."),
    )
    max_leave_denominator = models.PositiveSmallIntegerField(
        _("maximum leave: denominator"), default=7
    )
    reflection_required = models.BooleanField(_("reflection required"), default=True)
    # The posts (``cadres.Post`` values) the class is meant for; empty: any post. Nominating a
    # cadre of another post is allowed, with a warning.
    target_posts = models.JSONField(
        _("target posts"),
        default=list,
        blank=True,
        help_text=_("The posts this class is meant for; none ticked means any post."),
    )

    objects = CountedQuerySet.as_manager()  # its name labels the figures per class type

    class Meta:
        verbose_name = _("class type")
        verbose_name_plural = _("class types")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100),
                name="classtype_attendance_percent_max_100",
                violation_error_message=_("Attendance is a percentage: at most 100."),
            ),
            models.CheckConstraint(
                condition=Q(max_leave_denominator__gt=0)
                & Q(max_leave_numerator__lte=F("max_leave_denominator")),
                name="classtype_leave_fraction_0_1",
                violation_error_message=_("The leave limit is a fraction between 0 and 1."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def max_leave_percent(self) -> Decimal:
        return round(Decimal(self.max_leave_numerator * 100) / self.max_leave_denominator, 1)

    def clean(self):
        unknown = set(self.target_posts or []) - set(Post.values)
        if not isinstance(self.target_posts, list) or unknown:
            raise ValidationError({"target_posts": _("Choose posts from the list.")})

    def fits_post(self, post: str) -> bool:
        """Whether a cadre of ``post`` is whom the class is meant for (any post, if none set)."""
        return not self.target_posts or post in self.target_posts

    def target_post_labels(self) -> list[str]:
        return [str(Post(p).label) for p in self.target_posts if p in Post.values]

    def leave_exceeds(self, leave: Decimal, total: Decimal) -> bool:
        """Whether ``leave`` hours are more than the allowed share of ``total`` hours, compared
        exactly in integers (``leave × 7 > total`` for 1/7), never through a rounded decimal."""
        return leave * self.max_leave_denominator > total * self.max_leave_numerator


class TrainingClassQuerySet(CountedQuerySet):
    def held(self):
        """Classes that have taken place: each counts once in "classes held"."""
        return self.filter(status__in=HELD_STATUSES)

    def in_year(self, year: int):
        return self.filter(year=year)

    def matching(self, text: str):
        """Classes a form's class picker finds for ``text``, as their titles read
        (2026年第3期社区党组织书记培训班): a year, a term (第3期), words of the class type's name
        or the venue; every part given must match."""
        classes = self
        if year := re.search(r"\d{4}", text):
            classes = classes.filter(year=int(year[0]))
            text = text.replace(year[0], " ", 1).replace("年", " ", 1)
        if term := re.search(r"第\s*(\d{1,3})\s*期", text):
            classes = classes.filter(term=int(term[1]))
            text = text.replace(term[0], " ", 1)
        for word in text.split():
            classes = classes.filter(Q(class_type__name__contains=word) | Q(venue__contains=word))
        return classes

    def running_on(self, day):
        """Classes under way on ``day``: their dates cover it, and they are neither still
        planned nor already held."""
        return self.filter(start_date__lte=day, end_date__gte=day).exclude(
            status__in=(ClassStatus.PLANNED, *HELD_STATUSES)
        )

    def with_counts(self):
        """Annotate ``enrolled_count``: the trainees on the roster (``Enrolment.on_roster``)."""
        return self.annotate(
            enrolled_count=models.Count(
                "enrolments",
                filter=Q(enrolments__status__in=ROSTER_STATUSES),
                distinct=True,
            ),
        )

    def filtered(self, *, year: str = "", class_type: str = "", status: str = ""):
        """The class list's filters, as given in its query string (unparsed text): the list
        and its export read them here, so the export holds exactly the rows of the list."""
        classes = self
        if (year_ := parse_int(year, low=1, high=9999)) is not None:
            classes = classes.filter(year=year_)
        if (type_ := parse_id(class_type)) is not None:
            classes = classes.filter(class_type_id=type_)
        if status in ClassStatus.values:
            classes = classes.filter(status=status)
        return classes

    def run_by(self, user):
        """The classes ``user`` runs (``training.policies.may_run_class``, as a QuerySet): every
        class for staff and administrators, a head teacher's own, none for anyone else."""
        if not has_perm(user, Perm.RUN_CLASSES):
            return self.none()
        return narrow(
            self,
            user,
            city=lambda _city: self.none(),
            own_classes=lambda teacher_id: self.filter(head_teacher_id=teacher_id),
            own=lambda _user: self.none(),
        )

    def visible_to(self, user):
        """The classes a user may read: every class for whoever reads classes
        (``Perm.VIEW_CLASSES``, as the class list shows them), a trainee's own classes (those
        they hold a seat in, as ``policies.may_read_timetable``), none for anyone else."""
        if has_perm(user, Perm.VIEW_CLASSES):
            return self
        if not has_perm(user, Perm.TRAINEE_SELF):
            return self.none()
        from luodi.training.models.enrolments import Enrolment  # it imports this module

        mine = Enrolment.objects.of_user(user).holding_seats()
        return self.filter(pk__in=mine.values("training_class_id"))

    def years(self) -> list[int]:
        """The years that have classes, newest first."""
        # order_by first: the default ordering's columns would otherwise defeat DISTINCT
        return list(self.order_by("-year").values_list("year", flat=True).distinct())


class TrainingClass(TimestampedModel):
    """A numbered training class: 2019年第3期社区党组织书记培训班."""

    class_type = models.ForeignKey(
        ClassType, verbose_name=_("class type"), on_delete=models.PROTECT, related_name="classes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    term = models.PositiveSmallIntegerField(_("term number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    head_teacher = models.ForeignKey(
        "faculty.Teacher",
        verbose_name=_("head teacher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classes_led",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClassStatus.choices, default=ClassStatus.PLANNED
    )
    # Seats held by nominated, enrolled and finished trainees. Kept by the enrolment services
    # with conditional updates, so the CHECK below holds under any concurrency.
    seats_taken = models.PositiveSmallIntegerField(_("seats taken"), default=0, editable=False)
    # What the class was designed for (from the needs analysis); its satisfaction survey asks
    # whether each was met.
    target_needs = models.ManyToManyField(
        "curriculum.NeedTopic", verbose_name=_("needs targeted"), blank=True, related_name="classes"
    )

    objects = TrainingClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["year", "status"]),
            # The class list's order (and the enrolment API's): a page is read from the index,
            # not sorted out of every class.
            models.Index(fields=["-start_date", "-id"], name="class_newest_first"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["class_type", "year", "term"],
                name="class_term_unique_per_type_year",
                violation_error_message=_(
                    "This term number is already used for this type and year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="class_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")),
                name="class_seats_within_capacity",
                violation_error_message=_("The class is full."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="class_capacity_positive",
                violation_error_message=_("Capacity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(term__gt=0),
                name="class_term_positive",
                violation_error_message=_("Term numbers start at 1."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="class_year_plausible",
                violation_error_message=_("Enter a year between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:class-detail", args=[self.pk])

    @property
    def title(self) -> str:
        # The title is derived, never typed; it follows the college's own Chinese usage.
        return f"{self.year}年第{self.term}期{self.class_type.name}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def clean(self):
        errors = {}
        if self.start_date and self.year and self.start_date.year != self.year:
            errors["year"] = _("The year must be the year the class starts in.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)

    def total_hours(self) -> Decimal:
        return self.sessions.aggregate(total=Sum("hours"))["total"] or Decimal(0)

    def leave_limit(self, total_hours: Decimal | None = None) -> Decimal:
        """The most leave, in hours, a trainee may take (the class type's share of the hours),
        for display; decisions use ``ClassType.leave_exceeds``, which is exact."""
        total = self.total_hours() if total_hours is None else total_hours
        rules = self.class_type
        return (total * rules.max_leave_numerator / rules.max_leave_denominator).quantize(
            Decimal("0.01")
        )

    @property
    def is_frozen(self) -> bool:
        """A finished or archived class's attendance, leave and results change only through a
        recorded correction by academic staff."""
        return self.status in HELD_STATUSES


class ClassQuota(TimestampedModel):
    """A city's share of a class's places (名额). ``used`` counts the seats its cadres hold."""

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "city"},
    )
    quota = models.PositiveSmallIntegerField(_("quota"))
    used = models.PositiveSmallIntegerField(_("places used"), default=0, editable=False)

    class Meta:
        verbose_name = _("city quota")
        verbose_name_plural = _("city quotas")
        ordering = ["training_class", "city__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "city"],
                name="quota_unique_per_class_city",
                violation_error_message=_("This city already has a quota in this class."),
            ),
            models.CheckConstraint(
                condition=Q(used__lte=F("quota")),
                name="quota_used_within_quota",
                violation_error_message=_("The city's quota is used up."),
            ),
        ]

    def __str__(self):
        return f"{self.city} · {self.quota}"
