"""The admin's user form in Chinese: the college's own fields are labelled, and the list of
several hundred untranslated per-model permissions (which grant nothing here: access follows
the role) is gone. ``test_the_add_form_is_chinese_throughout`` holds once the catalogue has
the wording in ``po-wishes.json``."""

import re

import pytest
from django.urls import reverse

from conftest import A

pytestmark = pytest.mark.django_db


def _page(client_as, url):
    client = client_as(A)
    html = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    return html


def _english_lines(html: str) -> set[str]:
    html = re.sub(
        r"<script.*?</script>|<style.*?</style>|<option[^>]*>.*?</option>", "", html, flags=re.S
    )
    text = re.sub(r"<[^>]+>", "\n", html)
    return {
        line.strip()
        for line in text.split("\n")
        if re.search(r"[A-Za-z]{3,}", line) and not re.search(r"[\u4e00-\u9fff]", line)
    }


def test_the_change_form_has_the_role_and_no_per_model_permissions(client_as, users, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = _page(client_as, reverse("admin:accounts_user_change", args=[users[A].pk]))
    assert "学院角色" in html  # "Role in the college"
    assert 'name="role"' in html
    assert 'name="user_permissions"' not in html
    assert "Can add" not in html
    assert 'name="groups"' in html  # group changes are still audited


def test_the_add_form_is_chinese_throughout(client_as, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = _page(client_as, reverse("admin:accounts_user_add"))
    # The side bar's vendored names and the signed-in username may stay as they are.
    allowed = {"admin", "TOTP devices", "Tasks Database Backend", "&rsaquo;", "&rsaquo; admin"}
    assert _english_lines(html) - allowed == set()
