from django.contrib import admin

from luodi.accounts.admin import RecordAdmin, RecordInline
from luodi.needs.models import Finding, ResearchRecord


class FindingInline(RecordInline):
    model = Finding
    fields = ["position", "text", "topics"]


@admin.register(ResearchRecord)
class ResearchRecordAdmin(RecordAdmin):
    list_display = ["date", "kind", "place", "city", "community"]
    list_filter = ["kind", "city"]
    search_fields = ["place", "participants", "summary"]
    autocomplete_fields = ["community"]
    list_select_related = ["city", "community"]
    inlines = [FindingInline]
