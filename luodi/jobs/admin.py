from django.contrib import admin

from luodi.accounts.access import Perm
from luodi.accounts.admin import ServiceManagedAdmin
from luodi.jobs.models import Job


@admin.register(Job)
class JobAdmin(ServiceManagedAdmin):
    """Read-only, for administrators: what was asked for, by whom, and why it failed. Jobs hold
    other people's documents, so academic staff see only their own, on the class pages."""

    permission = Perm.MANAGE_SETTINGS
    list_display = ["kind", "subject", "requested_by", "status", "created_at", "expires_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]
