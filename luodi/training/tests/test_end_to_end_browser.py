"""One class run end to end in a real browser: plan, quotas, nomination, timetable with a
conflict caught, check-in on a phone, leave, reflection, completion, certificate, verification."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, pick_in_browser
from luodi.accounts.models import Role
from luodi.certificates.models import Certificate
from luodi.checkin import tokens
from luodi.training.models import Enrolment, Session, TrainingClass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _slot(hour: int) -> str:
    return "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"


def _session_times(now: dt.datetime) -> tuple[dt.time, dt.time]:
    """A session that started five minutes ago (its check-in is open), within today."""
    start = max(now - dt.timedelta(minutes=5), now.replace(hour=0, minute=0))
    end = min(now + dt.timedelta(minutes=55), now.replace(hour=23, minute=59))
    return start.time().replace(second=0, microsecond=0), end.time().replace(
        second=0, microsecond=0
    )


def _login(page, live_server, username):
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def test_a_class_runs_from_plan_to_verified_certificate(
    browser_context, live_server, users, college, make
):
    url = live_server.url
    now = timezone.localtime()
    today = now.date()
    start, end = _session_times(now)
    other_teacher = make.teacher(name="孙萍")
    busy_teacher = make.teacher(name="王海")
    # Another class already has 王海 teaching at this time: the timetable must catch it.
    busy = make.training_class(college.class_type, start_date=today, end_date=today)
    make.session(
        busy,
        college.course,
        busy_teacher,
        start_time=start,
        end_time=end,
        slot=_slot(start.hour),
    )

    # 1. Staff plan the class with quotas, then open it for nominations.
    staff = browser_context()
    _login(staff, live_server, users[Role.STAFF].username)
    staff.goto(url + reverse("training:class-plan"))
    staff.select_option("select[name=class_type]", str(college.class_type.pk))
    staff.fill("input[name=start_date]", today.isoformat())
    staff.fill("input[name=end_date]", (today + dt.timedelta(days=1)).isoformat())
    staff.fill("input[name=venue]", "学院报告厅")
    staff.fill("input[name=capacity]", "5")
    pick_in_browser(staff, "head_teacher", college.teacher.name)
    staff.fill(f"input[name=city_{college.dalian.pk}]", "3")
    staff.fill(f"input[name=city_{college.shenyang.pk}]", "2")
    staff.click("button[type=submit].primary")
    staff.wait_for_load_state()
    if staff.query_selector("[data-testid=plan-warnings]"):  # e.g. run on a holiday
        staff.click("button[name=accept_warnings]")
    staff.wait_for_url(re.compile(r"/classes/\d+/manage/"))
    training_class = TrainingClass.objects.get(venue="学院报告厅")
    assert training_class.quotas.count() == 2
    staff.click("button[name=status][value=enrolling]")
    staff.click("[data-testid=confirm] button[type=submit]")
    staff.wait_for_selector(".status-enrolling")

    # 2. The Dalian liaison nominates 宋娟; staff confirm.
    liaison = browser_context()
    _login(liaison, live_server, users[Role.LIAISON].username)
    liaison.goto(url + reverse("training:nominate", args=[training_class.pk]) + "?q=宋娟")
    liaison.click("button[name=cadre]")
    liaison.wait_for_selector(".msg-success")
    staff.goto(url + reverse("training:class-manage", args=[training_class.pk]))
    staff.click("button[name=action][value=confirm]")
    staff.wait_for_selector("td .status-enrolled")

    # 3. The timetable flags 王海's clash, then takes 孙萍 instead.
    staff.goto(url + reverse("training:timetable-edit", args=[training_class.pk]))
    staff.fill("input[name=date]", today.isoformat())
    staff.select_option("select[name=slot]", _slot(start.hour))
    staff.fill("input[name=start_time]", start.strftime("%H:%M"))
    staff.fill("input[name=end_time]", end.strftime("%H:%M"))
    pick_in_browser(staff, "course", college.course.title)
    staff.select_option("select[name=method]", "lecture")
    staff.fill("input[name=hours]", "3")
    staff.fill("input[name=venue]", "学院报告厅")
    pick_in_browser(staff, "teacher", busy_teacher.name)
    assert "王海" in staff.wait_for_selector("[data-testid=conflicts]").inner_text()
    pick_in_browser(staff, "teacher", other_teacher.name)
    staff.wait_for_selector(".ok-note")
    staff.click("#session-form button[type=submit]")
    staff.wait_for_selector(".msg-success")
    session = Session.objects.get(training_class=training_class)
    # a short second session tomorrow, for the leave request
    Session.objects.create(
        training_class=training_class,
        date=today + dt.timedelta(days=1),
        slot="morning",
        start_time=dt.time(8, 30),
        end_time=dt.time(9),
        course=college.course,
        teacher=other_teacher,
        venue="学院报告厅",
        method="lecture",
        hours="0.5",
    )
    staff.goto(url + reverse("training:class-manage", args=[training_class.pk]))
    staff.click("button[name=status][value=in_progress]")
    staff.click("[data-testid=confirm] button[type=submit]")
    staff.wait_for_selector(".status-in_progress")

    # 4. 宋娟 scans the QR code on her phone, logs in, and is checked in.
    phone = browser_context(**PHONE)
    phone.goto(url + tokens.check_in_path(session.pk, tokens.token_for(session.pk, now)))
    assert "/accounts/login/" in phone.url
    phone.fill("input[name=username]", users[Role.TRAINEE].username)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit].primary")
    phone.wait_for_url(re.compile(rf"/checkin/s/{session.pk}/"))
    enrolment = Enrolment.objects.get(training_class=training_class)
    assert enrolment.attendances.get(session=session).status in ("present", "late")

    # 5. She asks for leave from tomorrow's session and writes her reflection.
    phone.goto(url + reverse("checkin:leave-new", args=[enrolment.pk]))
    phone.check("input[name=sessions]")
    phone.fill("textarea[name=reason]", "社区防汛值班")
    phone.click("button[type=submit].primary")
    phone.wait_for_selector(".msg-success")
    assert enrolment.leave_requests.get().status == "pending"
    phone.goto(url + reverse("checkin:reflection", args=[enrolment.pk]))
    phone.fill("textarea", "学到了协商议事的方法，回去就用。" * 20)  # at least 300 字
    phone.click("button[type=submit].primary")
    phone.wait_for_load_state()

    # 6. The head teacher approves the leave.
    head = browser_context()
    _login(head, live_server, users[Role.HEAD_TEACHER].username)
    head.goto(url + reverse("checkin:class-leave", args=[training_class.pk]))
    head.click("button[name=decision][value=approve]")
    head.wait_for_load_state()
    assert enrolment.leave_requests.get().status == "approved"

    # 7. Staff finish the class: 3 of 3.5 hours attended, 0.5 h leave within 1/7.
    staff.goto(url + reverse("training:class-completion", args=[training_class.pk]))
    staff.click("form button.primary")
    staff.click("[data-testid=confirm] button[type=submit]")
    staff.wait_for_selector(".msg-success")
    enrolment.refresh_from_db()
    assert enrolment.status == "completed", enrolment.result_reason

    # 8. Certificates are issued, and anyone can verify one.
    staff.goto(url + reverse("certificates:class", args=[training_class.pk]))
    staff.click("form[action$='/issue/'] button")
    staff.wait_for_load_state()
    certificate = Certificate.objects.get(enrolment=enrolment)
    visitor = browser_context(**PHONE)
    visitor.goto(url + reverse("verify:certificate", args=[certificate.serial]))
    text = visitor.inner_text("main")
    assert certificate.serial in text
    assert "宋*" in text
    assert "宋娟" not in text
