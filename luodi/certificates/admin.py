from django.contrib import admin

from luodi.accounts.admin import ServiceManagedAdmin
from luodi.certificates.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(ServiceManagedAdmin):
    """Read-only: certificates are issued and revoked through their own pages, never edited."""

    list_display = ["serial", "enrolment", "hours", "issued_at", "revoked_at"]
    list_filter = ["issued_at", "revoked_at"]
    search_fields = ["serial", "enrolment__cadre__name"]
    list_select_related = ["enrolment__cadre", "enrolment__training_class__class_type"]
    readonly_fields = [f.name for f in Certificate._meta.fields]
