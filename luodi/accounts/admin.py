from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from luodi.accounts import lockout, tokens
from luodi.accounts.access import Perm, has_perm
from luodi.accounts.models import ApiToken, User
from luodi.accounts.role_changes import record_role_changes, role_snapshot
from luodi.lib import audit


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
    # Django's fieldsets less the per-model permissions: access follows the role
    # (accounts.access.ROLE_PERMS), so that list of several hundred untranslated "Can add …"
    # names would only mislead. Groups stay (their changes are audited).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role in the college"), {"fields": ("role", "city", "cadre", "teacher")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in the college"), {"fields": ("role", "city", "cadre", "teacher")}),
    )

    def user_change_password(self, request, id, form_url=""):
        """An administrator sets someone's password: audited like a user's own change."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            audit.record("auth.password_changed", by=request.user, obj=user, via="admin")
        return response

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
    """Everyone's API tokens, to see and revoke. Owners create them on their API tokens page
    (the key is shown there once); nothing else about a token is ever edited."""

    permission = Perm.MANAGE_USERS
    list_display = ["name", "user", "scopes", "read_only", "city", "created_at", "expires_at"]
    list_display += ["last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "city"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user", "city"]
    readonly_fields = ["user", "name", "scopes", "read_only", "city", "expires_at", "revoked_at"]
    readonly_fields += ["last_used_at", "created_at", "updated_at"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a token is revoked, never deleted, so its audit trail stays whole

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = sum(tokens.api_token_revoke(token=t, by=request.user) for t in queryset)
        self.message_user(request, _("%(n)d token(s) revoked.") % {"n": revoked})


@admin.register(AccessAttempt)
class LoginFailureAdmin(RecordAdmin, AccessAttemptAdmin):
    """django-axes's failure counters: who is locked out, from where. Deleting counters, or the
    "Unlock" action, lets those usernames and addresses log in again at once."""

    permission = Perm.MANAGE_USERS
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Unlock: forget these failed logins"))
    def unlock(self, request, queryset):
        count = lockout.unlock(by=request.user, attempts=queryset)
        self.message_user(request, _("Unlocked %(count)d login counters.") % {"count": count})

    def delete_queryset(self, request, queryset):
        lockout.unlock(by=request.user, attempts=queryset)

    def delete_model(self, request, obj):
        lockout.unlock(by=request.user, attempts=AccessAttempt.objects.filter(pk=obj.pk))


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class SecondFactorDeviceAdmin(RecordAdmin, TOTPDeviceAdmin):
    """Users' authenticator apps. Administrators remove a lost one (the user enrols again);
    a device is only ever enrolled by its owner, and its secret is never shown here."""

    permission = Perm.MANAGE_USERS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
