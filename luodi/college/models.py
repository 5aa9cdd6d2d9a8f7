"""The college's own settings: one row, edited by administrators on the settings page
(``/college/settings/``, ``services.settings_save``, audited).

Who the college is (name, short name, address, logo, seal) and its rules: 学时 per day, the
yearly and five-year hours targets per post, the check-in window and code period, the shortest
reflection, the evaluation's pass line, the certificate's wording and serial prefix, how
training outside the college counts. A rule left empty takes the national default, which the
code holds (``settings.LUODI_*``); what stays in the environment is the deployment (database,
keys, hosts). Rules of a class type (attendance, leave, reflection required, target posts) are
on ``training.ClassType``; an assessment's grade bands on its project.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from luodi.college.timetable_rules import NATIONAL_WEIGHTS
from luodi.lib import audit
from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel
from luodi.lib.posts import Post

# Where ``CollegeSettings.load`` keeps the row on the request being served.
_ON_REQUEST = "_luodi_college_settings"

# The certificate's sentence, with the places a certificate fills in.
DEFAULT_WORDING = "于{dates}参加{class}，完成全部学习任务，共计{hours}学时，考核合格，准予结业。"
WORDING_PLACES = {"dates", "class", "hours"}


def targets_problem(targets) -> str:
    """Why a {post: hours} mapping is not a set of targets ("" when it is)."""
    if targets is None:
        return ""
    if not isinstance(targets, dict):
        return str(_("Give the hours per post."))
    for post, hours in targets.items():
        if post not in Post.values:
            return str(_("“%(post)s” is not a post.") % {"post": post})
        if not isinstance(hours, int) or isinstance(hours, bool) or not 0 <= hours <= 1000:
            return str(_("Hours must be a whole number between 0 and 1000."))
    return ""


class CertificateDate(models.TextChoices):
    CLASS_END = "class_end", _("The last day of the class")
    ISSUED = "issued", _("The day the certificate was issued")


class CollegeSettings(TimestampedModel):
    name = models.CharField(
        _("college name"),
        max_length=100,
        blank=True,
        help_text=_(
            "As printed on certificates and documents. Empty: the name the server is "
            "configured with."
        ),
    )
    seal = models.ImageField(
        _("seal image"),
        upload_to="college/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_(
            "A scan of the college's seal, printed over the date on certificates. A PNG "
            "with a transparent background looks best."
        ),
    )
    certificate_date = models.CharField(
        _("date on certificates"),
        max_length=20,
        choices=CertificateDate.choices,
        default=CertificateDate.CLASS_END,
    )
    # The hours ledger beyond the college (学时认定): how external training counts.
    online_hours_rate = models.DecimalField(
        _("online hours rate"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
        help_text=_(
            "An online course's recognised hours are credited at this rate (1.00: in full; "
            "0.50: half)."
        ),
    )
    external_hours_cap = models.DecimalField(
        _("yearly cap on external hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "The most hours of training outside the college that count for a cadre in one "
            "year. Empty: no cap."
        ),
    )

    short_name = models.CharField(
        _("short name"), max_length=20, blank=True, help_text=_("As in page headers: 辽宁社干院.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="college/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_("Shown in the page header; PNG or JPEG."),
    )
    # 学时 conversion: a full day of training is this many hours (a half-day, half of it).
    hours_per_day = models.DecimalField(
        _("hours per full day"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(6),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(12))],
        help_text=_(
            "学时 of a full day of training; a half-day counts half. The course plan "
            "fills a class's days with this many hours."
        ),
    )
    # The rules below: empty means the national default (``settings.LUODI_*``).
    annual_hours_targets = models.JSONField(
        _("yearly hours target per post"),
        null=True,
        blank=True,
        help_text=_(
            "Hours of training a year each post is to reach. Empty: 56 for community "
            "party secretaries and deputy secretaries."
        ),
    )
    five_year_hours_targets = models.JSONField(
        _("five-year hours target per post"),
        null=True,
        blank=True,
        help_text=_("Empty: five times the yearly target."),
    )
    checkin_opens_before = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the session)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1440)],
    )
    checkin_closes_after = models.PositiveSmallIntegerField(
        _("check-in closes (minutes after the start)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1440)],
    )
    checkin_late_after = models.PositiveSmallIntegerField(
        _("late after (minutes)"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    checkin_token_seconds = models.PositiveSmallIntegerField(
        _("check-in code changes every (seconds)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    reflection_min_length = models.PositiveSmallIntegerField(
        _("shortest reflection (characters)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5000)],
    )
    satisfaction_line = models.PositiveSmallIntegerField(
        _("evaluation pass line (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A session or teacher scoring below it is flagged. Empty: 85."),
    )
    certificate_wording = models.CharField(
        _("certificate wording"),
        max_length=300,
        blank=True,
        help_text=_(
            "The certificate's sentence, with {dates}, {class} and {hours} where they "
            "go. Empty: the standard wording."
        ),
    )
    timetable_weights = models.JSONField(
        _("timetabling weights"),
        null=True,
        blank=True,
        help_text=_(
            "How much each soft rule of automatic timetabling weighs; a rule not "
            "given keeps its national weight."
        ),
    )
    certificate_prefix = models.CharField(
        _("certificate number prefix"),
        max_length=6,
        blank=True,
        help_text=_("Letters and digits starting every certificate number. Empty: LN."),
    )

    # Its cap on external hours counts in the figures: a change makes a new data version.
    objects = CountedQuerySet.as_manager()

    class Meta:
        verbose_name = _("college settings")
        verbose_name_plural = _("college settings")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="college_settings_singleton"),
            models.CheckConstraint(
                condition=models.Q(online_hours_rate__gt=0, online_hours_rate__lte=1),
                name="college_online_rate_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(external_hours_cap__isnull=True)
                | models.Q(external_hours_cap__gte=0),
                name="college_external_cap_not_negative",
            ),
        ]

    def __str__(self):
        return str(self.printed_name)

    def clean(self):
        errors = {}
        weights = self.timetable_weights
        if weights is not None and (
            not isinstance(weights, dict)
            or set(weights) - set(NATIONAL_WEIGHTS)
            or not all(isinstance(w, int) and 0 <= w <= 100 for w in weights.values())
        ):
            errors["timetable_weights"] = _("Each weight is a whole number from 0 to 100.")
        for name in ("annual_hours_targets", "five_year_hours_targets"):
            problem = targets_problem(getattr(self, name))
            if problem:
                errors[name] = problem
        if self.certificate_wording:
            unknown = set(re.findall(r"{(\w*)}", self.certificate_wording)) - WORDING_PLACES
            if unknown or "{hours}" not in self.certificate_wording:
                errors["certificate_wording"] = _(
                    "Use only {dates}, {class} and {hours} (the hours are required)."
                )
        if self.certificate_prefix and not re.fullmatch(r"[A-Z0-9]{1,6}", self.certificate_prefix):
            errors["certificate_prefix"] = _("Use 1 to 6 capital letters or digits.")
        if errors:
            raise ValidationError(errors)

    def _or_default(self, name: str, setting: str):
        value = getattr(self, name)
        return getattr(settings, setting) if value is None else value

    # The rules as the code uses them: the college's value, or the national default.
    def annual_targets(self) -> dict[str, Decimal]:
        """The yearly hours target per post: the college's where it set one (0: the post has
        no target), the national default for the other posts."""
        targets = {p: Decimal(str(h)) for p, h in settings.LUODI_ANNUAL_HOURS_TARGETS.items()}
        for post, hours in (self.annual_hours_targets or {}).items():
            if hours:
                targets[post] = Decimal(str(hours))
            else:
                targets.pop(post, None)
        return targets

    def five_year_targets(self) -> dict[str, Decimal]:
        """The five-year target of each post with a yearly one: the college's where it set
        one, else the national default, else five times the yearly target."""
        own = self.five_year_hours_targets or {}
        national = settings.LUODI_FIVE_YEAR_HOURS_TARGETS
        changed = self.annual_hours_targets or {}
        targets = {}
        for post, yearly in self.annual_targets().items():
            if own.get(post):
                targets[post] = Decimal(str(own[post]))
            elif post in national and post not in changed:
                targets[post] = Decimal(str(national[post]))
            else:
                targets[post] = 5 * yearly
        return targets

    def soft_rule_weights(self) -> dict[str, int]:
        """Each soft rule's weight: the college's where it set one, else the national one."""
        own = self.timetable_weights or {}
        return {key: int(own.get(key, weight)) for key, weight in NATIONAL_WEIGHTS.items()}

    @property
    def checkin_opens_minutes(self) -> int:
        return self._or_default("checkin_opens_before", "LUODI_CHECKIN_OPENS_MINUTES_BEFORE")

    @property
    def checkin_closes_minutes(self) -> int:
        return self._or_default("checkin_closes_after", "LUODI_CHECKIN_CLOSES_MINUTES_AFTER")

    @property
    def checkin_late_minutes(self) -> int:
        return self._or_default("checkin_late_after", "LUODI_CHECKIN_LATE_AFTER_MINUTES")

    @property
    def checkin_step_seconds(self) -> int:
        return self._or_default("checkin_token_seconds", "LUODI_CHECKIN_TOKEN_SECONDS")

    @property
    def reflection_min_characters(self) -> int:
        return self._or_default("reflection_min_length", "LUODI_REFLECTION_MIN_LENGTH")

    @property
    def pass_line(self) -> int:
        return self._or_default("satisfaction_line", "LUODI_SATISFACTION_LINE")

    @property
    def serial_prefix(self) -> str:
        return self.certificate_prefix or settings.LUODI_CERTIFICATE_PREFIX

    def wording(self, *, dates: str, class_title: str, hours: str) -> str:
        text = self.certificate_wording or DEFAULT_WORDING
        return (
            text.replace("{dates}", dates).replace("{class}", class_title).replace("{hours}", hours)
        )

    @classmethod
    def load(cls) -> "CollegeSettings":
        """The college's settings; defaults until an administrator saves them. Read once per
        request (kept on the request being served: a page's rows may each ask a rule);
        outside a request (a job, a command), read each time."""
        request = audit.current_request()
        college = getattr(request, _ON_REQUEST, None)
        if college is None:
            college = cls.objects.filter(pk=1).first() or cls(pk=1)
            if request is not None:
                setattr(request, _ON_REQUEST, college)
        return college

    def save(self, *args, **kwargs):
        """Always the one row: a new instance replaces the saved settings, keeping the date
        they were first saved."""
        self.pk = 1
        if (request := audit.current_request()) is not None:  # read afresh after a change
            setattr(request, _ON_REQUEST, None)
        if self.created_at is None:
            first = CollegeSettings.objects.filter(pk=1).values_list("created_at", flat=True)
            self.created_at = first.first() or timezone.now()
        super().save(*args, **kwargs)

    @property
    def printed_name(self) -> str:
        """The name documents carry: in Chinese, whatever the reader's interface language."""
        if self.name:
            return self.name
        with translation.override("zh-hans"):
            return str(settings.LUODI_COLLEGE_NAME)

    @property
    def header_name(self) -> str:
        """The page header's name: the short name, else the name in the reader's language."""
        return self.short_name or self.name or str(settings.LUODI_COLLEGE_NAME)

    def seal_bytes(self) -> bytes | None:
        if not self.seal:
            return None
        with self.seal.open("rb") as f:
            return f.read()
