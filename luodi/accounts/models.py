import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
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


class ApiTokenQuerySet(models.QuerySet):
    def authenticate(self, raw: str):
        digest = hashlib.sha256(raw.encode()).hexdigest()
        token = self.select_related("user").filter(digest=digest, user__is_active=True).first()
        return token.user if token else None


class ApiToken(TimestampedModel):
    """A bearer token for the API. Only its SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=50)
    digest = models.CharField(max_length=64, unique=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.name}"

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple["ApiToken", str]:
        raw = "luodi_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=hashlib.sha256(raw.encode()).hexdigest()
        )
        return token, raw
