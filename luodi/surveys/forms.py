from django import forms
from django.utils.translation import gettext_lazy as _

from luodi.cadres.models import Post
from luodi.lib.pickers import PickerSelect
from luodi.regions.models import Region
from luodi.surveys.models import CHOICE_KINDS, SCALE_KINDS, Audience, Purpose, QuestionKind
from luodi.surveys.services import QuestionSpec
from luodi.training.models import ClassStatus, TrainingClass

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class NewSurveyForm(forms.Form):
    """Start a survey from a ready-made questionnaire, or from no question at all."""

    BLANK = "blank"
    START_CHOICES = [
        (Purpose.NEEDS.value, _("Needs questionnaire (topics by course category)")),
        (Purpose.SATISFACTION.value, _("Class satisfaction (with the class's targeted needs)")),
        (Purpose.FOLLOW_UP.value, _("Follow-up three months after a class")),
        (BLANK, _("Blank survey: I will add the questions")),
    ]
    start = forms.ChoiceField(label=_("Start from"), choices=START_CHOICES)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    purpose = forms.ChoiceField(
        label=_("Purpose (blank survey)"), choices=Purpose.choices, required=False
    )
    training_class = forms.ModelChoiceField(
        TrainingClass.objects.exclude(status=ClassStatus.ARCHIVED).select_related("class_type"),
        label=_("Class"),
        required=False,
        help_text=_("Its trainees answer. Needed for satisfaction and follow-up."),
        widget=PickerSelect(
            "training:class-pick",
            query={"status": ",".join(s for s in ClassStatus.values if s != ClassStatus.ARCHIVED)},
        ),
    )
    cities = forms.ModelMultipleChoiceField(
        Region.objects.cities(),
        label=_("Cities"),
        required=False,
        help_text=_("Without a class: the cadres of these cities answer (none chosen: all)."),
    )
    posts = forms.MultipleChoiceField(label=_("Posts"), choices=Post.choices, required=False)
    open_with_codes = forms.BooleanField(
        label=_("Answered with one-time codes (no login)"), required=False
    )
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False, initial=True)
    closes_at = forms.DateTimeField(label=_("Closes at"), required=False, widget=DATETIME)

    def clean(self):
        data = super().clean()
        start = data.get("start")
        if start in (Purpose.SATISFACTION, Purpose.FOLLOW_UP) and not data.get("training_class"):
            self.add_error("training_class", _("Choose the class this survey is about."))
        if start == self.BLANK:
            if not data.get("title"):
                self.add_error("title", _("Give the survey a title."))
            if not data.get("purpose"):
                self.add_error("purpose", _("Choose the survey's purpose."))
            if data.get("purpose") == Purpose.EVALUATION:
                self.add_error(
                    "purpose",
                    _("Session evaluations are opened from the session's classroom screen."),
                )
        return data

    @property
    def audience(self) -> str:
        data = self.cleaned_data
        if data.get("open_with_codes"):
            return Audience.OPEN
        return Audience.CLASS if data.get("training_class") else Audience.CADRES


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help text"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options or matrix items"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line."),
    )
    scale_min = forms.IntegerField(label=_("Lowest score"), required=False, initial=1)
    scale_max = forms.IntegerField(label=_("Highest score"), required=False, initial=5)
    show_if = forms.TypedChoiceField(
        label=_("Show only after question"), required=False, coerce=int, empty_value=None
    )
    show_if_options = forms.CharField(
        label=_("…answered with option number(s)"),
        required=False,
        help_text=_("Option numbers from 1, separated by commas."),
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["show_if"].choices = [("", "—")] + [
            (i, f"{i + 1}. {q.text}")
            for i, q in enumerate(self.questions)
            if q.kind in CHOICE_KINDS
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        data["option_list"] = [o.strip() for o in data.get("options", "").splitlines() if o.strip()]
        if kind in SCALE_KINDS and (data.get("scale_min") is None or data.get("scale_max") is None):
            self.add_error("scale_max", _("Give the lowest and highest score."))
        raw = data.get("show_if_options", "").replace("，", ",")
        try:
            data["show_if_numbers"] = [int(p) - 1 for p in raw.split(",") if p.strip()]
        except ValueError:
            self.add_error("show_if_options", _("Enter option numbers such as 1, 2."))
        return data

    def spec(self) -> QuestionSpec:
        data = self.cleaned_data
        kind = data["kind"]
        scale = (data["scale_min"], data["scale_max"]) if kind in SCALE_KINDS else None
        return QuestionSpec(
            kind=kind,
            text=data["text"],
            help_text=data.get("help_text", ""),
            required=data.get("required", False),
            options=data["option_list"] if kind in CHOICE_KINDS | {QuestionKind.MATRIX} else [],
            scale=scale,
            show_if=data.get("show_if"),
            show_if_options=data.get("show_if_numbers", [])
            if data.get("show_if") is not None
            else [],
        )


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=2000, initial=50)


class CodeEntryForm(forms.Form):
    code = forms.CharField(label=_("Your code"), max_length=20)
