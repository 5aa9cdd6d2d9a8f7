"""Searching pickers: a choice among a catalogue too long for a drop-down (a province's teachers
and courses grow into the thousands).

The page holds only the chosen options; ``static/luodi/picker.js`` adds a search box that asks
the picker's URL (``?q=…``) for at most ``LIMIT`` matches and adds the one clicked. The form
field keeps its queryset, so what is posted is validated as before. Each catalogue has its own
view (declared with its access rule like any other) answering through ``answer``.
"""

from collections.abc import Callable

from django import forms
from django.db.models import QuerySet
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from luodi.lib import params

LIMIT = 20
MAX_QUERY = 50


def answer(request, queryset: QuerySet, label: Callable = str) -> JsonResponse:
    """The first ``LIMIT`` rows of ``queryset`` that its ``matching(text)`` finds for ``?q=``
    (the first of all, for an empty query), as ``{"results": [{"id", "text"}], "more": bool}``."""
    q = params.parse_text(request.GET.get("q"), max_length=MAX_QUERY)
    found = queryset.matching(q) if q else queryset  # type: ignore[attr-defined]
    rows = list(found[: LIMIT + 1])
    return JsonResponse(
        {
            "results": [{"id": row.pk, "text": label(row)} for row in rows[:LIMIT]],
            "more": len(rows) > LIMIT,
        }
    )


class PickerSelect(forms.Select):
    """One choice, searched (a ``ModelChoiceField``'s widget): the search URL on the element,
    and only the chosen option."""

    def __init__(self, url_name: str, attrs=None, *, query: dict | None = None):
        super().__init__(attrs)
        self.url = reverse_lazy(url_name)
        self.query = query or {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = urlencode(self.query)
        context["widget"]["attrs"].update(
            {
                "data-picker": f"{self.url}?{query}" if query else str(self.url),
                "data-placeholder": _("Type to search…"),
                "data-none": _("Nothing found."),
                "data-remove": pgettext_lazy("picker", "Remove"),
            }
        )
        return context

    def optgroups(self, name, value, attrs=None):
        """The chosen options only (and the empty one of an optional single choice)."""
        chosen = [str(v) for v in value if v not in (None, "")]
        options = []
        queryset = getattr(self.choices, "queryset", None)
        if not self.allow_multiple_selected and not self.is_required:
            options.append(self.create_option(name, "", "---------", not chosen, 0))
        if chosen and queryset is not None:
            # Re-shown after a refused post, the value may be anything a client sent.
            valid = [pk for v in chosen if (pk := params.parse_id(v))]
            field = self.choices.field  # type: ignore[attr-defined]  # a ModelChoiceIterator
            for index, obj in enumerate(queryset.filter(pk__in=valid), start=len(options)):
                option = self.create_option(
                    name, obj.pk, field.label_from_instance(obj), True, index
                )
                options.append(option)
        return [(None, options, 0)]

    def use_required_attribute(self, initial) -> bool:
        # Django decides it from the first of all the choices (a query over the catalogue);
        # the field itself still refuses an empty required choice.
        return False


class PickerSelectMultiple(PickerSelect, forms.SelectMultiple):
    """Several choices, searched (a ``ModelMultipleChoiceField``'s widget)."""
