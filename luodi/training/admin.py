from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from luodi.accounts.admin import RecordAdmin, RecordInline, ServiceManagedAdmin
from luodi.cadres.models import Post
from luodi.lib import uploads
from luodi.lib.template_formats import label_separator
from luodi.training.forms import SESSION_FIELDS
from luodi.training.models import (
    Attendance,
    ClassQuota,
    ClassType,
    Courseware,
    Enrolment,
    ExternalTraining,
    LeaveRequest,
    Reflection,
    Session,
    TrainingClass,
)
from luodi.training.services import enrolment as enrolment_services
from luodi.training.services import scheduling


class ClassTypeAdminForm(forms.ModelForm):
    target_posts = forms.MultipleChoiceField(
        label=_("target posts"),
        choices=Post.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The posts this class is meant for; none ticked means any post."),
    )

    class Meta:
        model = ClassType
        fields = [
            "name",
            "description",
            "default_days",
            "target_posts",
            "min_attendance_percent",
            "max_leave_numerator",
            "max_leave_denominator",
            "reflection_required",
        ]


@admin.register(ClassType)
class ClassTypeAdmin(RecordAdmin):
    form = ClassTypeAdminForm
    list_display = [
        "name",
        "default_days",
        "min_attendance_percent",
        "max_leave_numerator",
        "max_leave_denominator",
        "reflection_required",
    ]
    search_fields = ["name"]


class SessionAdminForm(forms.ModelForm):
    """Runs the timetable checks, so a clash is a message in the form and never a database
    error (the database refuses double bookings too)."""

    class Meta:
        model = Session
        fields = ["training_class", *SESSION_FIELDS]

    def clean(self):
        data = super().clean()
        # In the class page's inline the class is not a form field; take it from the instance.
        training_class = data.get("training_class") or getattr(
            self.instance, "training_class", None
        )
        if self.errors or training_class is None:
            return data
        fields = {k: v for k, v in data.items() if k in self._meta.fields}
        session = Session(pk=self.instance.pk, **{**fields, "training_class": training_class})
        problems = scheduling.session_conflicts(session)
        if problems:
            raise forms.ValidationError(problems)
        return data


class SessionInline(RecordInline):
    model = Session
    form = SessionAdminForm
    fields = SESSION_FIELDS
    autocomplete_fields = ["course", "teacher", "field_site", "case"]


class QuotaInline(RecordInline):
    """Shown only: quotas are set on the class's page, where they count places already held."""

    model = ClassQuota
    fields = ["city", "quota", "used"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrainingClassAdminForm(forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = ["class_type", "year", "term", "start_date", "end_date", "venue", "capacity"]
        fields += ["head_teacher"]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        taken = self.instance.seats_taken if self.instance.pk else 0
        if capacity is not None and capacity < taken:
            raise forms.ValidationError(
                _("%(n)s places are already taken; the capacity cannot be lower.") % {"n": taken}
            )
        return capacity


@admin.register(TrainingClass)
class TrainingClassAdmin(RecordAdmin):
    """Status moves on the class's page (allowed transitions, completion), not here."""

    form = TrainingClassAdminForm
    list_display = ["title", "start_date", "end_date", "venue", "capacity", "status"]
    list_filter = ["status", "year", "class_type"]
    search_fields = ["class_type__name", "venue"]
    autocomplete_fields = ["head_teacher", "class_type"]
    list_select_related = ["class_type"]
    date_hierarchy = "start_date"
    inlines = [QuotaInline, SessionInline]
    readonly_fields = ["status", "seats_taken"]

    @admin.display(description=_("title"), ordering="start_date")
    def title(self, obj):
        return obj.title

    def save_formset(self, request, form, formset, change):
        if formset.model is not Session:
            return super().save_formset(request, form, formset, change)
        for session in formset.save(commit=False):
            scheduling.session_save(session=session, by=request.user)
        for session in formset.deleted_objects:
            session.delete()
        formset.save_m2m()


@admin.register(Session)
class SessionAdmin(RecordAdmin):
    form = SessionAdminForm
    list_display = ["date", "slot", "course", "teacher", "method", "hours", "training_class"]
    list_filter = ["method", "slot", "training_class__year"]
    search_fields = ["course__title", "teacher__name"]
    autocomplete_fields = ["training_class", "course", "teacher", "field_site", "case"]
    list_select_related = ["course", "teacher", "training_class__class_type"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        scheduling.session_save(session=obj, by=request.user)


def _move_action(action: str, description):
    def run(modeladmin, request, queryset):
        done = 0
        for enrolment in queryset.select_related("cadre"):
            try:
                enrolment_services.enrolment_move(
                    enrolment=enrolment, action=action, by=request.user
                )
            except ValidationError as exc:
                for message in exc.messages:
                    modeladmin.message_user(
                        request,
                        f"{enrolment.cadre.name}{label_separator()}{message}",
                        messages.ERROR,
                    )
            else:
                done += 1
        if done:
            text = ngettext("%(n)s enrolment changed.", "%(n)s enrolments changed.", done)
            modeladmin.message_user(request, text % {"n": done}, messages.SUCCESS)

    run.__name__ = f"enrolment_{action}"
    run.short_description = description
    return run


@admin.register(Enrolment)
class EnrolmentAdmin(ServiceManagedAdmin):
    """Enrolments change through the class pages' services (seats, quotas, results); the admin
    offers the same moves as actions."""

    list_display = ["cadre", "training_class", "status", "city"]
    list_filter = ["status", "training_class__year"]
    search_fields = ["cadre__name", "cadre__name_initials"]
    list_select_related = ["cadre", "city", "training_class__class_type"]
    actions = [
        _move_action("confirm", _("Confirm the nominations")),
        _move_action("waitlist", _("Move to the waiting list")),
        _move_action("admit", _("Admit from the waiting list")),
        _move_action("withdraw", _("Withdraw")),
    ]


@admin.register(Attendance)
class AttendanceAdmin(ServiceManagedAdmin):
    list_display = ["enrolment", "session", "status", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["enrolment__cadre__name"]
    autocomplete_fields = ["enrolment", "session"]
    list_select_related = [
        "enrolment__cadre",
        "enrolment__training_class__class_type",
        "session__course",
    ]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ServiceManagedAdmin):
    list_display = ["enrolment", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["enrolment__cadre__name", "reason"]
    autocomplete_fields = ["enrolment"]
    filter_horizontal = ["sessions"]


@admin.register(ExternalTraining)
class ExternalTrainingAdmin(ServiceManagedAdmin):
    """Declared and decided on the pages (``services.external``); the admin only shows them."""

    list_display = ["cadre", "title", "kind", "end_date", "hours_claimed", "status"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["cadre__name", "title", "organiser"]
    list_select_related = ["cadre"]


@admin.register(Reflection)
class ReflectionAdmin(RecordAdmin):
    list_display = ["enrolment", "created_at"]
    search_fields = ["enrolment__cadre__name", "text"]
    autocomplete_fields = ["enrolment"]


class CoursewareAdminForm(forms.ModelForm):
    """Checks a new file by its content (luodi.lib.uploads), naming the uploader in the audit
    log when it is refused."""

    uploaded_by = None  # set per request by CoursewareAdmin.get_form

    class Meta:
        model = Courseware
        fields = ["session", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].required = True

    def clean_session(self):
        session = self.cleaned_data["session"]
        if session is not None:
            self.instance.course_id = session.course_id  # the session's course, for listing
        return session

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and not getattr(file, "_committed", False):
            uploads.check_upload(file, by=self.uploaded_by)
        return file


@admin.register(Courseware)
class CoursewareAdmin(RecordAdmin):
    form = CoursewareAdminForm
    list_display = ["title", "course", "session", "uploaded_by", "created_at"]
    search_fields = ["title", "course__title"]
    raw_id_fields = ["session"]
    exclude = ["uploaded_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.uploaded_by = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
