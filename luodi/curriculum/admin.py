from django.contrib import admin

from luodi.accounts.admin import RecordAdmin
from luodi.curriculum.models import Course, CourseCategory, FieldSite, TeachingCase


@admin.register(CourseCategory)
class CourseCategoryAdmin(RecordAdmin):
    list_display = ["name", "position"]
    search_fields = ["name"]


@admin.register(Course)
class CourseAdmin(RecordAdmin):
    list_display = ["title", "category", "method", "default_hours", "is_active"]
    list_filter = ["category", "method", "is_active"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["category", "teachers"]
    list_select_related = ["category"]


@admin.register(FieldSite)
class FieldSiteAdmin(RecordAdmin):
    list_display = ["name", "community", "contact", "travel_minutes"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["community"]


@admin.register(TeachingCase)
class TeachingCaseAdmin(RecordAdmin):
    list_display = ["title", "community"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["community", "courses"]
