from django.contrib import admin

from luodi.college.models import CollegeSettings


@admin.register(CollegeSettings)
class CollegeSettingsAdmin(admin.ModelAdmin):
    """One row: administrators change it, nobody adds a second or deletes it."""

    list_display = ["__str__", "certificate_date", "updated_at"]
    fields = ["name", "seal", "certificate_date"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser and not CollegeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
