from django.contrib import admin

from luodi.accounts.admin import RecordAdmin
from luodi.faculty import services
from luodi.faculty.models import ExpertiseTag, HonorariumRate, PoliticalReview, Teacher


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(RecordAdmin):
    search_fields = ["name"]


class PoliticalReviewInline(admin.TabularInline):
    """Reviews are recorded on the teacher's page (``services.review_record``, which keeps the
    teacher's latest review); here they are only shown."""

    model = PoliticalReview
    extra = 0
    can_delete = False
    fields = ["date", "result", "reviewer", "valid_until", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Teacher)
class TeacherAdmin(RecordAdmin):
    list_display = ["name", "kind", "source_unit", "title", "review_status", "reviewed_on"]
    list_filter = ["kind", "review_status", "expertise"]
    search_fields = ["name", "source_unit", "expertise__name"]
    autocomplete_fields = ["expertise", "cadre"]
    # The latest review, kept by the review service only.
    readonly_fields = ["review_status", "reviewed_on"]
    exclude = ["bank_name", "bank_account"]  # masked everywhere but the audited reveal
    inlines = [PoliticalReviewInline]


@admin.register(HonorariumRate)
class HonorariumRateAdmin(RecordAdmin):
    list_display = ["kind", "title_band", "per_hour"]
    list_editable = ["per_hour"]
    list_display_links = None
    fields = ["kind", "title_band", "per_hour"]

    def save_model(self, request, obj, form, change):
        rate = services.rate_set(
            title_band=obj.title_band, kind=obj.kind, per_hour=obj.per_hour, by=request.user
        )
        obj.pk, obj.created_at, obj.updated_at = rate.pk, rate.created_at, rate.updated_at

    def has_delete_permission(self, request, obj=None):
        return False
