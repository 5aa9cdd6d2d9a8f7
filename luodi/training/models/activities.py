"""What trainees do around a class: leave requests, reflections, courseware."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from luodi.lib import uploads
from luodi.lib.models import TimestampedModel
from luodi.training.models.enrolments import Enrolment
from luodi.training.models.sessions import Session
from luodi.training.models.statuses import LeaveStatus


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


class CoursewareQuerySet(models.QuerySet):
    def for_session(self, session: Session):
        return self.filter(session=session)


class Courseware(TimestampedModel):
    """Slides or notes (课件) of one session of a class: the trainees who attended that
    session keep access, and no other class's trainees get it (a course is taught to many
    classes, each with its own material). ``course`` is the session's, kept for listing."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="courseware",
        # Empty only for material uploaded for a course before courseware belonged to
        # sessions, of a course that had no session then: reachable by nobody but the admin.
        null=True,
        blank=True,
    )
    course = models.ForeignKey(
        "curriculum.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="courseware",
    )
    title = models.CharField(_("title"), max_length=100)
    # Checked by content (luodi.lib.uploads) and stored under a random folder; files stored
    # before the checks keep their old names and still download.
    file = models.FileField(
        _("file"),
        upload_to=uploads.RandomPath("courseware"),
        max_length=200,
        validators=[uploads.validate_courseware],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CoursewareQuerySet.as_manager()

    class Meta:
        verbose_name = _("courseware")
        verbose_name_plural = _("courseware")
        ordering = ["course", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.session_id and self.course_id and self.session.course_id != self.course_id:
            raise ValidationError({"course": _("The course must be the session's course.")})
