"""Sessions (课次) of a class's timetable."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luodi.curriculum.models import TeachingMethod
from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel
from luodi.training.models.classes import TrainingClass
from luodi.training.models.statuses import AttendanceStatus, TimeSlot


def attendance_counts(prefix: str) -> dict:
    """Count annotations per attendance status, through the relation named ``prefix``."""
    return {
        f"{status}_count": models.Count(prefix, filter=Q(**{f"{prefix}__status": status}))
        for status in AttendanceStatus.values
    }


class SessionQuerySet(CountedQuerySet):
    def for_timetable(self):
        return self.select_related("course", "teacher", "field_site", "case")

    def with_attendance_counts(self):
        return self.annotate(**attendance_counts("attendances"))

    def of_classes_visible_to(self, user):
        """The sessions of the classes ``user`` may read (``TrainingClass.objects.visible_to``).
        Of every class, no condition at all: ``IN (every class)`` kept SQLite from walking
        the sessions in time order by their index (26 ms for a page at scale 100)."""
        classes = TrainingClass.objects.visible_to(user)
        return self.filter(training_class__in=classes) if classes.query.has_filters() else self


class Session(TimestampedModel):
    """One session (课次) of a class's timetable."""

    # What a planner sets on a session (the forms and the admin), and so what a timetable
    # change is made of (``services.scheduling`` records and announces changes to these).
    PLANNED_FIELDS = (
        "date",
        "slot",
        "start_time",
        "end_time",
        "course",
        "teacher",
        "method",
        "hours",
        "venue",
        "field_site",
        "case",
    )

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
            # Sessions in time order (the attendance API's pages): read from the index.
            models.Index(fields=["date", "start_time", "id"], name="session_in_time_order"),
            # SQLite's no-double-booking trigger looks sessions up by venue and date; without
            # this index each insert probed the teacher index once per teacher (hours for the
            # 139k sessions of seed_demo --scale 100).
            models.Index(fields=["venue", "date"]),
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

    @property
    def starts_at(self) -> datetime:
        """The start as an aware datetime in the college's time zone."""
        naive = datetime.combine(self.date, self.start_time)
        return timezone.make_aware(naive, timezone.get_default_timezone())

    @property
    def ends_at(self) -> datetime:
        naive = datetime.combine(self.date, self.end_time)
        return timezone.make_aware(naive, timezone.get_default_timezone())

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
