from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luodi.accounts.admin import RecordAdmin
from luodi.cadres.models import Cadre


class CadreAdminForm(forms.ModelForm):
    """The admin never shows a stored ID or phone number in full: an existing cadre's fields
    start empty, their help text gives the masked number, and an empty field keeps it. To see
    the full number, staff use "Show full number" on the cadre's page, which is permissioned
    and recorded; correcting a number needs only the new one."""

    class Meta:
        model = Cadre
        fields = ("id_number", "phone")  # the admin adds its fieldsets' fields

    KEPT = ("id_number", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            return
        masks = {"id_number": self.instance.masked_id_number, "phone": self.instance.masked_phone}
        for name in self.KEPT:
            self.fields[name].required = False
            self.fields[name].help_text = gettext(
                "Stored: %(masked)s. Leave empty to keep it; type a new number to replace it."
            ) % {"masked": masks[name]}
            self.initial[name] = ""

    def clean_id_number(self):
        return self.cleaned_data["id_number"] or self.instance.id_number

    def clean_phone(self):
        return self.cleaned_data["phone"] or self.instance.phone


@admin.register(Cadre)
class CadreAdmin(RecordAdmin):
    form = CadreAdminForm
    list_display = ["name", "gender", "masked_id", "masked_mobile", "community", "city", "post"]
    list_filter = ["post", "gender", "political_status", "education", "community__city"]
    search_fields = ["name", "name_initials", "community__name"]
    autocomplete_fields = ["community"]
    list_select_related = ["community__city"]
    fieldsets = (
        (None, {"fields": ("name", "gender", "birth_date", "ethnicity", "id_number", "phone")}),
        (_("Community work"), {"fields": ("community", "post", "post_since", "started_on")}),
        (_("Background"), {"fields": ("political_status", "education")}),
    )

    @admin.display(description=_("ID number"))
    def masked_id(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("mobile phone"))
    def masked_mobile(self, obj):
        return obj.masked_phone

    @admin.display(description=_("city"), ordering="community__city__code")
    def city(self, obj):
        return obj.community.city

    def get_search_results(self, request, queryset, search_term):
        # An exact ID or phone number finds its cadre through the digest (the columns are
        # encrypted, so there is no LIKE on them).
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if len(term) == 18:
            queryset |= self.model.objects.with_id_number(term)
        elif len(term) == 11 and term.isdigit():
            queryset |= self.model.objects.with_phone(term)
        return queryset, may_have_duplicates
