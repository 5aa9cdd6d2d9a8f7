from django import forms
from django.utils.translation import gettext_lazy as _

from luodi.curriculum.models import Course
from luodi.faculty.models import Teacher
from luodi.lib.pickers import PickerSelect, PickerSelectMultiple
from luodi.research.models import FUNDERS, AdvisoryWork, Project, Publication

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _teachers(label, required: bool = False) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        Teacher.objects.order_by("name_pinyin"),
        label=label,
        required=required,
        widget=PickerSelectMultiple("faculty:teacher-pick"),
    )


def _courses() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        Course.objects.order_by("title"),
        label=_("Courses it informs"),
        required=False,
        widget=PickerSelectMultiple("curriculum:course-pick"),
    )


class _OutputForm(forms.ModelForm):
    """The service checks the whole record (constraints included) and saves it; the form
    reads the fields and says what is wrong with each."""

    def validate_unique(self):
        pass


class ProjectForm(_OutputForm):
    members = _teachers(_("Members"))
    courses = _courses()

    class Meta:
        model = Project
        fields = [
            "title",
            "funder",
            "level",
            "principal",
            "members",
            "start_date",
            "end_date",
            "status",
            "budget",
            "outputs",
            "courses",
        ]
        widgets = {
            "funder": forms.TextInput(attrs={"list": "funders"}),
            "principal": PickerSelect("faculty:teacher-pick"),
            "start_date": DATE,
            "end_date": DATE,
            "outputs": forms.Textarea(attrs={"rows": 4}),
        }

    funders = FUNDERS  # the datalist's suggestions

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal"].queryset = Teacher.objects.order_by("name_pinyin")


class PublicationForm(_OutputForm):
    authors = _teachers(_("Authors from the faculty"))
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    courses = _courses()

    class Meta:
        model = Publication
        fields = [
            "title",
            "authors",
            "external_authors",
            "venue",
            "kind",
            "published_on",
            "link",
            "courses",
        ]
        widgets = {"published_on": DATE}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("authors") and not (cleaned.get("external_authors") or "").strip():
            self.add_error("authors", _("Name at least one author."))
        return cleaned


class AdvisoryForm(_OutputForm):
    teachers = _teachers(_("Teachers"), required=True)
    courses = _courses()

    class Meta:
        model = AdvisoryWork
        fields = ["title", "kind", "client", "date", "teachers", "courses", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class TeacherFilterForm(forms.Form):
    """The lists' filter by teacher: searched, since a province's pool holds thousands (a
    drop-down of every teacher with an output grew with the pool)."""

    teacher = forms.ModelChoiceField(
        Teacher.objects.only("pk", "name", "name_pinyin"),
        label=_("Teacher"),
        required=False,
        widget=PickerSelect("faculty:teacher-pick"),
    )
