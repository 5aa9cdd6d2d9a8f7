"""The words that come up most in free-text answers (survey comments, the needs research's
"hardest problem"), for a glance before reading the answers themselves.

Chinese has no spaces between words, so the texts are cut into words with jieba. jieba loads
its dictionary (some 20 MB, about a second) on first use: it is imported here, inside the
function, so that no process pays for it at start-up and only a results page that shows text
answers does.
"""

import re
import warnings
from collections import Counter
from collections.abc import Iterable

# Words too common in answers to say anything: particles, pronouns, hedges and the words
# every comment about a class uses. Single characters are dropped anyway.
STOP_WORDS = frozenset(
    """
    我们 你们 他们 她们 它们 自己 大家 这个 那个 这些 那些 这样 那样 这种
    那种 什么 怎么 怎样 如何 为什么 因为 所以 但是 可是 而且 并且 或者 还是
    如果 虽然 就是 只是 还是 已经 可以 可能 应该 需要 希望 没有 不是 一个
    一些 一下 一点 有点 比较 非常 特别 很多 更多 更加 还有 以及 及其 等等
    方面 问题 进行 目前 现在 以后 今后 时候 通过 对于 关于 其中 其他 之后
    之前 老师 课程 讲课 培训 学习 内容 感觉 觉得 认为 知道 建议 没什么 暂无
    无 没有意见 挺好 很好
    """.split()  # noqa: SIM905 -- a list literal would take a line per word
)

# A word worth counting: two or more characters of Chinese, Latin letters or digits mixed
# with them (e.g. "12345热线"), not a bare number.
_WORD = re.compile(r"^(?=.*[^\d.])[\w.]{2,}$")


def keywords(texts: Iterable[str], *, top: int = 20) -> list[tuple[str, int]]:
    """The ``top`` most frequent words of ``texts`` with their counts, most frequent first
    (ties in the order first met). A word counts once per text, so one long answer that
    repeats itself does not outweigh many short ones."""
    with warnings.catch_warnings():  # jieba 0.42's regexes are old-style strings
        warnings.simplefilter("ignore", DeprecationWarning)
        import jieba  # here, not at start-up: a second's dictionary load where it is used

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter goes to stderr otherwise
    counts: Counter[str] = Counter()
    for text in texts:
        words = dict.fromkeys(w.strip().lower() for w in jieba.lcut(text or ""))
        counts.update(w for w in words if _WORD.match(w) and w not in STOP_WORDS)
    return counts.most_common(top)
