"""Rotating check-in codes, the check-in window and the QR code."""

import datetime as dt

import pytest

from luodi.checkin import tokens
from luodi.lib import qr

# The code period is a college setting: read from the database (the national default here).
pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 11, 1, 0, 30, tzinfo=dt.UTC)


def test_it_accepts_the_current_code(settings):
    assert tokens.token_is_valid(7, tokens.token_for(7, NOW), NOW)


def test_it_accepts_the_previous_steps_code(settings):
    step = dt.timedelta(seconds=settings.LUODI_CHECKIN_TOKEN_SECONDS)
    shown = tokens.token_for(7, NOW)
    assert tokens.token_is_valid(7, shown, NOW + step)


def test_it_refuses_a_code_two_steps_old(settings):
    step = dt.timedelta(seconds=settings.LUODI_CHECKIN_TOKEN_SECONDS)
    shown = tokens.token_for(7, NOW)
    assert not tokens.token_is_valid(7, shown, NOW + 2 * step)


def test_it_refuses_a_code_from_the_future(settings):
    step = dt.timedelta(seconds=settings.LUODI_CHECKIN_TOKEN_SECONDS)
    assert not tokens.token_is_valid(7, tokens.token_for(7, NOW + step), NOW)


def test_it_refuses_a_forged_code():
    assert not tokens.token_is_valid(7, "0123456789abcdef0123", NOW)


def test_it_refuses_another_sessions_code():
    assert not tokens.token_is_valid(8, tokens.token_for(7, NOW), NOW)


@pytest.mark.parametrize(
    "token", ["", "abc", "签到" * 10, "0123456789ABCDEF0123", "0123456789abcdef01234", None]
)
def test_it_refuses_malformed_codes(token):
    assert not tokens.token_is_valid(7, token, NOW)


def test_it_refuses_a_valid_code_with_a_suffix():
    assert not tokens.token_is_valid(7, tokens.token_for(7, NOW) + "0", NOW)


def test_codes_depend_on_the_secret_key(settings):
    before = tokens.token_for(7, NOW)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert tokens.token_for(7, NOW) != before
    assert not tokens.token_is_valid(7, before, NOW)


def test_codes_rotate_every_step(settings):
    step = dt.timedelta(seconds=settings.LUODI_CHECKIN_TOKEN_SECONDS)
    assert tokens.token_for(7, NOW) != tokens.token_for(7, NOW + step)
    assert len(tokens.token_for(7, NOW)) == tokens.TOKEN_LENGTH


def test_the_window_runs_from_before_to_after_the_start(settings, fixed):
    settings.LUODI_CHECKIN_OPENS_MINUTES_BEFORE = 20
    settings.LUODI_CHECKIN_CLOSES_MINUTES_AFTER = 15
    settings.TIME_ZONE = "Asia/Shanghai"
    window = tokens.window(fixed.session)
    # The morning session starts at 08:30 in Shanghai: 00:30 UTC.
    assert window.start == dt.datetime(2025, 3, 11, 0, 30, tzinfo=dt.UTC)
    assert window.opens == window.start - dt.timedelta(minutes=20)
    assert window.closes == window.start + dt.timedelta(minutes=15)
    assert window.is_open(window.opens)
    assert window.is_open(window.closes)
    assert not window.is_open(window.opens - dt.timedelta(seconds=1))
    assert not window.is_open(window.closes + dt.timedelta(seconds=1))


def test_the_qr_code_holds_the_public_check_in_address(settings):
    settings.LUODI_PUBLIC_URL = "https://luodi.example.org/"
    url = tokens.check_in_url(7, NOW)
    assert url == f"https://luodi.example.org/checkin/s/7/{tokens.token_for(7, NOW)}/"
    svg = qr.qr_svg(url)
    assert svg.startswith("<svg")
    assert 'class="qr"' in svg
    assert "viewBox" in svg
    assert "<script" not in svg
    assert "http" not in svg.replace("http://www.w3.org", "")
