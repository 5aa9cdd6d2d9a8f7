"""The college settings page's form: identity, 学时 and targets, check-in, completion and
evaluation, certificates, the hours ledger. A rule left empty takes the national default,
shown as the field's placeholder."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from luodi.college.models import DEFAULT_WORDING, CollegeSettings
from luodi.college.timetable_rules import SOFT_RULES
from luodi.lib.posts import Post

SECTIONS = [
    (_("The college"), ["name", "short_name", "address", "logo", "seal"]),
    (_("Training hours (学时)"), ["hours_per_day"]),
    (
        _("Check-in"),
        [
            "checkin_opens_before",
            "checkin_closes_after",
            "checkin_late_after",
            "checkin_token_seconds",
        ],
    ),
    (_("Completion and evaluation"), ["reflection_min_length", "satisfaction_line"]),
    (_("Automatic timetabling"), []),
    (_("Certificates"), ["certificate_wording", "certificate_prefix", "certificate_date"]),
    (_("Training outside the college"), ["online_hours_rate", "external_hours_cap"]),
]
# The national default of each rule a college may leave empty (the placeholder shows it).
DEFAULTS = {
    "checkin_opens_before": "LUODI_CHECKIN_OPENS_MINUTES_BEFORE",
    "checkin_closes_after": "LUODI_CHECKIN_CLOSES_MINUTES_AFTER",
    "checkin_late_after": "LUODI_CHECKIN_LATE_AFTER_MINUTES",
    "checkin_token_seconds": "LUODI_CHECKIN_TOKEN_SECONDS",  # nosec B105 # a setting name
    "reflection_min_length": "LUODI_REFLECTION_MIN_LENGTH",
    "satisfaction_line": "LUODI_SATISFACTION_LINE",
    "certificate_prefix": "LUODI_CERTIFICATE_PREFIX",
}
# Whole hours. 0: the post has no target (not counted for compliance); empty: the default.
HOURS = {"min_value": 0, "max_value": 1000}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CollegeSettings
        fields = [name for _title, names in SECTIONS for name in names]
        widgets = {"certificate_wording": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, setting in DEFAULTS.items():
            self.fields[name].widget.attrs["placeholder"] = str(getattr(settings, setting))
        self.fields["name"].widget.attrs["placeholder"] = self.instance.printed_name
        self.fields["certificate_wording"].widget.attrs["placeholder"] = DEFAULT_WORDING
        national = CollegeSettings(pk=1)  # every rule at its national default
        own_annual = self.instance.annual_hours_targets or {}
        own_five = self.instance.five_year_hours_targets or {}
        defaults = national.annual_targets()
        five = self.instance.five_year_targets()
        for post, label in Post.choices:
            annual_field = forms.IntegerField(label=label, required=False, **HOURS)
            five_field = forms.IntegerField(label=label, required=False, **HOURS)
            annual_field.widget.attrs["placeholder"] = str(defaults.get(post, ""))
            five_field.widget.attrs["placeholder"] = str(five.get(post, ""))
            self.fields[f"annual_{post}"] = annual_field
            self.fields[f"five_{post}"] = five_field
            self.initial[f"annual_{post}"] = own_annual.get(post)
            self.initial[f"five_{post}"] = own_five.get(post)
        own_weights = self.instance.timetable_weights or {}
        for key, (weight, label) in SOFT_RULES.items():
            field = forms.IntegerField(label=label, required=False, min_value=0, max_value=100)
            field.widget.attrs["placeholder"] = str(weight)
            self.fields[f"weight_{key}"] = field
            self.initial[f"weight_{key}"] = own_weights.get(key)

    def weight_rows(self):
        return [(label, self[f"weight_{key}"]) for key, (_w, label) in SOFT_RULES.items()]

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def target_rows(self):
        return [
            (label, self[f"annual_{post}"], self[f"five_{post}"]) for post, label in Post.choices
        ]

    def _targets(self, prefix: str) -> dict[str, int] | None:
        given = {
            post: int(self.cleaned_data[f"{prefix}_{post}"])
            for post in Post.values
            if self.cleaned_data.get(f"{prefix}_{post}") is not None
        }
        return given or None  # none given: the national default

    def clean(self):
        cleaned = super().clean()
        self.instance.annual_hours_targets = self._targets("annual")
        self.instance.five_year_hours_targets = self._targets("five")
        weights = {
            key: self.cleaned_data[f"weight_{key}"]
            for key in SOFT_RULES
            if self.cleaned_data.get(f"weight_{key}") is not None
        }
        self.instance.timetable_weights = weights or None
        return cleaned
