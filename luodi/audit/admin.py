"""The audit log in the admin: searchable, filterable, exportable, and read-only, for
administrators only (``Perm.VIEW_AUDIT``). Also django-auditlog's model-change history,
under the same rule."""

from auditlog.admin import LogEntryAdmin as BaseLogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.accounts.access import Perm, has_perm
from luodi.audit.export import MAX_ROWS, events_xlsx
from luodi.audit.models import AuditEvent
from luodi.lib import audit
from luodi.lib.documents.http import attachment
from luodi.lib.documents.xlsx import XLSX


class ReadOnlyForAuditors:
    """Only ``Perm.VIEW_AUDIT`` sees it; nobody adds, changes or deletes a row."""

    def has_module_permission(self, request):
        return has_perm(request.user, Perm.VIEW_AUDIT)

    def has_view_permission(self, request, obj=None):
        return has_perm(request.user, Perm.VIEW_AUDIT)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Query parameters the filter form above the list sends (the admin refuses others).
RANGE_LOOKUPS = {
    "at__date__gte",
    "at__date__lte",
    "username",
    "ip",
    "object_type",
    "object_id",
}


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyForAuditors, admin.ModelAdmin):
    change_list_template = "admin/audit/auditevent/change_list.html"
    list_display = ["at", "username", "ip", "event", "outcome", "object_type", "object_id"]
    list_display_links = ["at"]
    list_filter = ["outcome", ("event", admin.AllValuesFieldListFilter), "object_type"]
    search_fields = ["event", "username", "object_repr", "=object_id", "^ip"]
    date_hierarchy = "at"
    list_per_page = 50
    show_full_result_count = False  # no COUNT over the whole log on every page
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in RANGE_LOOKUPS or super().lookup_allowed(lookup, value, request)

    def changelist_view(self, request, extra_context=None):
        # The filter form sends its own fields; it keeps the sidebar's filters and the search.
        keep = [(k, v) for k, v in request.GET.items() if k not in RANGE_LOOKUPS | {"p"}]
        return super().changelist_view(request, {**(extra_context or {}), "keep_params": keep})

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The rows the list shows (same filters and search), as xlsx; itself audited."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        events = list(changelist.get_queryset(request)[:MAX_ROWS])
        query = request.GET.urlencode()
        audit.record("audit.export", by=request.user, rows=len(events), filters=query)
        description = _("Exported %(when)s by %(user)s; filters: %(filters)s") % {
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "user": request.user.get_username(),
            "filters": query or _("none"),
        }
        return attachment(
            events_xlsx(events, description=description),
            filename=f"{_('Audit log')}.xlsx",
            fallback="audit-log.xlsx",
            content_type=XLSX,
        )


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyForAuditors, BaseLogEntryAdmin):
    """Who changed which field of a cadre, enrolment, certificate or user, from what to what
    (ID and phone numbers masked when recorded)."""

    list_per_page = 50
    show_full_result_count = False
