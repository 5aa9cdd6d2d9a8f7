from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from luodi.imports import kinds
from luodi.imports.reading import ACCEPTED
from luodi.lib.pickers import PickerSelect
from luodi.training.models import TrainingClass
from luodi.training.services.enrolment import OPEN_FOR_STAFF


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("%(accepted)s, at most %(mb)s MB and %(rows)s rows.")
        % {
            "accepted": ACCEPTED,
            "mb": settings.LUODI_IMPORT_MAX_MB,
            "rows": settings.LUODI_IMPORT_MAX_ROWS,
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
    training_class = forms.ModelChoiceField(
        label=_("Class (for enrolments)"),
        queryset=TrainingClass.objects.none(),
        required=False,
        widget=PickerSelect("training:class-pick", query={"status": ",".join(OPEN_FOR_STAFF)}),
    )
    create_communities = forms.BooleanField(
        label=_("Create missing communities"),
        required=False,
        help_text=_(
            "A community the records do not hold is added under its district and street; "
            "otherwise its rows are reported."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.name, k.label) for k in kinds.all_kinds()]
        self.fields["training_class"].queryset = (
            TrainingClass.objects.filter(status__in=OPEN_FOR_STAFF)
            .select_related("class_type")
            .order_by("-start_date")
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and kinds.get(kind).needs_class and not data.get("training_class"):
            self.add_error("training_class", _("Choose the class the trainees are enrolled in."))
        return data
