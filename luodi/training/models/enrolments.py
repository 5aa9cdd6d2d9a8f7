"""Enrolments (a cadre in a class, with the place at nomination and the result) and their
attendance at each session."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import Perm, has_perm, narrow
from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel
from luodi.training.models.classes import TrainingClass
from luodi.training.models.sessions import Session, attendance_counts
from luodi.training.models.statuses import (
    ATTENDED_STATUSES,
    ROSTER_STATUSES,
    SEAT_STATUSES,
    AttendanceStatus,
    EnrolmentStatus,
)


def credited_hours_sum(path: str = "", where: Q | None = None) -> Sum:
    """The sum of ``Enrolment.credited_hours`` in SQL, through the relation ``path`` (``""``
    from enrolments, ``"enrolments__"`` from cadres), of the enrolments ``where`` also keeps:
    a completed result's recorded hours, nothing for any other result. Figures and compliance
    lists add hours with this."""
    return Sum(
        f"{path}hours_credited",
        filter=Q(**{f"{path}status": EnrolmentStatus.COMPLETED}) & (where or Q()),
        default=Decimal(0),
    )


def hours_of(marks) -> tuple[Decimal, Decimal]:
    """Hours attended (present or late) and leave hours of one trainee's attendance, given as
    (status, session hours) pairs: what ``EnrolmentQuerySet.with_hours`` sums in the database,
    for rows not written yet (the demo builder decides results as it draws attendance)."""
    attended, leave = Decimal(0), Decimal(0)
    for status, hours in marks:
        if status in ATTENDED_STATUSES:
            attended += hours
        elif status == AttendanceStatus.LEAVE:
            leave += hours
    return attended, leave


class EnrolmentQuerySet(CountedQuerySet):
    def completed(self):
        """Completed enrolments: each is one person-time (人次)."""
        return self.filter(status=EnrolmentStatus.COMPLETED)

    def on_roster(self):
        """The one definition of who is on a class's roster (see ``ROSTER_STATUSES``)."""
        return self.filter(status__in=ROSTER_STATUSES)

    def took_part(self):
        """Who took part in a class: its roster, and those the completion rules withdrew
        (their result and reason are on record). Not a waiting-list place, a nomination never
        confirmed, nor a withdrawal by staff before the class."""
        return self.filter(
            Q(status__in=ROSTER_STATUSES)
            | Q(status=EnrolmentStatus.WITHDRAWN, hours_credited__isnull=False)
        )

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
        return narrow(self, user, city=self.in_city, own_classes=self.headed_by, own=self.of_user)

    def headed_by(self, teacher_id: int):
        """Enrolments of the classes whose head teacher is ``teacher_id``."""
        return self.filter(training_class__head_teacher_id=teacher_id)

    def of_user(self, user):
        """The user's own enrolments (their linked cadre's), whatever their role."""
        return self.filter(cadre_id=user.cadre_id) if user.cadre_id else self.none()

    def with_hours(self):
        """Annotate ``hours_attended`` (present or late) and ``leave_hours``, in one query
        (``hours_of`` is the same sum in Python)."""
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
        return self.with_hours().annotate(**attendance_counts("attendances"))


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
    def certificate(self):
        """The certificate shown for this enrolment: the one in force, else the latest revoked
        one, else None. Reads ``certificates`` (prefetch it where a list shows them)."""
        held = sorted(self.certificates.all(), key=lambda c: (c.revoked_at is None, c.issued_at))
        return held[-1] if held else None

    @property
    def credited_hours(self) -> Decimal:
        """Hours this enrolment adds to the cadre's record: only a completed result credits
        hours (those recorded at completion); anything else, or a class not yet completed,
        adds none. ``credited_hours_sum`` is the same rule as an SQL sum."""
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


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The attendance a user may read: that of the enrolments they see
        (``Enrolment.objects.visible_to``) and, for whoever teaches sessions, that of the
        sessions they teach (their roll call, as ``policies.may_run_session``)."""
        enrolments = Enrolment.objects

        def own_classes(teacher_id: int):
            seen = Q(enrolment__in=enrolments.headed_by(teacher_id))
            if has_perm(user, Perm.TEACH_SESSIONS):
                seen |= Q(session__teacher_id=teacher_id)
            return self.filter(seen)

        return narrow(
            self,
            user,
            city=lambda city: self.filter(enrolment__in=enrolments.in_city(city)),
            own_classes=own_classes,
            own=lambda who: self.filter(enrolment__in=enrolments.of_user(who)),
        )


class Attendance(TimestampedModel):
    # No index of their own for the two keys: the unique (enrolment, session) index serves a
    # trainee's marks and the (session, status) index a session's. Two indexes fewer to keep
    # on the largest table (12 million rows at a province's scale; every check-in writes one).
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendances",
        db_index=False,
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendances",
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

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
