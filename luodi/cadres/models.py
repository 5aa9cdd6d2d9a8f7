from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import Perm, has_perm, narrow
from luodi.lib import personal, pinyin
from luodi.lib.crypto import EncryptedCharField
from luodi.lib.data_version import CountedQuerySet
from luodi.lib.models import TimestampedModel
from luodi.lib.params import parse_id
from luodi.lib.posts import Post

ID_NUMBER_ERRORS = {
    "length": _(
        "An ID number has 18 characters; Excel keeps only 15 digits of a number, "
        "so store the column as text."
    ),
    "format": _("An ID number has 17 digits followed by a digit or X."),
    "birth_date": _("The birth date inside this ID number is not a real date."),
    "area_code": _("The area code at the start of this ID number does not exist."),
    "checksum": _("This ID number's check digit is wrong; please check it for a typo."),
}


def validate_id_number(value: str) -> None:
    try:
        personal.validate_id_number(value)
    except personal.InvalidIdNumber as exc:
        raise ValidationError(ID_NUMBER_ERRORS[str(exc)], code="invalid_id_number") from exc


def validate_phone(value: str) -> None:
    if value and not personal.is_valid_phone(value):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number, e.g. 13812345678."), code="invalid_phone"
        )


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("CPC member")
    PROBATIONARY = "probationary", _("Probationary CPC member")
    LEAGUE_MEMBER = "league_member", _("CYL member")
    DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
    MASSES = "masses", _("Non-party")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Secondary school")
    JUNIOR = "junior", _("Junior middle school or below")


class CadreQuerySet(CountedQuerySet):
    def in_city(self, city):
        return self.filter(community__city=city)

    def search(self, text: str):
        """Match a name, its pinyin initials (``zs`` finds 张三), the whole name in pinyin
        (``songjuan`` or ``song juan`` finds 宋娟), a community name, or a full ID or mobile
        number (through their digests: the numbers themselves are encrypted)."""
        text = text.strip()
        if not text:
            return self
        q = Q(name__contains=text) | Q(community__name__contains=text)
        letters = text.replace(" ", "").lower()
        if letters.isascii() and letters.isalpha():
            q |= Q(name_initials__startswith=letters)
            if len(letters) > 1:
                spaced = Replace("name_pinyin", Value(" "), Value(""))
                return self.alias(pinyin_run=spaced).filter(q | Q(pinyin_run__startswith=letters))
        number = personal.normalize(text)
        if personal.is_valid_phone(number):
            q |= Q(phone_digest=personal.phone_digest(number, settings.LUODI_ID_DIGEST_KEY))
        elif len(number) == 18:
            q |= Q(id_number_digest=personal.id_number_digest(number, settings.LUODI_ID_DIGEST_KEY))
        return self.filter(q)

    def filtered(self, *, q: str = "", city: str = "", post: str = ""):
        """The cadre list's filters, as given in its query string (unparsed text): the list
        and its export read them here, so the export holds exactly the rows of the list."""
        cadres = self.search(q)
        if (city_id := parse_id(city)) is not None:
            cadres = cadres.filter(community__city_id=city_id)
        if post in Post.values:
            cadres = cadres.filter(post=post)
        return cadres

    def visible_to(self, user):
        """The cadres a user may see (``Perm.VIEW_CADRES`` and ``accounts.access.ROLE_REACH``):
        all, a liaison's own city's, or a head teacher's trainees (those with an enrolment in
        a class they head)."""
        if not has_perm(user, Perm.VIEW_CADRES):
            return self.none()
        return narrow(self, user, city=self.in_city, own_classes=self.taught_by, own=self.of_user)

    def taught_by(self, teacher_id: int):
        """The trainees of the classes ``teacher_id`` heads; a subquery rather than a join, so
        a trainee of two classes is listed once."""
        taught = self.model.objects.filter(enrolments__training_class__head_teacher_id=teacher_id)
        return self.filter(pk__in=taught.values("pk"))

    def of_user(self, user):
        """The user's own cadre record, whatever their role."""
        return self.filter(pk=user.cadre_id) if user.cadre_id else self.none()

    def with_id_number(self, number: str):
        digest = personal.id_number_digest(number, settings.LUODI_ID_DIGEST_KEY)
        return self.filter(id_number_digest=digest)

    def with_phone(self, number: str):
        """Cadres with this mobile number (for login by phone), found through its digest."""
        digest = personal.phone_digest(number, settings.LUODI_ID_DIGEST_KEY)
        return self.filter(phone_digest=digest) if digest else self.none()


class Cadre(TimestampedModel):
    """A community cadre (社区干部): one record per person, reused by every class they attend."""

    name = models.CharField(_("full name"), max_length=30)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=120, editable=False)
    name_initials = models.CharField(
        _("pinyin initials"), max_length=30, editable=False, db_index=True
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices
    )
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    # Encrypted at rest (luodi.lib.crypto); the keyed digests carry uniqueness and look-ups.
    # The format rules live in the validators: a database constraint cannot read ciphertext.
    id_number = EncryptedCharField(_("ID number"), max_length=18, validators=[validate_id_number])
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedCharField(_("mobile phone"), max_length=11, validators=[validate_phone])
    phone_digest = models.CharField(max_length=64, db_index=True, editable=False, default="")
    community = models.ForeignKey(
        "regions.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="cadres",
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    started_on = models.DateField(_("started community work on"))
    # When the cadre took up their present post: "new secretaries trained within half a year
    # of taking office" counts from it. Unknown for records imported without it.
    post_since = models.DateField(_("in this post since"), null=True, blank=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("community cadre")
        verbose_name_plural = _("community cadres")
        ordering = ["name_pinyin", "id"]
        # The cadre list's order (page and API): a page is read from the index, not sorted
        # out of every cadre of the province.
        indexes = [models.Index(fields=["name_pinyin", "id"], name="cadre_by_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__gt=models.F("birth_date")),
                name="cadre_started_after_birth",
                violation_error_message=_("Community work cannot start before birth."),
            ),
            models.CheckConstraint(
                condition=Q(post_since__isnull=True) | Q(post_since__gte=models.F("started_on")),
                name="cadre_post_since_after_start",
                violation_error_message=_("A post cannot be taken up before community work began."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:cadre-detail", args=[self.pk])

    @property
    def is_anonymised(self) -> bool:
        """Every registered cadre has an ID number; only anonymisation empties it."""
        return not self.id_number

    @property
    def age(self) -> int:
        """Full years today: what pages show instead of the birth date."""
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def masked_id_number(self) -> str:
        return personal.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return personal.mask_phone(self.phone)

    def fill_derived(self) -> None:
        """Normalise the ID number and phone, and compute the pinyin and digest columns."""
        self.name = self.name.strip()
        self.id_number = personal.normalize(self.id_number)
        self.phone = personal.normalize(self.phone)
        self.name_pinyin = pinyin.full(self.name)
        self.name_initials = pinyin.initials(self.name)
        self.id_number_digest = personal.id_number_digest(
            self.id_number, settings.LUODI_ID_DIGEST_KEY
        )
        self.phone_digest = personal.phone_digest(self.phone, settings.LUODI_ID_DIGEST_KEY)

    def clean(self):
        self.fill_derived()
        errors = {}
        try:
            number = personal.validate_id_number(self.id_number)
        except personal.InvalidIdNumber:
            return  # the field validator reports it
        if self.birth_date and self.birth_date.strftime("%Y%m%d") != number[6:14]:
            errors["birth_date"] = _("The birth date does not match the ID number.")
        if self.gender and (self.gender == Gender.MALE) != personal.id_number_is_male(number):
            errors["gender"] = _("The gender does not match the ID number.")
        others = Cadre.objects.exclude(pk=self.pk)
        if others.filter(id_number_digest=self.id_number_digest).exists():
            errors["id_number"] = _("A cadre with this ID number is already registered.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)
