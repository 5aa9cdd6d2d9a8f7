from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")


# The level each level's parent must have; a province has none.
PARENT_LEVEL = {
    RegionLevel.CITY: RegionLevel.PROVINCE,
    RegionLevel.DISTRICT: RegionLevel.CITY,
    RegionLevel.STREET: RegionLevel.DISTRICT,
}


class RegionQuerySet(CountedQuerySet):
    def cities(self):
        return self.filter(level=RegionLevel.CITY).order_by("code")


class Region(TimestampedModel):
    """A node of the administrative tree: province → city → district → street (街道).

    Codes follow GB/T 2260 (6 digits) for provinces, cities and districts, and the 9-digit
    statistical division code for streets.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=RegionLevel.PROVINCE, parent__isnull=True)
                | (~Q(level=RegionLevel.PROVINCE) & Q(parent__isnull=False)),
                name="region_parent_iff_not_province",
                violation_error_message=_(
                    "A province has no parent region; every other region needs one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}([0-9]{3})?$"),
                name="region_code_digits",
                violation_error_message=_("A region code has 6 or 9 digits."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        expected = PARENT_LEVEL.get(self.level)
        if expected and self.parent and self.parent.level != expected:
            raise ValidationError(
                {
                    "parent": _("The parent of a %(level)s must be a %(parent)s.")
                    % {"level": self.get_level_display(), "parent": RegionLevel(expected).label}
                }
            )


class PartyOrgType(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")


class CommunityQuerySet(CountedQuerySet):
    def in_city(self, city):
        return self.filter(city=city)


class Community(TimestampedModel):
    """An urban residential community (社区) and its profile."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    street = models.ForeignKey(
        Region,
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        related_name="communities",
        limit_choices_to={"level": RegionLevel.STREET},
    )
    # Denormalised from the street so that city filters and statistics need no tree walk.
    district = models.ForeignKey(
        Region,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    city = models.ForeignKey(
        Region,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    buildings = models.PositiveIntegerField(_("buildings"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    residents = models.PositiveIntegerField(_("residents"), default=0)
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    party_org_type = models.CharField(
        _("party organisation"),
        max_length=20,
        choices=PartyOrgType.choices,
        default=PartyOrgType.BRANCH,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["code"]
        indexes = [models.Index(fields=["city", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_members__lte=models.F("residents")),
                name="community_party_members_within_residents",
                violation_error_message=_("Party members cannot outnumber residents."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{12}$"),
                name="community_code_digits",
                violation_error_message=_("A community code has 12 digits."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:community-detail", args=[self.pk])

    def place_street(self):
        """Fill the denormalised district and city from the street."""
        self.district_id = self.street.parent_id
        self.city_id = self.street.parent.parent_id

    def clean(self):
        if self.street_id:
            if self.street.level != RegionLevel.STREET:
                raise ValidationError({"street": _("Choose a street, not a larger region.")})
            self.place_street()

    def save(self, *args, **kwargs):
        # Keep the denormalised columns true to the street; no other side effect.
        if self.street_id:
            self.place_street()
        super().save(*args, **kwargs)
