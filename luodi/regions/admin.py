from django.contrib import admin

from luodi.accounts.admin import RecordAdmin
from luodi.regions.models import Community, Region


@admin.register(Region)
class RegionAdmin(RecordAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Community)
class CommunityAdmin(RecordAdmin):
    list_display = [
        "code",
        "name",
        "city",
        "district",
        "street",
        "households",
        "residents",
        "party_members",
        "party_org_type",
    ]
    list_filter = ["city", "party_org_type"]
    search_fields = ["code", "name", "street__name"]
    autocomplete_fields = ["street"]
    list_select_related = ["city", "district", "street"]
    readonly_fields = ["city", "district"]
