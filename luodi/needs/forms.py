from django import forms
from django.utils.translation import gettext_lazy as _

from luodi.curriculum.models import NeedTopic
from luodi.lib.pickers import PickerSelect
from luodi.needs.models import ResearchRecord
from luodi.needs.services import FindingSpec
from luodi.regions.forms import CommunityCodeField
from luodi.regions.models import Region
from luodi.training.models import NOT_STARTED_STATUSES, TrainingClass


def plannable_classes():
    """The classes a course plan may be made for: not yet running."""
    return TrainingClass.objects.filter(status__in=NOT_STARTED_STATUSES).select_related(
        "class_type"
    )


class PlannedClassForm(forms.Form):
    """The class a course plan is for, searched by year, term or type: a province plans
    hundreds of classes at once, too many for a drop-down."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field is named as the plan page's parameter, ``class`` (a keyword in Python).
        self.fields["class"] = forms.ModelChoiceField(
            plannable_classes(),
            label=_("Planned class"),
            widget=PickerSelect(
                "training:class-pick", query={"status": ",".join(NOT_STARTED_STATUSES)}
            ),
        )


class RecordForm(forms.ModelForm):
    class Meta:
        model = ResearchRecord
        fields = ["kind", "date", "place", "city", "community", "participants", "summary"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"community": CommunityCodeField}
        help_texts = {
            "community": _(
                "Optional: the community's code; when given, the record's city is the community's."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = Region.objects.cities()

    def clean(self):
        data = super().clean()
        community, city = data.get("community"), data.get("city")
        if community and city and community.city_id != city.pk:
            self.add_error("community", _("This community is in another city."))
        return data


class FindingForm(forms.Form):
    text = forms.CharField(
        label=_("Finding"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Need topics"),
        queryset=NeedTopic.objects.select_related("category"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if data.get("topics") and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the finding the topics belong to."))
        return data

    def spec(self) -> FindingSpec:
        return FindingSpec(
            text=self.cleaned_data.get("text") or "",
            topic_ids=[t.pk for t in self.cleaned_data.get("topics") or []],
        )


FindingFormSet = forms.formset_factory(FindingForm, extra=2, max_num=30)
