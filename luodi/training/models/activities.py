"""What trainees do around a class: leave requests, reflections, courseware, and what they
did with it afterwards (application stories)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import Perm, has_perm, narrow
from luodi.cadres.models import Cadre
from luodi.lib import uploads
from luodi.lib.models import TimestampedModel
from luodi.training.models.classes import TrainingClass
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
    # Checked by content when uploaded (``services.reflections.REFLECTION_KINDS``) and stored
    # under a random folder; downloaded only through a view that checks access.
    # Database defaults too: the demo and benchmarks insert reflections with raw SQL.
    attachment = models.FileField(
        _("attachment"),
        upload_to=uploads.RandomPath("reflections"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
    )
    attachment_name = models.CharField(
        _("attachment's name"), max_length=100, blank=True, default="", db_default=""
    )
    outstanding = models.BooleanField(_("outstanding"), default=False, db_default=False)
    outstanding_comment = models.CharField(
        _("comment"), max_length=300, blank=True, default="", db_default=""
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outstanding=False) | Q(marked_at__isnull=False),
                name="reflection_outstanding_has_time",
            ),
        ]
        # The few marked outstanding (the teacher candidates' list), without reading every
        # reflection of the province's history.
        indexes = [
            models.Index(
                fields=["enrolment"], condition=Q(outstanding=True), name="reflection_outstanding"
            ),
        ]

    def __str__(self):
        return str(self.enrolment)

    @property
    def length(self) -> int:
        """Characters as a college counts 字: every one but spaces and line breaks."""
        return sum(1 for ch in self.text if not ch.isspace())


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


class StorySource(models.TextChoices):
    STAFF = "staff", _("entered by staff")
    FOLLOW_UP = "follow_up", _("from a follow-up survey")


class ApplicationStoryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The stories a user may read, as the cadres they tell of (``Perm.VIEW_CADRES``):
        all, those of the liaison's city (the story's community), those of the trainees of
        the classes a head teacher heads, or a trainee's own."""
        if not has_perm(user, Perm.VIEW_CADRES) and not has_perm(user, Perm.VIEW_OWN_ARCHIVE):
            return self.none()
        return narrow(
            self,
            user,
            city=lambda city_id: self.filter(community__city_id=city_id),
            own_classes=lambda teacher_id: self.filter(
                cadre__in=Cadre.objects.taught_by(teacher_id)
            ),
            own=lambda u: self.filter(cadre_id=u.cadre_id) if u.cadre_id else self.none(),
        )

    def filtered(
        self,
        *,
        city: int | None = None,
        training_class: int | None = None,
        course: int | None = None,
    ):
        stories = self
        if city:
            stories = stories.filter(community__city_id=city)
        if training_class:
            stories = stories.filter(training_class_id=training_class)
        if course:
            stories = stories.filter(course_id=course)
        return stories

    def for_list(self):
        return self.select_related(
            "cadre",
            "community__city",
            "training_class__class_type",
            "course",
            "teacher",
            "case",
        )


class ApplicationStory(TimestampedModel):
    """An application story (学以致用): what a trainee did with what they learned, from a
    follow-up answer or entered by staff; staff may promote it into the case library."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="stories"
    )
    # Their community when it happened: a cadre who moves keeps their story where it was.
    community = models.ForeignKey(
        "regions.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="stories",
    )
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    course = models.ForeignKey(
        "curriculum.Course",
        verbose_name=_("course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    teacher = models.ForeignKey(
        "faculty.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    # A follow-up answer says what was applied and what happened, not always the problem.
    problem = models.TextField(_("problem"), blank=True)
    applied = models.TextField(_("what they learned and applied"))
    outcome = models.TextField(_("what happened"))
    still_needed = models.TextField(_("what they still need"), blank=True)
    occurred_on = models.DateField(_("when"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=StorySource.choices, default=StorySource.STAFF
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "curriculum.TeachingCase",
        verbose_name=_("teaching case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )

    objects = ApplicationStoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("application story")
        verbose_name_plural = _("application stories")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.cadre} · {self.problem[:30]}"

    def get_absolute_url(self):
        return reverse("training:story-detail", args=[self.pk])

    def clean(self):
        if (
            self.training_class_id
            and self.course_id
            and not self.training_class.sessions.filter(course_id=self.course_id).exists()
        ):
            raise ValidationError({"course": _("The course was not taught in this class.")})
