"""Needs research records: notes of community visits (走访) and trainee forums (座谈), each
with findings tagged with the need topics they bear on. The needs analysis counts them
(``needs.analysis``)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import narrow
from luodi.lib.models import TimestampedModel
from luodi.lib.params import parse_id


class RecordKind(models.TextChoices):
    VISIT = "visit", _("Community visit")
    FORUM = "forum", _("Trainee forum")


class ResearchRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every record for staff, administrators and supervisors; a liaison their own
        city's; nobody else any (records name the people met)."""
        return narrow(
            self,
            user,
            city=lambda city_id: self.filter(city_id=city_id),
            own_classes=lambda teacher_id: self.none(),
            own=lambda user: self.none(),
        )

    def filtered(self, *, city: str = "", kind: str = "", topic: str = ""):
        """The list's filters as given in its query string (unparsed text)."""
        found = self
        if (city_id := parse_id(city)) is not None:
            found = found.filter(city_id=city_id)
        if kind in RecordKind.values:
            found = found.filter(kind=kind)
        if (topic_id := parse_id(topic)) is not None:
            found = found.filter(findings__topics=topic_id).distinct()
        return found


class ResearchRecord(TimestampedModel):
    kind = models.CharField(_("kind of research"), max_length=10, choices=RecordKind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "city"},
    )
    community = models.ForeignKey(
        "regions.Community",
        verbose_name=_("community"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_records",
    )
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ResearchRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("needs research record")
        verbose_name_plural = _("needs research records")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["city", "date"])]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.place}"

    def get_absolute_url(self):
        return reverse("needs:record-detail", args=[self.pk])


class Finding(TimestampedModel):
    record = models.ForeignKey(
        ResearchRecord,
        verbose_name=_("research record"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("finding"))
    topics = models.ManyToManyField(
        "curriculum.NeedTopic", verbose_name=_("need topics"), blank=True, related_name="findings"
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["record", "position", "id"]

    def __str__(self):
        return self.text[:40]
