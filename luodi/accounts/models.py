import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from luodi.lib.models import TimestampedModel


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Academic staff")
    HEAD_TEACHER = "head_teacher", _("Head teacher")
    TEACHER = "teacher", _("Teacher")
    LIAISON = "liaison", _("City liaison")
    TRAINEE = "trainee", _("Trainee")
    SUPERVISOR = "supervisor", _("Supervisor")


class User(AbstractUser):
    """A person who logs in. The role decides what they may do (see ``accounts.access``)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TRAINEE)
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons",
        limit_choices_to={"level": "city"},
        help_text=_("The city a liaison works for."),
    )
    cadre = models.OneToOneField(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )
    teacher = models.OneToOneField(
        "faculty.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.LIAISON) | Q(city__isnull=False),
                name="user_liaison_has_city",
                violation_error_message=_("A city liaison must have a city."),
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiScope(models.TextChoices):
    """What an API token may be used for: the one registry of scope names.

    Each API operation declares the scope it needs (``requires_api(..., api_scope=...)``).
    ``read`` grants every read scope, never a write scope. A token carries write scopes only
    when it is not read-only (``ApiToken.read_only``), and a read-only token is refused any
    request that would change data, whatever its scopes.
    """

    READ = "read", _("Read everything the API offers")
    STATS_READ = "stats:read", _("Read statistics")
    COMMUNITIES_READ = "communities:read", _("Read communities")
    CADRES_READ = "cadres:read", _("Read cadres")
    TEACHERS_READ = "teachers:read", _("Read teachers")
    COURSES_READ = "courses:read", _("Read courses")
    CLASSES_READ = "classes:read", _("Read classes and their sessions")
    ENROLMENTS_READ = "enrolments:read", _("Read enrolments")
    ATTENDANCE_READ = "attendance:read", _("Read attendance")
    CERTIFICATES_READ = "certificates:read", _("Read certificates")
    ENROLMENTS_WRITE = "enrolments:write", _("Nominate and enrol cadres")
    ATTENDANCE_WRITE = "attendance:write", _("Mark attendance")

    @classmethod
    def writing(cls) -> frozenset[str]:
        """The scopes that let a token change data."""
        return frozenset({cls.ENROLMENTS_WRITE.value, cls.ATTENDANCE_WRITE.value})

    @classmethod
    def granting(cls, needed: str) -> frozenset[str]:
        """The scopes any one of which lets a token use an operation that needs ``needed``:
        a write scope only itself, a read scope itself or ``read``."""
        if needed in cls.writing():
            return frozenset({needed})
        return frozenset({needed, cls.READ})


class ApiTokenQuerySet(models.QuerySet):
    def by_key(self, raw: str) -> "ApiToken | None":
        """The token whose key is ``raw`` (whether or not it may still be used), with its user."""
        return self.select_related("user", "city").filter(digest=ApiToken.digest_of(raw)).first()

    def visible_to(self, user) -> "ApiTokenQuerySet":
        """A user's own tokens: the API tokens page shows no one else's."""
        return self.filter(user_id=user.pk)


class ApiToken(TimestampedModel):
    """A bearer token for the API. Only its SHA-256 digest is stored; the key is shown once.

    A token expires, may be revoked, is limited to its scopes and, if ``city`` is set, to one
    city's figures (a liaison's tokens always are: see ``accounts.tokens``).
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=50)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "city"},
        help_text=_("If set, the token gets this city's figures only."),
    )
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # A read-only token is refused every request that would change data; only a token that is
    # not may carry write scopes (``ApiScope.writing``).
    read_only = models.BooleanField(_("read only"), default=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.name}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "luodi_" + secrets.token_urlsafe(32)

    def is_expired(self, now) -> bool:
        return self.expires_at <= now

    def status(self, now) -> str:
        """ "revoked", "expired" or "active" (for the tokens page and the admin)."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired(now) else "active"

    @property
    def scope_labels(self) -> list[str]:
        return [ApiScope(s).label if s in ApiScope.values else s for s in self.scopes]

    def clean(self):
        if self.read_only and ApiScope.writing() & set(self.scopes or []):
            raise ValidationError({"scopes": _("A read-only token cannot carry write scopes.")})

    def grants(self, needed: str) -> bool:
        """Whether this token's scopes let it use an operation that needs scope ``needed``."""
        return bool(ApiScope.granting(needed) & set(self.scopes))


class LoginCodeQuerySet(models.QuerySet):
    def for_cadre(self, cadre_id: int) -> "LoginCodeQuerySet":
        return self.filter(cadre_id=cadre_id)

    def live(self, now) -> "LoginCodeQuerySet":
        """Codes that may still be entered: not used, not expired, not worn out by tries."""
        return self.filter(
            used_at__isnull=True, expires_at__gt=now, attempts__lt=LoginCode.MAX_TRIES
        )


class LoginCode(models.Model):
    """A one-time code sent to a trainee's mobile number for their first login (or after a
    reset). Only a keyed digest of the code is stored; it expires, allows a few tries and is
    used once. See ``checkin.first_login``."""

    MAX_TRIES = 5

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = LoginCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        indexes = [models.Index(fields=["cadre", "-created_at"], name="logincode_cadre_recent")]

    def __str__(self):
        return f"{self.cadre_id} · {self.created_at:%Y-%m-%d %H:%M}"
