"""Pinyin forms of Chinese names, for sorting and for searching by initials (张三 → "zs")."""

from pypinyin import Style, lazy_pinyin


def full(name: str) -> str:
    """Space-separated toneless pinyin, lower case: the sort key for names."""
    return " ".join(lazy_pinyin(name, errors="default")).lower()


def initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
