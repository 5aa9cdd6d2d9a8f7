from django import forms
from django.utils.translation import gettext_lazy as _

from luodi.curriculum.models import Course, NeedTopic, TeachingCase
from luodi.faculty.models import Teacher
from luodi.lib.pickers import PickerSelect, PickerSelectMultiple
from luodi.regions.forms import CommunityCodeField


class CaseForm(forms.ModelForm):
    """A case of the case library as staff enter it: a registered community, or the place
    where it happened in words."""

    community = CommunityCodeField(label=_("Community"), required=False)
    author = forms.ModelChoiceField(
        Teacher.objects.order_by("name"),
        label=_("Written by"),
        required=False,
        widget=PickerSelect("faculty:teacher-pick"),
    )
    courses = forms.ModelMultipleChoiceField(
        Course.objects.order_by("title"),
        label=_("Courses"),
        required=False,
        widget=PickerSelectMultiple("curriculum:course-pick"),
    )
    need_topics = forms.ModelMultipleChoiceField(
        NeedTopic.objects.all(),
        label=_("Need topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TeachingCase
        fields = [
            "title",
            "community",
            "place",
            "author",
            "summary",
            "full_text",
            "lessons",
            "courses",
            "need_topics",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "full_text": forms.Textarea(attrs={"rows": 12}),
            "lessons": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("community") and not (cleaned.get("place") or "").strip():
            self.add_error("place", _("Give the community or the place of the case."))
        return cleaned


class CourseFilterForm(forms.Form):
    """The case library's filter by course: searched, since a province's catalogue holds
    thousands of courses (a drop-down of every course with a case grew with it)."""

    course = forms.ModelChoiceField(
        Course.objects.only("pk", "title"),
        label=_("Course"),
        required=False,
        widget=PickerSelect("curriculum:course-pick"),
    )
