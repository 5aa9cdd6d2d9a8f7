import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import Perm, has_perm
from luodi.accounts.models import Role
from luodi.cadres.models import validate_phone
from luodi.lib import pinyin
from luodi.lib.crypto import EncryptedCharField
from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel
from luodi.lib.personal import mask_account


class TeacherKind(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class ReviewStatus(models.TextChoices):
    """The latest political review's result, as ``Teacher.review_status`` keeps it."""

    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class ReviewResult(models.TextChoices):
    """One political review's result (a review on record has one)."""

    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class TitleBand(models.TextChoices):
    """The professional title's band, which sets the honorarium rate (课酬标准)."""

    SENIOR = "senior", _("Senior (professor or equivalent)")
    ASSOCIATE = "associate", _("Associate senior (associate professor or equivalent)")
    INTERMEDIATE = "intermediate", _("Intermediate (lecturer or equivalent)")
    OTHER = "other", _("Other")

    @classmethod
    def for_title(cls, title: str) -> "TitleBand":
        """A first guess of the band from the title's words (staff correct it on the form)."""
        title = title or ""
        if "副" in title and any(w in title for w in ("教授", "研究员", "高级")):
            return cls.ASSOCIATE
        if any(w in title for w in ("教授", "研究员", "正高")):
            return cls.SENIOR
        if any(w in title for w in ("讲师", "中级", "助理研究员")):
            return cls.INTERMEDIATE
        return cls.OTHER


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ExpertiseTag(TimestampedModel):
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("expertise tag")
        verbose_name_plural = _("expertise tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TeacherQuerySet(CountedQuerySet):
    def cleared_on(self, day):
        """Teachers cleared by political review on ``day`` (a date or an ``OuterRef`` to one):
        the only ones who may teach that day. See ``PoliticalReviewQuerySet.covering``."""
        return self.filter(
            Exists(PoliticalReview.objects.covering(day).filter(teacher=OuterRef("pk")))
        )

    def matching(self, text: str):
        """Teachers whose name or unit holds ``text``, or whose name's pinyin does (written
        with or without spaces: ``wangwei`` finds 王伟)."""
        spelled = text.lower().replace(" ", "")
        return self.annotate(compact_pinyin=Replace("name_pinyin", Value(" "), Value(""))).filter(
            Q(name__contains=text)
            | Q(source_unit__contains=text)
            | Q(compact_pinyin__contains=spelled)
        )

    def visible_to(self, user):
        """The teachers whose page a user may open: all for roles that read the faculty pool,
        only their own for a teacher (``Role.TEACHER``), none for the others."""
        if not has_perm(user, Perm.VIEW_FACULTY):
            return self.none()
        if user.role == Role.TEACHER and not user.is_superuser:
            return self.filter(pk=user.teacher_id) if user.teacher_id else self.none()
        return self


class Teacher(TimestampedModel):
    """A member of the faculty pool (师资库), full-time or part-time."""

    name = models.CharField(_("full name"), max_length=30)
    name_pinyin = models.CharField(max_length=120, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=TeacherKind.choices)
    source_unit = models.CharField(_("source unit"), max_length=100)
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("expertise"), blank=True, related_name="teachers"
    )
    phone = EncryptedCharField(  # encrypted at rest, like a cadre's
        _("mobile phone"), max_length=11, blank=True, validators=[validate_phone]
    )
    bio = models.TextField(_("biography"), blank=True)
    review_status = models.CharField(
        _("political review"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    # review_status and reviewed_on are the latest PoliticalReview, denormalised for lists and
    # the API; only ``faculty.services.review_record`` writes them. Whether a teacher may teach
    # on a day is ``cleared_on(day)``, never these two.
    title_band = models.CharField(
        _("title band"), max_length=12, choices=TitleBand.choices, default=TitleBand.OTHER
    )
    unavailable_weekdays = models.JSONField(
        _("unavailable weekdays"), default=list, blank=True, help_text=_("0 is Monday.")
    )
    max_sessions_per_day = models.PositiveSmallIntegerField(
        _("most sessions a day"), null=True, blank=True
    )
    # For paying honoraria; encrypted at rest and masked on pages (revealed on record).
    bank_name = EncryptedCharField(_("bank"), max_length=60, blank=True)
    bank_account = EncryptedCharField(_("bank account number"), max_length=30, blank=True)
    cadre = models.OneToOneField(
        "cadres.Cadre",
        verbose_name=_("also a community cadre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher",
        help_text=_("For an outstanding community secretary who also teaches."),
    )

    objects = TeacherQuerySet.as_manager()

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_status=ReviewStatus.PENDING) | Q(reviewed_on__isnull=False),
                name="teacher_review_has_date",
                violation_error_message=_("A completed political review needs its date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("faculty:teacher-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin.full(self.name)
        super().save(*args, **kwargs)

    @property
    def unavailable_weekday_names(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[d]) for d in sorted(self.unavailable_weekdays or []) if d in names]

    @property
    def bank_account_masked(self) -> str:
        return mask_account(self.bank_account)

    def review_problem(self, day: dt.date) -> str | None:
        """Why this teacher may not teach on ``day`` by political review (None: cleared): no
        review, the last passed one expired, or the latest one not passed."""
        reviews = list(self.reviews.filter(date__lte=day).order_by("-date", "-id"))
        if any(r.covers(day) for r in reviews):
            return None
        if not reviews:
            return gettext("%(teacher)s has no political review on record by %(day)s.") % {
                "teacher": self.name,
                "day": day,
            }
        latest = reviews[0]
        if latest.result != ReviewResult.PASSED:
            return gettext("%(teacher)s did not pass political review (%(date)s).") % {
                "teacher": self.name,
                "date": latest.date,
            }
        return gettext("%(teacher)s's political review expired on %(until)s, before %(day)s.") % {
            "teacher": self.name,
            "until": latest.valid_until,
            "day": day,
        }

    def availability_problem(self, day: dt.date, *, other_sessions: int) -> str | None:
        """Why this teacher may not teach on ``day`` by their availability (None: available);
        ``other_sessions`` is how many other sessions they teach that day."""
        if day.weekday() in (self.unavailable_weekdays or []):
            return gettext("%(teacher)s does not teach on %(weekday)s (%(day)s).") % {
                "teacher": self.name,
                "weekday": dict(WEEKDAYS)[day.weekday()],
                "day": day,
            }
        away = self.unavailabilities.filter(start__lte=day, end__gte=day).first()
        if away:
            return gettext("%(teacher)s is unavailable from %(start)s to %(end)s%(reason)s.") % {
                "teacher": self.name,
                "start": away.start,
                "end": away.end,
                "reason": f"（{away.reason}）" if away.reason else "",
            }
        if self.max_sessions_per_day and other_sessions >= self.max_sessions_per_day:
            return gettext("%(teacher)s teaches at most %(n)s sessions a day (%(day)s).") % {
                "teacher": self.name,
                "n": self.max_sessions_per_day,
                "day": day,
            }
        return None


class PoliticalReviewQuerySet(models.QuerySet):
    def covering(self, day):
        """Passed reviews valid on ``day`` (date ≤ day ≤ valid until): the one definition of
        a teacher cleared on a day. ``day`` may be an ``OuterRef`` (a session's date)."""
        return self.filter(result=ReviewResult.PASSED, date__lte=day, valid_until__gte=day)


class PoliticalReview(TimestampedModel):
    """One political review (政审) of a teacher: its result and how long a pass holds."""

    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="reviews"
    )
    date = models.DateField(_("review date"))
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices)
    reviewer = models.CharField(_("reviewer"), max_length=50, blank=True)
    valid_until = models.DateField(_("valid until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = PoliticalReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("political review")
        verbose_name_plural = _("political reviews")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("date")),
                name="review_valid_after_date",
                violation_error_message=_("A review cannot expire before its date."),
            ),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.date} · {self.get_result_display()}"

    def covers(self, day: dt.date) -> bool:
        return self.result == ReviewResult.PASSED and self.date <= day <= self.valid_until


class Unavailability(TimestampedModel):
    """Days a teacher cannot teach (a trip, a term abroad)."""

    teacher = models.ForeignKey(
        Teacher,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="unavailabilities",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="unavailability_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.teacher} {self.start}–{self.end}"


class HonorariumRate(TimestampedModel):
    """Pay per teaching hour (学时) by title band and kind of teacher: the honorarium table."""

    title_band = models.CharField(_("title band"), max_length=12, choices=TitleBand.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=TeacherKind.choices)
    per_hour = models.DecimalField(
        _("yuan per teaching hour"), max_digits=8, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("honorarium rate")
        verbose_name_plural = _("honorarium rates")
        ordering = ["kind", "title_band"]
        constraints = [
            models.UniqueConstraint(fields=["title_band", "kind"], name="one_rate_per_band_kind"),
            models.CheckConstraint(
                condition=Q(per_hour__gte=0),
                name="rate_not_negative",
                violation_error_message=_("A rate cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_title_band_display()} · {self.per_hour}"
