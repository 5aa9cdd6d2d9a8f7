"""Chinese text cut into words for search (the case library's full-text search).

Chinese has no spaces between words, so neither SQLite's nor PostgreSQL's word search can find
物业 in 小区物业服务纠纷. The texts are cut with jieba (loaded on first use, as in
``lib.keywords``) and kept as a *search column*: every word wrapped in spaces, so that
" 物业 " matches the word and never part of another one (" 物业公司 " is indexed as 物业, 公司
and 物业公司 by jieba's search mode). A query is cut the same way and matched with plain
``LIKE``/``contains``, which both databases have; see ``docs/cases.md``.
"""

import re
import unicodedata
import warnings
from collections.abc import Iterable

from luodi.lib.keywords import STOP_WORDS

SEPARATOR = " "
# Punctuation and spaces: not words. \w covers Chinese characters, letters and digits.
_NOT_WORD = re.compile(r"^\W*$")


def _jieba():
    with warnings.catch_warnings():  # jieba 0.42's regexes are old-style strings
        warnings.simplefilter("ignore", DeprecationWarning)
        import jieba  # here, not at start-up: a second's dictionary load where it is used

    jieba.setLogLevel(60)
    return jieba


def _normal(text: str) -> str:
    """Full-width letters and digits as half-width, lower case (full-width ABC1 finds abc1)."""
    return unicodedata.normalize("NFKC", text or "").lower()


def words(text: str) -> list[str]:
    """The words of ``text`` in jieba's search mode (long words also cut into their parts),
    punctuation and spaces left out, in order, repeats kept."""
    return [w for w in _jieba().lcut_for_search(_normal(text)) if not _NOT_WORD.match(w)]


def search_column(texts: Iterable[str]) -> str:
    """The search column for ``texts``: each word wrapped in spaces (`` 物业  纠纷 ``), so a
    word is found as ``" 物业 "`` and counted by how often that occurs."""
    return "".join(f"{SEPARATOR}{w}{SEPARATOR}" for text in texts for w in words(text))


def query_words(query: str) -> list[str]:
    """The distinct words a search looks for: those of two or more characters that say
    something (not 我们, 问题…); a query of single characters (路) keeps them."""
    found = list(dict.fromkeys(words(query)))
    meaningful = [w for w in found if len(w) > 1 and w not in STOP_WORDS]
    return meaningful or found


def wrapped(word: str) -> str:
    """How ``word`` appears in a search column."""
    return f"{SEPARATOR}{word}{SEPARATOR}"
