from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import Reach, reach
from luodi.curriculum.models import TeachingMethod
from luodi.lib.models import TimestampedModel


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
    def max_leave_fraction(self) -> Fraction:
        return Fraction(self.max_leave_numerator, self.max_leave_denominator)

    @property
    def max_leave_percent(self) -> Decimal:
        return round(Decimal(self.max_leave_numerator * 100) / self.max_leave_denominator, 1)

    def leave_exceeds(self, leave: Decimal, total: Decimal) -> bool:
        """Whether ``leave`` hours are more than the allowed share of ``total`` hours, compared
        exactly in integers (``leave × 7 > total`` for 1/7), never through a rounded decimal."""
        return leave * self.max_leave_denominator > total * self.max_leave_numerator


class ClassStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ENROLLING = "enrolling", _("Enrolling")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    ARCHIVED = "archived", _("Archived")


HELD_STATUSES = (ClassStatus.FINISHED, ClassStatus.ARCHIVED)


class TrainingClassQuerySet(models.QuerySet):
    def held(self):
        """Classes that have taken place: each counts once in "classes held"."""
        return self.filter(status__in=HELD_STATUSES)

    def in_year(self, year: int):
        return self.filter(year=year)

    def with_counts(self):
        """Annotate ``enrolled_count``: the trainees on the roster (``Enrolment.on_roster``)."""
        return self.annotate(
            enrolled_count=models.Count(
                "enrolments",
                filter=Q(enrolments__status__in=ROSTER_STATUSES),
                distinct=True,
            ),
        )

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

    objects = TrainingClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["year", "status"])]
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


class TimeSlot(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


# Statuses that credit a session's hours.
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def _attendance_counts(prefix: str) -> dict:
    """Count annotations per attendance status, through the relation named ``prefix``."""
    return {
        f"{status}_count": models.Count(prefix, filter=Q(**{f"{prefix}__status": status}))
        for status in AttendanceStatus.values
    }


class SessionQuerySet(models.QuerySet):
    def for_timetable(self):
        return self.select_related("course", "teacher", "field_site", "case")

    def with_attendance_counts(self):
        return self.annotate(**_attendance_counts("attendances"))


class Session(TimestampedModel):
    """One session (课次) of a class's timetable."""

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    date = models.DateField(_("date"))
    slot = models.CharField(_("time slot"), max_length=10, choices=TimeSlot.choices)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    course = models.ForeignKey(
        "curriculum.Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    teacher = models.ForeignKey(
        "faculty.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    field_site = models.ForeignKey(
        "curriculum.FieldSite",
        verbose_name=_("field-teaching site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    case = models.ForeignKey(
        "curriculum.TeachingCase",
        verbose_name=_("teaching case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    method = models.CharField(_("teaching method"), max_length=20, choices=TeachingMethod.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "id"]
        indexes = [
            models.Index(fields=["training_class", "date"]),
            models.Index(fields=["teacher", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="session_hours_positive",
                violation_error_message=_("Hours must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="session_times_ordered",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(method=TeachingMethod.ON_SITE) | Q(field_site__isnull=False),
                name="session_on_site_needs_field_site",
                violation_error_message=_("On-site teaching needs a field-teaching site."),
            ),
            models.CheckConstraint(
                condition=Q(venue__gt="") | Q(field_site__isnull=False),
                name="session_has_a_place",
                violation_error_message=_("Give a venue or a field-teaching site."),
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_slot_display()} {self.course}"

    def clean(self):
        tc = self.training_class if self.training_class_id else None
        if tc and self.date and not (tc.start_date <= self.date <= tc.end_date):
            raise ValidationError(
                {
                    "date": _(
                        "The session must fall within the class's dates (%(start)s – %(end)s)."
                    )
                    % {"start": tc.start_date, "end": tc.end_date}
                }
            )


class EnrolmentStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("Waiting list")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses that hold a seat in the class (and in the cadre's city quota).
SEAT_STATUSES = (
    EnrolmentStatus.NOMINATED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


# Statuses of the trainees on a class's roster: expected at its sessions, on its roll call,
# in its archive. Waiting-list places and withdrawn trainees are not; a nomination is not until
# staff confirm it.
ROSTER_STATUSES = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


class EnrolmentQuerySet(models.QuerySet):
    def completed(self):
        """Completed enrolments: each is one person-time (人次)."""
        return self.filter(status=EnrolmentStatus.COMPLETED)

    def on_roster(self):
        """The one definition of who is on a class's roster (see ``ROSTER_STATUSES``)."""
        return self.filter(status__in=ROSTER_STATUSES)

    def holding_seats(self):
        return self.filter(status__in=SEAT_STATUSES)

    def in_city(self, city):
        """Enrolments counted for ``city``: the city recorded at nomination, not where the
        cadre lives now, so last year's figures do not change when a cadre moves."""
        return self.filter(city=city)

    def visible_to(self, user):
        """The enrolments a user may see, and with them the names, attendance and results of a
        roster: all (administrators, staff, supervisors), those of the classes the user is
        head teacher of, those recorded for the liaison's city, or a trainee's own. A teacher
        who heads no class sees none. See ``accounts.access.ROLE_REACH``."""
        match reach(user):
            case Reach.ALL:
                return self
            case Reach.CITY:
                return self.in_city(user.city_id)
            case Reach.OWN_CLASSES if user.teacher_id:
                return self.filter(training_class__head_teacher_id=user.teacher_id)
            case Reach.SELF:
                return self.of_user(user)
        return self.none()

    def of_user(self, user):
        """The user's own enrolments (their linked cadre's), whatever their role."""
        return self.filter(cadre_id=user.cadre_id) if user.cadre_id else self.none()

    def with_hours(self):
        """Annotate ``hours_attended`` (present or late) and ``leave_hours``, in one query."""
        return self.annotate(
            hours_attended=Sum(
                "attendances__session__hours",
                filter=Q(attendances__status__in=ATTENDED_STATUSES),
                default=Decimal(0),
            ),
            leave_hours=Sum(
                "attendances__session__hours",
                filter=Q(attendances__status=AttendanceStatus.LEAVE),
                default=Decimal(0),
            ),
        )

    def with_attendance(self):
        """Annotate the hours (see ``with_hours``) and a count per attendance status."""
        return self.with_hours().annotate(**_attendance_counts("attendances"))


class Enrolment(TimestampedModel):
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.NOMINATED,
    )
    # Where the cadre worked when nominated: quotas and figures count this city and community.
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city at nomination"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "city"},
    )
    community = models.ForeignKey(
        "regions.Community",
        verbose_name=_("community at nomination"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the class is completed: the hours credited and why the result is what it is.
    hours_credited = models.DecimalField(
        _("hours credited"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    result_reason = models.CharField(_("reason for the result"), max_length=200, blank=True)
    override_reason = models.CharField(_("reason for overriding"), max_length=200, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EnrolmentQuerySet.as_manager()

    # Annotations set by EnrolmentQuerySet.with_hours() and completion.with_result_inputs().
    hours_attended: Decimal
    leave_hours: Decimal
    has_reflection: bool

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["training_class", "id"]
        indexes = [
            models.Index(fields=["status", "training_class"]),
            models.Index(fields=["city", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "cadre"],
                name="enrolment_unique_per_class",
                violation_error_message=_("This cadre is already on this class's list."),
            ),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.training_class}"

    @property
    def credited_hours(self) -> Decimal:
        """Hours this enrolment adds to the cadre's record: only a completed result credits
        hours (those recorded at completion); anything else, or a class not yet completed,
        adds none."""
        if self.status == EnrolmentStatus.COMPLETED and self.hours_credited is not None:
            return self.hours_credited
        return Decimal(0)

    @staticmethod
    def place_of(cadre) -> dict:
        """The snapshot fields for ``cadre`` as they are now, e.g. for ``objects.create``."""
        return {"community": cadre.community, "city_id": cadre.community.city_id}

    def record_place(self) -> None:
        """Take the cadre's city and community now, at nomination (or re-admission)."""
        for field, value in self.place_of(self.cadre).items():
            setattr(self, field, value)


class Attendance(TimestampedModel):
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance records")
        ordering = ["session", "enrolment"]
        indexes = [models.Index(fields=["session", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"],
                name="attendance_unique_per_session",
                violation_error_message=_("Attendance for this session is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.cadre} · {self.session} · {self.get_status_display()}"

    def clean(self):
        if (
            self.enrolment_id
            and self.session_id
            and self.enrolment.training_class_id != self.session.training_class_id
        ):
            raise ValidationError(_("This session is not part of the trainee's class."))


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


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LeaveRequest(TimestampedModel):
    """A trainee's request for leave (请假) from some sessions of their class."""

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="leave_requests",
    )
    sessions = models.ManyToManyField(Session, verbose_name=_("sessions"), related_name="+")
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=LeaveStatus.PENDING) | Q(decided_at__isnull=False),
                name="leave_decision_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.cadre} · {self.get_status_display()}"


class Reflection(TimestampedModel):
    """A trainee's reflection (培训心得) on a class."""

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="reflection",
    )
    text = models.TextField(_("reflection"))

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.enrolment)


class Courseware(TimestampedModel):
    """Slides or notes (课件) of a course; trainees who attended the course keep access."""

    course = models.ForeignKey(
        "curriculum.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="courseware",
    )
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to="courseware/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("courseware")
        verbose_name_plural = _("courseware")
        ordering = ["course", "title"]

    def __str__(self):
        return self.title
