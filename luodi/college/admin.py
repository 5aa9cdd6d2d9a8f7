from django.contrib import admin

from luodi.accounts.access import Perm
from luodi.accounts.admin import RecordAdmin
from luodi.college.models import CollegeSettings
from luodi.college.services import settings_save


@admin.register(CollegeSettings)
class CollegeSettingsAdmin(RecordAdmin):
    """One row: administrators change it, nobody adds a second or deletes it."""

    permission = Perm.MANAGE_SETTINGS
    list_display = ["__str__", "certificate_date", "updated_at"]
    fields = [
        "name",
        "seal",
        "certificate_date",
        "online_hours_rate",
        "external_hours_cap",
    ]

    def save_model(self, request, obj, form, change):
        """Through the same service as the settings page: checked and audited."""
        settings_save(college=obj, by=request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CollegeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
