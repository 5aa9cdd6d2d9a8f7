from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from luodi.accounts.admin import RecordAdmin, RecordInline
from luodi.training.models import Attendance, ClassType, Enrolment, Session, TrainingClass


@admin.register(ClassType)
class ClassTypeAdmin(RecordAdmin):
    list_display = ["name", "default_days"]
    search_fields = ["name"]


class SessionInline(RecordInline):
    model = Session
    fields = [
        "date",
        "slot",
        "start_time",
        "end_time",
        "course",
        "teacher",
        "method",
        "hours",
        "venue",
        "field_site",
        "case",
    ]
    autocomplete_fields = ["course", "teacher", "field_site", "case"]


@admin.register(TrainingClass)
class TrainingClassAdmin(RecordAdmin):
    list_display = ["title", "start_date", "end_date", "venue", "capacity", "status"]
    list_filter = ["status", "year", "class_type"]
    search_fields = ["class_type__name", "venue"]
    autocomplete_fields = ["head_teacher", "class_type"]
    list_select_related = ["class_type"]
    date_hierarchy = "start_date"
    inlines = [SessionInline]

    @admin.display(description=_("title"), ordering="start_date")
    def title(self, obj):
        return obj.title


@admin.register(Session)
class SessionAdmin(RecordAdmin):
    list_display = ["date", "slot", "course", "teacher", "method", "hours", "training_class"]
    list_filter = ["method", "slot", "training_class__year"]
    search_fields = ["course__title", "teacher__name"]
    autocomplete_fields = ["training_class", "course", "teacher", "field_site", "case"]
    list_select_related = ["course", "teacher", "training_class__class_type"]
    date_hierarchy = "date"


@admin.register(Enrolment)
class EnrolmentAdmin(RecordAdmin):
    list_display = ["cadre", "training_class", "status"]
    list_filter = ["status", "training_class__year"]
    search_fields = ["cadre__name", "cadre__name_initials"]
    autocomplete_fields = ["training_class", "cadre"]
    list_select_related = ["cadre", "training_class__class_type"]


@admin.register(Attendance)
class AttendanceAdmin(RecordAdmin):
    list_display = ["enrolment", "session", "status", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["enrolment__cadre__name"]
    autocomplete_fields = ["enrolment", "session"]
    list_select_related = [
        "enrolment__cadre",
        "enrolment__training_class__class_type",
        "session__course",
    ]
