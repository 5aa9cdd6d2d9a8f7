"""A proposed timetable (``Draft``): what to place, the pins, and what the solver proposed.

Staff build a draft from a course plan or from a class's current timetable, solve it in the
background (``jobs``), pin sessions and solve again, then accept it: the proposal then goes
through the same checks as a session made by hand (``services.draft_accept``).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.lib.models import TimestampedModel
from luodi.timetabling.solver import relative_gap
from luodi.training.models import TrainingClass


class DraftStatus(models.TextChoices):
    SOLVING = "solving", _("Being solved")
    PROPOSED = "proposed", _("Proposed")
    INFEASIBLE = "infeasible", _("No timetable possible")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Failed")


class DraftQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drafts of the classes the user may plan: every draft for staff who plan classes."""
        from luodi.accounts.access import Perm, has_perm

        return self.all() if has_perm(user, Perm.PLAN_CLASSES) else self.none()


class Draft(TimestampedModel):
    classes = models.ManyToManyField(
        TrainingClass, verbose_name=_("classes"), related_name="timetable_drafts"
    )
    # {"items": [{key, class, course, title, method, hours, teachers, field_site, case,
    #   category, role, current}], "hours": {class id: hours to place}}
    spec = models.JSONField(_("what to place"), default=dict)
    pins = models.JSONField(_("pinned sessions"), default=list, blank=True)
    use_evenings = models.BooleanField(_("use evenings"), default=False)
    allow_holidays = models.BooleanField(_("allow statutory holidays"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=DraftStatus.choices, default=DraftStatus.SOLVING
    )
    # Each solve request has a number; a job's result is kept only if it is still the latest.
    revision = models.PositiveIntegerField(default=1, editable=False)
    proposal = models.JSONField(_("proposal"), default=list, blank=True)
    reasons = models.JSONField(_("why there is no timetable"), default=list, blank=True)
    objective = models.FloatField(_("penalty"), null=True, blank=True)
    bound = models.FloatField(_("best bound"), null=True, blank=True)
    seconds = models.FloatField(_("solving time (s)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("timetable draft")
        verbose_name_plural = _("timetable drafts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(accepted_at__isnull=False),
                name="draft_accepted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    def get_absolute_url(self):
        return reverse("timetabling:draft", args=[self.pk])

    @property
    def is_busy(self) -> bool:
        return self.status == DraftStatus.SOLVING

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)

    def items(self) -> list[dict]:
        return list(self.spec.get("items", []))

    def pinned(self) -> dict[str, dict]:
        return {p["item"]: p for p in self.pins}
