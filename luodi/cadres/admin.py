from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from luodi.accounts.admin import RecordAdmin
from luodi.cadres.models import Cadre


@admin.register(Cadre)
class CadreAdmin(RecordAdmin):
    list_display = ["name", "gender", "masked_id", "masked_mobile", "community", "city", "post"]
    list_filter = ["post", "gender", "political_status", "education", "community__city"]
    search_fields = ["name", "name_initials", "community__name"]
    autocomplete_fields = ["community"]
    list_select_related = ["community__city"]
    fieldsets = (
        (None, {"fields": ("name", "gender", "birth_date", "ethnicity", "id_number", "phone")}),
        (_("Community work"), {"fields": ("community", "post", "started_on")}),
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
        # An exact ID number finds its cadre through the digest, never a LIKE on the number.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if len(search_term.strip()) == 18:
            queryset |= self.model.objects.with_id_number(search_term)
        return queryset, may_have_duplicates
