"""An import as staff see it: the uploaded file, how its columns were read, what checking it
found, and what importing it did. The file is kept (under a random name, never served) so that
the commit reads exactly what was checked; ``manage.py purge_imports`` is not needed: a run's
file goes with the run when an administrator deletes it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.accounts.models import Role
from luodi.lib.models import TimestampedModel
from luodi.lib.uploads import RandomPath

# The report kept on the run (the page shows it); the whole report is the job's xlsx.
PROBLEMS_KEPT = 1000
OUTCOMES_KEPT = 200


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own imports; an administrator's, everyone's."""
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        return self.filter(uploaded_by_id=user.pk)


class ImportRun(TimestampedModel):
    kind = models.CharField(_("kind"), max_length=30)
    file = models.FileField(_("file"), upload_to=RandomPath("imports"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    training_class = models.ForeignKey(
        "training.TrainingClass",
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    create_communities = models.BooleanField(_("create missing communities"), default=False)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)  # 1-based
    headers = models.JSONField(_("headers"), default=list, blank=True)
    # {"<column position>": "<field>"}: JSON object keys are text.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # Changed by every new check (a new mapping); a check's result is kept only if it is the
    # latest one asked for.
    revision = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    outcomes = models.JSONField(_("outcomes"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The language of the user who uploaded it: the report is written in it.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind}: {self.filename}"

    def get_absolute_url(self):
        return reverse("imports:run", args=[self.pk])

    @property
    def kind_label(self):
        from luodi.imports import kinds

        return kinds.get(self.kind).label

    @property
    def columns(self) -> dict[int, str]:
        return {int(position): name for position, name in self.mapping.items()}

    @property
    def problem_rows(self) -> int:
        return int(self.summary.get("problem_rows", 0))

    @property
    def can_import(self) -> bool:
        """Checked, no row with a problem, and something to change."""
        return (
            self.status == ImportStatus.CHECKED
            and not self.problem_rows
            and bool(self.summary.get("changes"))
        )

    @property
    def is_busy(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class SavedHeader(TimestampedModel):
    """A header staff mapped by hand, remembered for the next file of that kind: "联系手机号"
    → mobile phone, or "备注" → not imported (an empty field)."""

    kind = models.CharField(_("kind"), max_length=30)
    header = models.CharField(_("header"), max_length=100)
    field = models.CharField(_("field"), max_length=30, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("saved column header")
        verbose_name_plural = _("saved column headers")
        constraints = [
            models.UniqueConstraint(fields=["kind", "header"], name="saved_header_once_per_kind")
        ]

    def __str__(self):
        return f"{self.kind}: {self.header} → {self.field or '-'}"
