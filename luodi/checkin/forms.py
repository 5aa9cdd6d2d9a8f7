"""Forms only read the input; the services decide what is allowed and say why not."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from luodi.checkin.leave import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from luodi.checkin.trainee import REFLECTION_MAX_LENGTH
from luodi.lib.documents.text import hours_text
from luodi.lib.params import MAX_ID
from luodi.training.models import AttendanceStatus, Session


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return _("%(date)s %(slot)s %(start)s · %(course)s · %(hours)s h") % {
            "date": formats.date_format(obj.date, "m-d D"),
            "slot": obj.get_slot_display(),
            "start": obj.start_time.strftime("%H:%M"),
            "course": obj.course.title,
            "hours": hours_text(obj.hours),
        }


class LeaveRequestForm(forms.Form):
    sessions = SessionChoiceField(
        label=_("Sessions"),
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Reflection"),
        widget=forms.Textarea(attrs={"rows": 12, "data-counter": "reflection-counter"}),
        max_length=REFLECTION_MAX_LENGTH,
        required=False,
    )
    # Checked by its content in the service (training.services.reflections).
    attachment = forms.FileField(
        label=_("Attachment (optional): PDF, Word or a photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, min_length: int, **kwargs):
        super().__init__(*args, **kwargs)
        # Read by the live counter (static/luodi/char-counter.js); the service enforces it.
        self.fields["text"].widget.attrs["data-min-length"] = str(min_length)


class MarkForm(forms.Form):
    enrolment = forms.IntegerField(min_value=1, max_value=MAX_ID)
    status = forms.ChoiceField(choices=AttendanceStatus.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(max_length=NOTE_MAX_LENGTH, required=False)


class IdentifierForm(forms.Form):
    identifier = forms.CharField(
        label=_("ID number or mobile number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "text"}),
    )


class FirstLoginForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data
