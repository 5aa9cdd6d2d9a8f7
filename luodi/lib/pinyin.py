"""Pinyin forms of Chinese names, for sorting and for searching by initials (张三 → "zs") or by
the whole name written in pinyin ("songjuan", "song juan").

A surname is read as a surname: 曾国藩 is "zeng guo fan" (not "ceng"), 单雄信 "shan xiong xin",
解缙 "xie jin". pypinyin reads characters as words, and has no surname mode, so the surnames
whose reading differs from the word's are listed here (compound surnames first).
"""

from functools import lru_cache

from pypinyin import lazy_pinyin

# Compound surnames, then single-character surnames read differently from the character's
# everyday reading; each maps to its syllables.
SURNAMES: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "曾": ("zeng",),
    "单": ("shan",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "区": ("ou",),
    "查": ("zha",),
    "盖": ("ge",),
    "乐": ("yue",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "召": ("shao",),
    "繁": ("po",),
    "秘": ("bi",),
    "种": ("chong",),
    "折": ("she",),
    "员": ("yun",),
    "黑": ("he",),
    "祭": ("zhai",),
    "句": ("gou",),
    "谌": ("chen",),
    "隗": ("wei",),
    "冼": ("xian",),
    "逄": ("pang",),
    "乜": ("nie",),
    "牟": ("mou",),
    "柏": ("bai",),
    "华": ("hua",),
    "任": ("ren",),
    "纪": ("ji",),
    "过": ("guo",),
    "能": ("nai",),
}


def syllables(name: str) -> list[str]:
    """The name's toneless pinyin syllables, its surname read as a surname."""
    return list(_syllables(name.strip()))


# pypinyin takes ~0.2 ms a name; a province's register repeats many names (and each cadre's
# name is read twice: for the sort key and the initials).
@lru_cache(maxsize=65536)
def _syllables(name: str) -> tuple[str, ...]:
    for surname, reading in SURNAMES.items():
        if name.startswith(surname) and len(name) > len(surname):
            return (*reading, *lazy_pinyin(name[len(surname) :], errors="default"))
    return tuple(lazy_pinyin(name, errors="default"))


def full(name: str) -> str:
    """Space-separated toneless pinyin, lower case: the sort key for names."""
    return " ".join(syllables(name)).lower()


def initials(name: str) -> str:
    return "".join(s[:1] for s in syllables(name)).lower()


# Two-character beginnings of pypinyin's phrases. A name whose surname and first given
# character begin no phrase is segmented as the surname, then the given name alone: its pinyin
# is the surname's followed by the given name's, which lets a bulk load compute each part once.
@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    from pypinyin.constants import PHRASES_DICT

    return frozenset(word[:2] for word in PHRASES_DICT if len(word) >= 2)


@lru_cache(maxsize=65536)
def _given_syllables(given: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(given, errors="default"))


def syllables_of(surname: str, given: str) -> tuple[str, ...]:
    """The same syllables as ``syllables(surname + given)``, from cached parts where that is
    exactly equal (the demo builder names hundreds of thousands of people from short lists)."""
    name = (surname + given).strip()
    if surname != name[: len(surname)] or not given.strip():
        return _syllables(name)
    for known, reading in SURNAMES.items():  # the same order as ``_syllables``
        if name.startswith(known):
            if known == surname:
                return (*reading, *_given_syllables(given))
            return _syllables(name)
    if len(surname) == 1 and name[:2] not in _phrase_starts():
        return (*_given_syllables(surname), *_given_syllables(given))
    return _syllables(name)


def forms_of(surname: str, given: str) -> tuple[str, str]:
    """``(full(name), initials(name))`` of the name ``surname + given``, by ``syllables_of``."""
    parts = syllables_of(surname, given)
    return " ".join(parts).lower(), "".join(s[:1] for s in parts).lower()
