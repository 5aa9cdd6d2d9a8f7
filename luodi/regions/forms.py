from django import forms
from django.utils.translation import gettext_lazy as _

from luodi.regions.models import Community


class CommunityCodeField(forms.ModelChoiceField):
    """A community given by its code (社区代码), typed: a province has tens of thousands of
    communities, too many for a drop-down list that each form would render in full."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.pop("to_field_name", None)  # a model form's default: the id
        kwargs.setdefault("queryset", Community.objects.all())
        kwargs.setdefault("help_text", _("The community's code, as in the community list."))
        kwargs.setdefault("error_messages", {"invalid_choice": _("No community has this code.")})
        super().__init__(to_field_name="code", **kwargs)
        self.widget.attrs.update(inputmode="numeric", maxlength="12", autocomplete="off")

    def prepare_value(self, value):
        """A community (or its id, as a form's initial data holds it) shown as its code."""
        if isinstance(value, int):
            return Community.objects.filter(pk=value).values_list("code", flat=True).first()
        return super().prepare_value(value)
