"""On a phone-sized Chromium (Debian's, driven by playwright), a trainee who is not logged in
opens the QR code's link, logs in, lands back and is checked in."""

import os
import shutil
import time

import pytest
from django.utils import timezone

from conftest import PASSWORD
from luodi.accounts.models import Role, User
from luodi.checkin import tokens
from luodi.lib import messaging
from luodi.training.models import Attendance, AttendanceStatus

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(tmp_path):
    from playwright.sync_api import sync_playwright

    # playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # are still plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            locale="zh-CN",
            viewport={"width": 390, "height": 844},
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
        )
        yield context.new_page()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_a_trainee_scans_logs_in_and_is_checked_in(phone, live_server, users, live):
    path = tokens.check_in_path(live.session.pk, tokens.token_for(live.session.pk, timezone.now()))
    phone.goto(live_server.url + path)
    assert "/accounts/login/" in phone.url
    phone.fill("input[name=username]", users[Role.TRAINEE].username)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit].primary")
    phone.wait_for_selector("[data-testid=checked-in]")
    result = phone.inner_text("[data-testid=checked-in]")
    assert "签到成功" in result or "You are checked in" in result
    assert live.training_class.title in phone.inner_text("main")
    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    attendance = Attendance.objects.get(session=live.session, enrolment=live.trainee)
    assert attendance.status == AttendanceStatus.PRESENT
    assert attendance.checked_in_at


def test_a_cadre_who_never_logged_in_scans_gets_a_code_and_is_checked_in(
    phone, live_server, live, settings, tmp_path
):
    """No account yet: the scan leads to the first login, the texted code is read from the
    file backend (as an operator would read the outbox), and the check-in completes at the
    time of the scan, after the code on the screen has moved on."""
    settings.LUODI_MESSAGE_BACKEND = "luodi.lib.messaging.FileBackend"
    settings.LUODI_MESSAGE_FILE = tmp_path / "outbox.jsonl"
    settings.LUODI_CHECKIN_TOKEN_SECONDS = 5  # the code on the screen expires within seconds
    cadre = live.trainee.cadre
    assert not cadre.__class__.objects.filter(pk=cadre.pk, user__isnull=False).exists()
    scanned = timezone.now()
    token = tokens.token_for(live.session.pk, scanned)
    phone.goto(live_server.url + tokens.check_in_path(live.session.pk, token))
    assert "/accounts/login/" in phone.url
    phone.click("a[href^='/accounts/code/']")
    phone.fill("input[name=identifier]", cadre.id_number)
    phone.click("button[type=submit].primary")
    phone.wait_for_selector("input[name=code]")
    [message] = messaging.read_file_outbox()
    assert message["to"] == cadre.phone
    phone.fill("input[name=code]", message["params"]["code"])
    phone.fill("input[name=password1]", "Shequ-ganbu 2026")
    phone.fill("input[name=password2]", "Shequ-ganbu 2026")
    while tokens.token_is_valid(live.session.pk, token, timezone.now()):
        time.sleep(0.5)  # the trainee was slow: the scanned code has expired meanwhile
    phone.click("button[type=submit].primary")
    phone.wait_for_selector("[data-testid=checked-in]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    attendance = Attendance.objects.get(session=live.session, enrolment=live.trainee)
    assert attendance.status == AttendanceStatus.PRESENT
    assert abs((attendance.checked_in_at - scanned).total_seconds()) < 2
    user = User.objects.get(cadre=cadre)
    assert user.role == Role.TRAINEE
    assert user.check_password("Shequ-ganbu 2026")
