from django.contrib import admin

from luodi.accounts.admin import RecordAdmin
from luodi.faculty.models import ExpertiseTag, Teacher


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(RecordAdmin):
    search_fields = ["name"]


@admin.register(Teacher)
class TeacherAdmin(RecordAdmin):
    list_display = ["name", "kind", "source_unit", "title", "review_status", "reviewed_on"]
    list_filter = ["kind", "review_status", "expertise"]
    search_fields = ["name", "source_unit", "expertise__name"]
    autocomplete_fields = ["expertise", "cadre"]
