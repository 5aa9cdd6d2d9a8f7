"""Chinese wording read from the compiled catalogue (issue 8, §4): each enrolment state has a
word of its own, Chinese text takes full-width colons, labels on pages are followed by the
colon of the page's language.

``test_the_states_have_the_colleges_words`` and ``test_a_label_takes_a_full_width_colon_in_
chinese`` hold once the catalogue has the wording in ``po-wishes.json``."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from luodi.training.models import EnrolmentStatus

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
CJK = "\u3400-\u9fff"
# Text quoted from outside the language (an HTTP header the user types in) may keep its colon.
QUOTED = ("Authorization: Bearer",)


def _chinese_texts() -> dict[str, str]:
    with CATALOGUE.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    return {str(k): v for k, v in catalogue.items() if k}


def test_each_enrolment_state_has_its_own_chinese_word():
    with translation.override("zh-hans"):
        labels = [str(label) for label in EnrolmentStatus.labels]
    assert len(set(labels)) == len(labels), labels


def test_the_states_have_the_colleges_words():
    """推荐 (a city's nomination) is not 调训 (the college's confirmed call to the class)."""
    with translation.override("zh-hans"):
        labels = {status: str(status.label) for status in EnrolmentStatus}
    assert labels == {
        EnrolmentStatus.NOMINATED: "已推荐",
        EnrolmentStatus.ENROLLED: "已调训",
        EnrolmentStatus.WAITLISTED: "候补",
        EnrolmentStatus.COMPLETED: "已结业",
        EnrolmentStatus.NOT_COMPLETED: "未结业",
        EnrolmentStatus.WITHDRAWN: "已退学",
    }


def test_chinese_text_never_has_an_ascii_colon():
    offending = {
        msgid: text
        for msgid, text in _chinese_texts().items()
        if re.search(rf"[{CJK}%)s]\s?:\s|:\s?[{CJK}]|[{CJK}]:$", text)
        and not any(q in text for q in QUOTED)
        and "Project-Id-Version" not in text
    }
    assert offending == {}


def test_a_label_takes_a_full_width_colon_in_chinese():
    template = Template('{% load i18n formats %}{% translate "Reason" %}{% colon %}x')
    with translation.override("zh-hans"):
        assert template.render(Context()) == "原因：x"
    with translation.override("en"):
        assert template.render(Context()) == "Reason: x"


@pytest.mark.parametrize("pattern", ["}}: ", "%}: ", "%}:<"])
def test_no_template_puts_an_ascii_colon_after_translated_text(pattern):
    """A label's colon comes from ``{% colon %}``, in the page's language (a colon inside
    a ``blocktranslate`` is translated with its sentence). Printed documents are Chinese."""
    blocks = re.compile(r"{% blocktranslate.*?{% endblocktranslate %}", re.S)
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if "print" not in path.parts and pattern in blocks.sub("", path.read_text())
    ]
    assert offenders == []
