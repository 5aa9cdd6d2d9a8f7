"""Hours are written one way on every page: ``21`` for whole hours, ``10.5`` otherwise."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from luodi.lib.template_formats import hours


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("21.0"), "21"),
        (Decimal("21.00"), "21"),
        (Decimal("10.50"), "10.5"),
        (Decimal("0.0"), "0"),
        (3, "3"),
        (4.5, "4.5"),
        (None, ""),
        ("", ""),
        ("not a number", ""),
    ],
)
def test_the_hours_filter(value, shown):
    assert hours(value) == shown


def test_templates_load_it_by_name():
    template = Template("{% load formats %}{{ h|hours }} 学时")
    assert template.render(Context({"h": Decimal("21.0")})) == "21 学时"


def test_no_template_formats_hours_another_way():
    """``floatformat`` writes ``21`` but also ``21.0`` with another argument; hours go through
    the one filter."""
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if "floatformat" in path.read_text()
    ]
    assert offenders == []


def test_the_plain_filter_writes_weights_and_scores_without_trailing_zeros():
    template = Template("{% load formats %}{{ w|plain }}% {{ m|plain }} [{{ n|plain }}]")
    context = Context({"w": Decimal("100.00"), "m": Decimal("12.50"), "n": None})
    assert template.render(context) == "100% 12.5 []"
