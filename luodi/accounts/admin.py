from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from luodi.accounts.access import Perm, has_perm
from luodi.accounts.models import ApiToken, User
from luodi.accounts.role_changes import record_role_changes, role_snapshot


class RecordAdmin(admin.ModelAdmin):
    """Base for the college's records: editable by roles holding ``manage_records`` only.

    Roles decide admin access (not per-model Django permissions), so a college configures
    one table, ``accounts.access.ROLE_PERMS``.
    """

    permission = Perm.MANAGE_RECORDS
    list_per_page = 50

    def has_module_permission(self, request):
        return has_perm(request.user, self.permission)

    def has_view_permission(self, request, obj=None):
        return has_perm(request.user, self.permission)

    def has_add_permission(self, request):
        return has_perm(request.user, self.permission)

    def has_change_permission(self, request, obj=None):
        return has_perm(request.user, self.permission)

    def has_delete_permission(self, request, obj=None):
        return has_perm(request.user, self.permission)


class ServiceManagedAdmin(RecordAdmin):
    """Records that change only through their services (seats, results, attendance, leave):
    the admin shows them and offers the services' own actions, never a raw edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordInline(admin.TabularInline):
    extra = 0

    def _allowed(self, request, obj=None):
        return has_perm(request.user, Perm.MANAGE_RECORDS)

    has_view_permission = has_change_permission = has_delete_permission = _allowed

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(User)
class UserAdmin(RecordAdmin, BaseUserAdmin):
    permission = Perm.MANAGE_USERS
    list_display = ["username", "first_name", "role", "city", "is_active", "last_login"]
    list_filter = ["role", "is_active", "city"]
    search_fields = ["username", "first_name", "last_name"]
    autocomplete_fields = ["cadre", "teacher"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role in the college"), {"fields": ("role", "city", "cadre", "teacher")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in the college"), {"fields": ("role", "city", "cadre", "teacher")}),
    )

    def save_model(self, request, obj, form, change):
        # What the user could do before this save, read from the database (the form has
        # already changed ``obj``); compared with the result once groups are saved too.
        before = User.objects.filter(pk=obj.pk).first() if change else None
        obj._role_before = role_snapshot(before) if before is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        record_role_changes(user=user, before=getattr(user, "_role_before", None), by=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(RecordAdmin):
    permission = Perm.MANAGE_USERS
    list_display = ["name", "user", "created_at"]
    readonly_fields = ["digest"]

    def has_add_permission(self, request):
        # A key is shown once when issued; issue tokens with `manage.py issue_api_token`.
        return False
