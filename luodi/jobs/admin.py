from django.contrib import admin

from luodi.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: for an administrator to see what was asked for and why it failed."""

    list_display = ["kind", "subject", "requested_by", "status", "created_at", "expires_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
