from django.contrib import admin

from luodi.accounts.admin import ServiceManagedAdmin
from luodi.surveys.models import Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "kind", "text", "required", "options", "scale_min", "scale_max"]
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False  # questions change on the survey's page, which freezes answered ones

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(ServiceManagedAdmin):
    """Read-only: surveys are built and opened on their own pages, through the services that
    keep answered questions frozen and record each change. Answers are not shown here."""

    list_display = ["title", "purpose", "audience", "anonymous", "opens_at", "closes_at"]
    list_filter = ["purpose", "audience", "anonymous"]
    search_fields = ["title"]
    inlines = [QuestionInline]
