"""In Chromium, the API's docs page (ninja's Swagger UI from its own static files) renders every
operation from the schema under the Content-Security-Policy, loading nothing from elsewhere."""

import pytest

from luodi.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));
"""


def test_the_docs_page_renders_every_operation_from_local_files(
    browser_page, live_server, login_in_browser, users
):
    page = browser_page
    page.add_init_script(RECORD_VIOLATIONS)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    login_in_browser(page, users[Role.STAFF].username)
    response = page.goto(live_server.url + "/api/v1/docs")
    assert response.status == 200
    page.wait_for_selector(".opblock", timeout=15000)
    page.wait_for_load_state("networkidle")
    paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.innerText)")
    assert {"/api/v1/cadres", "/api/v1/enrolments", "/api/v1/check-in"} <= {
        p.replace("\u200b", "").strip() for p in paths
    }
    assert elsewhere == []
    assert page.evaluate("window.__csp") == []  # no inline script or style refused
