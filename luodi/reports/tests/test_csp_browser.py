"""In Chromium, the main pages of staff and trainees run under the Content-Security-Policy
without a single violation (no inline script, style or handler is refused), htmx works, and
the dashboard's coverage bars still show."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.training.models import Courseware

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs (through the DevTools protocol, which the CSP does
# not govern): every violation the page reports is kept for the test to read.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));
"""


@pytest.fixture
def watched(browser_page):
    page = browser_page
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page, console


def _visit(page, console, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    assert "Content-Security-Policy" in {k.title() for k in response.headers}, url
    violations = page.evaluate("window.__csp")
    assert (violations, console) == ([], []), url
    # htmx added no inline style element of its own
    assert page.evaluate("document.querySelectorAll('style').length") == 0, url


def test_staff_pages_run_without_csp_violations(
    watched, live_server, login_in_browser, users, college
):
    page, console = watched
    Courseware.objects.create(
        session=college.sessions[0], course=college.course, title="课件", file="courseware/x.pdf"
    )
    login_in_browser(page, users[Role.STAFF].username)
    finished, session = college.finished, college.sessions[0]
    for url in [
        reverse("home"),
        reverse("dashboard"),
        reverse("training:class-list"),
        reverse("training:class-plan"),
        reverse("training:class-detail", args=[finished.pk]),
        reverse("training:class-manage", args=[finished.pk]),
        reverse("training:timetable-edit", args=[finished.pk]),
        reverse("training:class-completion", args=[finished.pk]),
        reverse("checkin:class-attendance", args=[finished.pk]),
        reverse("checkin:screen", args=[session.pk]),
        reverse("checkin:roll-call", args=[session.pk]),
        reverse("certificates:class", args=[finished.pk]),
        reverse("cadres:cadre-list"),
        reverse("curriculum:course-list"),
        reverse("faculty:teacher-list"),
        reverse("regions:community-list"),
        reverse("admin:index"),
        reverse("admin:training_courseware_add"),
        reverse("admin:training_courseware_changelist"),
    ]:
        _visit(page, console, live_server.url + url)


def test_htmx_filters_still_work_under_the_policy(
    watched, live_server, login_in_browser, users, college
):
    page, console = watched
    login_in_browser(page, users[Role.STAFF].username)
    _visit(page, console, live_server.url + reverse("cadres:cadre-list"))
    with page.expect_request(lambda r: "q=" in r.url) as request:
        page.fill("input[name=q]", "宋娟")
        page.dispatch_event("input[name=q]", "change")
    assert request.value.headers.get("hx-request") == "true"  # sent by htmx, not a reload
    page.wait_for_load_state("networkidle")
    assert "宋娟" in page.inner_text("#results")
    assert page.evaluate("window.__csp") == []


def test_the_dashboard_bars_show_each_citys_coverage(
    watched, live_server, login_in_browser, users, college
):
    page, console = watched
    login_in_browser(page, users[Role.STAFF].username)
    _visit(page, console, live_server.url + reverse("dashboard"))
    bars = page.query_selector_all("meter.bar")
    assert bars
    for bar in bars:
        box = bar.bounding_box()
        assert box["width"] > 20
        assert box["height"] > 0
        assert float(bar.get_attribute("value")) <= float(bar.get_attribute("max"))
    # one of the stock cities has trainees: its bar is filled in part
    assert any(float(b.evaluate("m => m.value")) > 0 for b in bars)


def test_trainee_pages_run_without_csp_violations(
    watched, live_server, login_in_browser, users, college
):
    page, console = watched
    login_in_browser(page, users[Role.TRAINEE].username)
    for url in [
        reverse("checkin:home"),
        reverse("archive:my-archive"),
        reverse("verify:lookup"),
    ]:
        _visit(page, console, live_server.url + url)
