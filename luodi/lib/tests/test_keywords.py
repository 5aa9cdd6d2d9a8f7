import subprocess
import sys

from luodi.lib.keywords import keywords


def test_it_counts_words_once_per_text_dropping_stop_words_and_single_characters():
    found = dict(keywords(["我们希望多讲垃圾分类，垃圾分类", "垃圾分类的案例", "的的的"]))
    assert found["垃圾"] == 2
    assert found["分类"] == 2
    assert not {"我们", "希望", "的", "，"} & found.keys()


def test_it_keeps_mixed_words_but_not_bare_numbers():
    found = dict(keywords(["12345热线 2024 工单", "12345热线"]))
    assert "2024" not in found
    assert sum(n for word, n in found.items() if "热线" in word) >= 2


def test_the_site_starts_without_loading_jieba():
    """jieba's dictionary takes a second to load: only a page showing text answers pays it."""
    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'luodi.settings'); django.setup(); import luodi.urls, luodi.lib.keywords; "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "print('jieba' in sys.modules)"
    )
    done = subprocess.run(  # nosec B603 # this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
