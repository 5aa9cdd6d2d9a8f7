"""Forms only read the input; the services decide what is allowed and say why not."""

from django import forms
from django.utils.translation import gettext_lazy as _

from luodi.accounts import tokens
from luodi.accounts.access import Reach, reach
from luodi.accounts.models import ApiScope, ApiToken


class CodeForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


VALID_FOR_DAYS = (7, 30, 90, 180, 365)


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiScope.choices,
        initial=[ApiScope.STATS_READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose what the token may read and, if it may write, change."),
    )
    may_write = forms.BooleanField(
        label=_("Allow this token to write (nominate and enrol cadres, mark attendance)"),
        required=False,
        help_text=_("Leave it unticked for a token that only reads: it cannot carry write scopes."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int)

    class Meta:
        model = ApiToken
        fields = ["name", "city"]
        help_texts = {"name": _("What the token is for, e.g. the city's reporting system.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        longest = tokens.max_days()
        self.fields["days"].choices = [
            (d, _("%(days)d days") % {"days": d}) for d in VALID_FOR_DAYS if d <= longest
        ]
        self.fields["days"].initial = tokens.default_days()
        if reach(user) == Reach.CITY:
            # A liaison's token is always limited to their own city.
            del self.fields["city"]
        else:
            self.fields["city"].empty_label = _("All cities")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "scopes": data["scopes"],
            "days": data["days"],
            "city": data.get("city"),
            "read_only": not data.get("may_write"),
        }
