"""Questionnaires: needs research, teaching evaluation (评教), class satisfaction, follow-up.

Anonymity follows EvaP (``docs/surveys.md``): who answered (``Participation``) is kept apart
from what was answered (``Response`` and ``Answer``). An anonymous response carries no person,
no time and a random id, and so do its answers, so neither a foreign key nor the order of ids
links an answer to a participant. A named survey's response keeps its cadre and time.
A survey's questions are frozen once anyone has answered it (``Survey.is_frozen``).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import narrow
from luodi.lib.models import TimestampedModel


class Purpose(models.TextChoices):
    NEEDS = "needs", _("Needs research")
    EVALUATION = "evaluation", _("Session evaluation")
    SATISFACTION = "satisfaction", _("Class satisfaction")
    FOLLOW_UP = "follow_up", _("Post-training follow-up")


class Audience(models.TextChoices):
    CLASS = "class", _("The trainees of a class")
    CADRES = "cadres", _("Cadres of chosen cities or posts")
    OPEN = "open", _("Anyone with a one-time code")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating scale")
    MATRIX = "matrix", _("Matrix")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
SCALE_KINDS = {QuestionKind.RATING, QuestionKind.MATRIX}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}


class SurveyQuerySet(models.QuerySet):
    def open_at(self, moment):
        return self.filter(
            published_at__isnull=False, published_at__lte=moment, opens_at__lte=moment
        ).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=moment))

    def of_teacher(self, teacher_id: int):
        return self.filter(session__teacher_id=teacher_id)

    def visible_to(self, user):
        """The surveys a user manages or reads results of: all (administrators, staff,
        supervisors), those of the classes a head teacher heads, a liaison's city's needs
        research (surveys for that city, or open to every city). See ``ROLE_REACH``."""
        return narrow(
            self,
            user,
            city=lambda city_id: (
                self.filter(purpose="needs", audience="cadres")
                .filter(Q(cities=city_id) | Q(cities__isnull=True))
                .distinct()
            ),
            own_classes=lambda teacher_id: self.filter(training_class__head_teacher_id=teacher_id),
            own=lambda user: self.none(),
        )


class Survey(TimestampedModel):
    title = models.CharField(_("title"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous answers keep no link to the person who gave them."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    training_class = models.ForeignKey(
        "training.TrainingClass",
        verbose_name=_("training class"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
    )
    # A session evaluation (评教) is about one session and its teacher.
    # A session is removed only while its evaluation is unanswered (training.services.
    # scheduling.deletion_refusal): the unanswered evaluation goes with it.
    session = models.OneToOneField(
        "training.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation",
    )
    cities = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("cities"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": "city"},
    )
    posts = models.JSONField(_("posts"), default=list, blank=True)
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    # When its respondents were told it is open: at publishing if it is open then, else by
    # ``manage.py announce_surveys`` once it opens (a follow-up three months after a class).
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
                violation_error_message=_("A survey must close after it opens."),
            ),
            models.CheckConstraint(
                condition=~Q(audience="class") | Q(training_class__isnull=False),
                name="survey_class_audience_has_class",
                violation_error_message=_("Choose the class whose trainees answer."),
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(purpose="evaluation"),
                name="survey_session_only_for_evaluation",
                violation_error_message=_("Only a session evaluation is about a session."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:detail", args=[self.pk])

    def answer_url(self) -> str:
        return reverse("surveys:answer", args=[self.pk])

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return (
            self.published_at is not None
            and self.opens_at <= moment
            and (self.closes_at is None or moment < self.closes_at)
        )

    @property
    def is_frozen(self) -> bool:
        """Questions never change once anyone answered (their answers would lose meaning)."""
        return self.participations.exists()


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Single and multiple choice: the options. Matrix: the items (rows) rated on the scale.
    options = models.JSONField(_("options"), default=list, blank=True)
    scale_min = models.SmallIntegerField(_("lowest score"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("highest score"), null=True, blank=True)
    # The need topic each option or item stands for (needs research, "was it met"), in order.
    option_topics = models.JSONField(_("need topic of each option"), default=list, blank=True)
    # Skip logic: shown only when ``show_if`` (an earlier choice question) was answered with
    # one of the option numbers in ``show_if_options``.
    show_if = models.ForeignKey(
        "self",
        verbose_name=_("show only after"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dependants",
    )
    show_if_options = models.JSONField(_("when the answer is"), default=list, blank=True)
    # A named part of a template (e.g. the rubric, "applied"), so results can find it.
    role = models.CharField(_("role"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_unique"),
            models.CheckConstraint(
                condition=~Q(kind__in=["rating", "matrix"])
                | Q(scale_min__isnull=False, scale_max__gt=models.F("scale_min")),
                name="question_scale_ordered",
                violation_error_message=_("A scale needs a lowest and a higher highest score."),
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def scale(self) -> range:
        return range(self.scale_min or 0, (self.scale_max or 0) + 1)


class Participation(models.Model):
    """Who answered a survey: one row per person (or one-time code), never linked to what
    they answered. It has no time either: its order must not follow the responses'."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.OneToOneField(
        "surveys.OneTimeCode",
        verbose_name=_("one-time code"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participation",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                name="participation_once_per_user",
                violation_error_message=_("You have already answered this survey."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) ^ Q(code__isnull=False),
                name="participation_by_user_or_code",
            ),
        ]

    def __str__(self):
        return f"{self.survey_id}: {self.user_id or 'code'}"


class OneTimeCode(models.Model):
    """A code handed to one respondent of an open survey (a slip, a message): it answers once.
    Only its digest is kept."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="codes"
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self):
        return f"{self.survey_id}: {self.digest[:8]}"


class Response(models.Model):
    """What one person answered. Anonymous: no cadre, no time, a random id. The respondent's
    city, post and class are kept for filtering results; results of a group smaller than
    ``RESULTS_MIN_RESPONSES`` are withheld."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    post = models.CharField(_("post"), max_length=30, blank=True)
    training_class = models.ForeignKey(
        "training.TrainingClass",
        verbose_name=_("training class"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["id"]  # random for anonymous responses: no order of arrival
        indexes = [models.Index(fields=["survey", "city"])]

    def __str__(self):
        return str(self.pk)


class Review(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    PUBLIC = "public", _("Shown to the teacher")
    PRIVATE = "private", _("Staff only")
    HIDDEN = "hidden", _("Hidden")


class Answer(models.Model):
    """One answer: a choice (option number), a score, a matrix item's score, or a text.
    A multiple-choice question has one row per option ticked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    item = models.PositiveSmallIntegerField(_("item"), null=True, blank=True)
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    # Text answers are reviewed before a teacher sees them.
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["id"]
        indexes = [models.Index(fields=["question", "item", "value"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""),
                name="answer_has_value_or_text",
            ),
        ]

    def __str__(self):
        return self.text[:30] if self.text else str(self.value)
