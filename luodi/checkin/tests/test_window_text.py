"""The check-in window is shown with its date, the same way on every page (issue 8, §4)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from luodi.accounts.models import Role
from luodi.checkin import tokens

pytestmark = pytest.mark.django_db


def _at(*parts: int) -> dt.datetime:
    """A moment in the college's time zone (Asia/Shanghai)."""
    return dt.datetime(*parts, tzinfo=timezone.get_default_timezone())


def _window(opens: dt.datetime, closes: dt.datetime) -> tokens.Window:
    return tokens.Window(start=opens, opens=opens, closes=closes)


def test_a_window_is_shown_with_its_date_and_both_times():
    window = _window(_at(2026, 11, 30, 13, 30), _at(2026, 11, 30, 14, 30))
    with translation.override("zh-hans"):
        assert window.text() == "11月30日 13:30–14:30"
        assert window.opens_text() == "11月30日 13:30"
        assert window.closes_text() == "11月30日 14:30"


def test_the_month_is_not_padded_and_english_has_its_own_date():
    window = _window(_at(2025, 3, 10, 8, 0), _at(2025, 3, 10, 9, 0))
    with translation.override("zh-hans"):
        assert window.text() == "3月10日 08:00–09:00"
    with translation.override("en"):
        assert window.text() == "March 10 08:00–09:00"


def test_a_window_across_midnight_names_both_days():
    window = _window(_at(2026, 11, 30, 23, 50), _at(2026, 12, 1, 0, 20))
    with translation.override("zh-hans"):
        assert window.text() == "11月30日 23:50–12月1日 00:20"


def test_it_is_shown_in_the_colleges_time_zone():
    utc = dt.UTC
    window = tokens.Window(
        start=dt.datetime(2026, 11, 30, 6, 0, tzinfo=utc),
        opens=dt.datetime(2026, 11, 30, 5, 30, tzinfo=utc),
        closes=dt.datetime(2026, 11, 30, 6, 30, tzinfo=utc),
    )
    with translation.override("zh-hans"):
        assert window.text() == "11月30日 13:30–14:30"  # Asia/Shanghai


def test_the_roll_call_page_shows_the_window_with_its_date(client_as, fixed):
    response = client_as(Role.HEAD_TEACHER).get(
        reverse("checkin:roll-call", args=[fixed.session.pk])
    )
    # Tests run in English (the page's own language).
    assert "check-in March 11 08:00–09:00" in response.content.decode()
