"""On a phone-sized Chromium (375 × 812), a head teacher logs in, lands on their classes and
opens today's session's classroom screen in one tap; their class page fits the phone."""

import datetime as dt
from decimal import Decimal

import pytest

from luodi.accounts.models import Role
from luodi.training.models import EnrolmentStatus, TimeSlot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_the_head_teacher_opens_todays_screen_from_their_home(
    noon, browser_context, live_server, login_in_browser, users, college, make
):
    # ``noon`` first: the college's class in progress is dated by the zone's "today".
    start = noon.replace(second=0, microsecond=0) + dt.timedelta(minutes=3)
    session = make.session(
        college.running,
        college.course,
        None,
        day=1,
        slot=TimeSlot.AFTERNOON,
        start_time=start.time(),
        end_time=(start + dt.timedelta(hours=2)).time(),
        hours=Decimal(2),
        venue="手机测试教室",
    )
    page = browser_context(viewport=PHONE, is_mobile=True, has_touch=True)
    login_in_browser(page, users[Role.HEAD_TEACHER].username)
    assert page.url.endswith("/work/classes/")
    link = page.locator(f"[data-testid=screen-{session.pk}]")
    box = link.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]
    link.click()
    page.wait_for_selector("svg.qr")
    assert college.course.title in page.inner_text("body")
    assert page.url.endswith(f"/checkin/sessions/{session.pk}/screen/")


def test_a_large_classs_page_fits_a_phone(
    browser_context, live_server, login_in_browser, users, college, make
):
    """A hundred trainees and five days of sessions: the page is a few screens, not thirty,
    and the whole timetable is within the phone's width."""
    tc = college.running
    tc.capacity = 200
    tc.save()
    for day in range(3):
        for slot in (TimeSlot.AFTERNOON, TimeSlot.EVENING):
            make.session(tc, college.course, None, day=day, slot=slot, venue=f"教室{day}{slot}")
    street = college.streets[0]
    community = make.community(street)
    for _n in range(100):
        make.enrol(tc, make.cadre(community), status=EnrolmentStatus.ENROLLED)
    page = browser_context(viewport=PHONE, is_mobile=True, has_touch=True)
    login_in_browser(page, users[Role.HEAD_TEACHER].username)
    page.goto(live_server.url + tc.get_absolute_url())
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert height < 6 * PHONE["height"], height
    assert width <= PHONE["width"], width
    last = page.locator("#timetable .day-list .session").last
    box = last.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]
    # The roster is one tap away, and scrolls inside its own box.
    page.click("#roster > summary")
    assert page.locator("#roster table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
