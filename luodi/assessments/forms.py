from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from luodi.accounts.access import ROLE_PERMS, Perm
from luodi.accounts.models import User
from luodi.assessments.models import Project, Stage
from luodi.regions.models import Community, Region, RegionLevel


class ProjectForm(forms.ModelForm):
    bands = forms.CharField(
        label=_("Grade bands"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One a line, from the highest down: the label and the lowest total."),
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "client",
            "year",
            "status",
            "description",
            "spread_mad_factor",
            "spread_points",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new project shows the default bands, to keep or change.
        self.fields["bands"].initial = "\n".join(
            f"{label} {low.normalize():f}" for label, low in self.instance.bands
        )
        if not self.instance.pk:
            del self.fields["status"]

    def clean_bands(self) -> list:
        rows = []
        for line in self.cleaned_data["bands"].splitlines():
            parts = line.replace("≥", " ").split()
            if not parts:
                continue
            try:
                rows.append([" ".join(parts[:-1]), float(Decimal(parts[-1]))])
            except (InvalidOperation, IndexError):
                raise forms.ValidationError(
                    _("Write each band as its label and its lowest total, e.g. “优秀 90”.")
                ) from None
            if not rows[-1][0]:
                raise forms.ValidationError(_("Each band needs a label."))
        return rows


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["starts_on", "ends_on", "status", "note"]
        widgets = {
            "starts_on": forms.DateInput(
                format="%Y-%m-%d", attrs={"type": "date", "aria-label": _("Starts on")}
            ),
            "ends_on": forms.DateInput(
                format="%Y-%m-%d", attrs={"type": "date", "aria-label": _("Ends on")}
            ),
            "status": forms.Select(attrs={"aria-label": _("Status")}),
            "note": forms.TextInput(attrs={"aria-label": pgettext_lazy("assessment", "Note")}),
        }


class UnitForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Region.objects.filter(level=RegionLevel.DISTRICT).select_related("parent"),
        required=False,
    )
    community = forms.CharField(
        label=_("Community"),
        required=False,
        max_length=50,
        help_text=_("Its 12-digit code or its name."),
    )
    name = forms.CharField(label=_("Or a unit named freely"), required=False, max_length=100)

    def clean_community(self) -> Community | None:
        text = self.cleaned_data["community"].strip()
        if not text:
            return None
        found = list(
            Community.objects.filter(code=text).select_related("district")[:1]
            or Community.objects.filter(name=text).select_related("district")[:2]
        )
        if not found:
            raise forms.ValidationError(_("No community has this code or name."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several communities have this name: give its code."))
        return found[0]


def expert_candidates():
    roles = [role for role, perms in ROLE_PERMS.items() if Perm.SCORE_ASSESSMENTS in perms]
    return User.objects.filter(is_active=True, role__in=roles).order_by("role", "username")


class ExpertForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Expert"), queryset=User.objects.none())

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = expert_candidates().exclude(assessment_projects=project)  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: f"{u.display_name}（{u.get_role_display()}）"  # type: ignore[attr-defined]


class IndicatorsForm(forms.Form):
    outline = forms.CharField(
        label=_("Indicator system"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "outline"}),
        max_length=20000,
    )


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy from"), queryset=Project.objects.none())

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (  # type: ignore[attr-defined]
            Project.objects.exclude(pk=project.pk).filter(indicators__isnull=False).distinct()
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
