"""Every page and API answer carries the security headers; TRACE is refused everywhere; no
template has inline scripts, event handlers or style attributes the CSP would refuse."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from luodi.accounts.models import Role

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _csp(response) -> dict[str, list[str]]:
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";")]
    return {d[0]: d[1:] for d in directives if d}


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (None, "/accounts/login/"),
        (None, "/verify/"),
        (Role.STAFF, "/work/to-do/"),
        (Role.STAFF, "/classes/"),
        (Role.STAFF, "/cadres/"),
        (Role.TRAINEE, "/checkin/"),
        (Role.ADMIN, "/admin/"),
        (Role.SUPERVISOR, "/api/v1/stats/summary"),
    ],
)
def test_it_sends_the_security_headers_on_pages_and_the_api(client_as, client, role, url):
    c = client_as(role) if role else client
    response = c.get(url)
    assert response.status_code == 200, url
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    )
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_answers_that_set_no_caching_of_their_own_are_not_stored(client, client_as):
    # A page, an API answer, a 404 and a redirect to the login page: none chose caching itself.
    for c, url in [
        (client_as(Role.STAFF), "/classes/"),
        (client_as(Role.SUPERVISOR), "/api/v1/stats/summary"),
        (client, "/no-such-page/"),
    ]:
        assert c.get(url)["Cache-Control"] == "no-store, private", url
    client.logout()
    response = client.get("/cadres/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store, private"


def test_a_view_that_chose_its_own_caching_keeps_it(client_as, college):
    # The verification page is never_cache: Django's own header stays as it set it.
    response = client_as(Role.STAFF).get(reverse("verify:certificate", args=["LN-NOPE"]))
    assert "must-revalidate" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "trace"])
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/api/v1/stats/summary", "/static/luodi/app.css", "/x"]
)
def test_trace_and_track_are_refused_on_every_path(client, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]


def test_the_check_in_pages_need_no_camera(client_as, college):
    # Trainees scan the classroom's QR code with their phone's own camera app; no page asks
    # the browser for the camera, so the Permissions-Policy can refuse it to all.
    for path in TEMPLATES.rglob("*.html"):
        assert "getUserMedia" not in path.read_text(), path
    assert "camera=()" in client_as(Role.TRAINEE).get("/checkin/")["Permissions-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "script"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler"),
    (re.compile(r"\bhx-on", re.I), "hx-on handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "style element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_served_template_has_inline_scripts_or_styles():
    """The CSP refuses inline code and styles, so none may creep back into a page. Templates
    under print/ are rendered only into PDFs by WeasyPrint (never sent to a browser)."""
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        if "print" in path.relative_to(TEMPLATES).parts:
            continue
        text = path.read_text()
        problems += [f"{path.name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert problems == []


def test_print_templates_are_only_rendered_into_pdfs():
    """The print templates have <style> blocks (WeasyPrint reads them); no view renders them."""
    luodi = Path(settings.BASE_DIR) / "luodi"
    users = {
        str(path.relative_to(luodi))
        for path in luodi.rglob("*.py")
        if "tests" not in path.parts and re.search(r"[\"'][a-z]+/print/", path.read_text())
    }
    assert users == {
        "certificates/pdf.py",
        "training/documents/timetable.py",
        "training/documents/personal_archive.py",
        "training/documents/reflections_booklet.py",
        "reports/class_archive.py",
        "reports/annual_report.py",
        "assessments/documents.py",
    }
    for name in users:
        text = (luodi / name).read_text()
        assert "HttpResponse(" not in text
        assert "render(request" not in text
