from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from luodi.curriculum.models import Course
from luodi.faculty.models import Teacher
from luodi.lib.pickers import PickerSelect
from luodi.regions.models import Region
from luodi.training.models import (
    AttendanceStatus,
    ClassType,
    EnrolmentStatus,
    ExternalKind,
    Session,
    TrainingClass,
)
from luodi.training.services.reflections import COMMENT_MAX_LENGTH

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

# The fields a planner sets on a session, here and in the admin.
SESSION_FIELDS = list(Session.PLANNED_FIELDS)


class ClassPlanForm(forms.Form):
    class_type = forms.ModelChoiceField(ClassType.objects.all(), label=_("Class type"))
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    venue = forms.CharField(label=_("Venue"), max_length=100)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=1000)
    # Teachers cleared today (set per form: the day changes while the server runs).
    head_teacher = forms.ModelChoiceField(
        Teacher.objects.none(),
        label=_("Head teacher"),
        required=False,
        widget=PickerSelect("faculty:teacher-pick"),
    )
    record_of_past = forms.BooleanField(
        label=_("This is the record of a class already held"),
        required=False,
        help_text=_("Only then may the class start in the past."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["head_teacher"].queryset = Teacher.objects.cleared_on(today)
        self.fields["head_teacher"].widget.query = {"on": today.isoformat()}


class QuotaForm(forms.Form):
    """One number per city; blank means no places for that city."""

    def __init__(self, *args, initial_quotas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = list(Region.objects.cities())
        initial_quotas = initial_quotas or {}
        for city in self.cities:
            self.fields[f"city_{city.pk}"] = forms.IntegerField(
                label=city.name,
                min_value=0,
                max_value=1000,
                required=False,
                initial=initial_quotas.get(city.pk),
            )

    def quotas(self) -> dict:
        return {c: self.cleaned_data.get(f"city_{c.pk}") or 0 for c in self.cities}

    def city_fields(self):
        return [self[f"city_{c.pk}"] for c in self.cities]


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = SESSION_FIELDS
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "course": PickerSelect("curriculum:course-pick"),
            "teacher": PickerSelect("faculty:teacher-pick"),
            "case": PickerSelect("curriculum:case-pick"),
            "field_site": PickerSelect("curriculum:site-pick"),
        }

    def __init__(self, *args, training_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.training_class = training_class
        # Every teacher: whether one may teach is decided on the session's date, with the
        # reason named (``scheduling.session_conflicts``), not by leaving them out here.
        self.fields["teacher"].queryset = Teacher.objects.all()


class BulkEnrolForm(forms.Form):
    id_numbers = forms.CharField(
        label=_("ID numbers, one per line"), widget=forms.Textarea(attrs={"rows": 8})
    )


class OverrideForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (s, s.label)
            for s in (
                EnrolmentStatus.COMPLETED,
                EnrolmentStatus.NOT_COMPLETED,
                EnrolmentStatus.WITHDRAWN,
            )
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CorrectionForm(forms.Form):
    """Correct one attendance mark of a finished class; the reason is required."""

    enrolment = forms.ModelChoiceField(label=_("Trainee"), queryset=None)
    session = forms.ModelChoiceField(label=_("Session"), queryset=None)
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, training_class, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments.select_related("cadre")
        self.fields["enrolment"].label_from_instance = lambda e: e.cadre.name
        self.fields["session"].queryset = training_class.sessions.select_related("course")


class CoursewareForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("courseware", "Title"), max_length=100)
    file = forms.FileField(label=_("File"))


class ReflectionMarkForm(forms.Form):
    outstanding = forms.BooleanField(required=False)
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=COMMENT_MAX_LENGTH, required=False
    )


class StoryForm(forms.Form):
    """What staff enter of an application story; its cadre is chosen before, its community
    is theirs when the story is entered."""

    training_class = forms.ModelChoiceField(
        TrainingClass.objects.none(), label=_("Class"), required=False
    )
    course = forms.ModelChoiceField(
        Course.objects.order_by("title"),
        label=_("Course"),
        required=False,
        widget=PickerSelect("curriculum:course-pick"),
    )
    teacher = forms.ModelChoiceField(
        Teacher.objects.order_by("name"),
        label=_("Teacher"),
        required=False,
        widget=PickerSelect("faculty:teacher-pick"),
    )
    problem = forms.CharField(
        label=_("The problem they faced"), widget=forms.Textarea(attrs={"rows": 3})
    )
    applied = forms.CharField(
        label=_("What they learned and applied"), widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    still_needed = forms.CharField(
        label=_("What they still need"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    occurred_on = forms.DateField(label=_("When"), widget=DATE, required=False)

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        # The classes the cadre took part in, newest first.
        self.fields["training_class"].queryset = TrainingClass.objects.filter(
            pk__in=cadre.enrolments.took_part().values("training_class_id")
        ).order_by("-start_date")


class PromoteForm(forms.Form):
    title = forms.CharField(label=_("Case title"), max_length=100)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 8}))


class ExternalForm(forms.Form):
    """A declaration of training outside the college, with its proof."""

    kind = forms.ChoiceField(label=_("Kind of training"), choices=ExternalKind.choices)
    organiser = forms.CharField(label=_("Organiser"), max_length=100)
    title = forms.CharField(label=_("Name of the training"), max_length=200)
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    hours_claimed = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_digits=4, decimal_places=1
    )
    proof = forms.FileField(
        label=_("Certificate or proof of attendance (PDF or photo)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class ExternalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve the hours declared")),
            ("reduce", _("Recognise fewer hours")),
            ("refuse", _("Refuse")),
        ],
    )
    hours = forms.DecimalField(
        label=_("Hours recognised"),
        required=False,
        min_value=Decimal("0.5"),
        max_digits=4,
        decimal_places=1,
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
