from django import forms
from django.utils.translation import gettext_lazy as _

from luodi.faculty.models import WEEKDAYS, ExpertiseTag, ReviewResult, Teacher
from luodi.faculty.services import EDITABLE

DATE = forms.DateInput(attrs={"type": "date"})


class TeacherForm(forms.ModelForm):
    """A teacher's record as staff edit it (reviews and unavailable days have their own)."""

    unavailable_weekdays = forms.TypedMultipleChoiceField(
        label=_("Does not teach on"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expertise = forms.ModelMultipleChoiceField(
        ExpertiseTag.objects.all(),
        label=_("Expertise"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Teacher
        fields = [*EDITABLE, "expertise"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    # Full numbers are never sent to the browser (they are shown only on record, through the
    # reveal): blank keeps the one on record.
    PRIVATE = ("phone", "bank_account")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PRIVATE:
            self.initial[name] = ""
            if self.instance.pk and getattr(self.instance, name):
                self.fields[name].help_text = _("Leave blank to keep the number on record.")

    def _kept(self, name: str, value: str) -> str:
        return value or (getattr(self.instance, name) if self.instance.pk else "")

    def clean_phone(self):
        return self._kept("phone", self.cleaned_data.get("phone") or "")

    def clean_bank_account(self):
        number = (self.cleaned_data.get("bank_account") or "").replace(" ", "")
        if number and not number.isdigit():
            raise forms.ValidationError(_("An account number has digits only."))
        return self._kept("bank_account", number)


class ReviewForm(forms.Form):
    date = forms.DateField(label=_("Review date"), widget=DATE)
    result = forms.ChoiceField(label=_("Result"), choices=ReviewResult.choices)
    reviewer = forms.CharField(label=_("Reviewer"), max_length=50, required=False)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DATE,
        required=False,
        help_text=_("Blank: the college's usual term for a pass."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class UnavailabilityForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date cannot be before the start date."))
        return data


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
