"""Template filters for figures shown the same way on every page: ``{% load formats %}``.

Registered as a template library in settings (``lib`` is no app, so it has no
``templatetags`` package); the documents use the same functions from ``lib.documents.text``.
"""

from django import template
from django.utils.translation import pgettext

from luodi.lib.documents.text import hours_text

register = template.Library()


@register.filter
def hours(value) -> str:
    """Training hours (学时) as the college writes them: ``21`` for whole hours, ``10.5``
    otherwise, and an empty string for none. Every page and export shows hours this way."""
    try:
        return hours_text(value)
    except (ArithmeticError, TypeError, ValueError):
        return ""


@register.filter
def plain(value) -> str:
    """A figure as written by hand, without trailing zeros: a weight ``100``, a maximum score
    ``12.5``; an empty string for none. (Hours go through ``hours``.)"""
    try:
        return hours_text(value)
    except (ArithmeticError, TypeError, ValueError):
        return ""


def label_separator() -> str:
    """The colon after a label: ``": "`` in English, the full-width ``"："`` in Chinese."""
    return pgettext("label separator", ": ")


@register.simple_tag
def colon() -> str:
    """``{% translate "Reason" %}{% colon %}``: Chinese text takes a full-width colon."""
    return label_separator()
