from django.contrib import admin

from luodi.accounts.admin import ServiceManagedAdmin
from luodi.timetabling.models import Draft


@admin.register(Draft)
class DraftAdmin(ServiceManagedAdmin):
    """Made, solved and accepted on the pages (``services``); the admin only shows them."""

    list_display = ["__str__", "status", "created_by", "created_at", "accepted_at"]
    list_filter = ["status"]
