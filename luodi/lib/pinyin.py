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
