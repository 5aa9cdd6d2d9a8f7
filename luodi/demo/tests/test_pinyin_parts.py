"""The demo's names are read in pinyin part by part: exactly as the whole name is read."""

import random

from luodi.demo import data
from luodi.lib import pinyin


def test_names_read_by_parts_read_as_whole_names():
    rng = random.Random(1)  # nosec B311 # a sample of names, not a secret
    chars = data.MALE_GIVEN + data.FEMALE_GIVEN
    firsts = data.OLDER_MALE_FIRST + data.OLDER_FEMALE_FIRST
    givens = list(chars) + [rng.choice(chars + firsts) + rng.choice(chars) for _ in range(150)]
    # Names whose surname and given name begin a phrase take the whole-name path.
    givens += ["兴", "长", "中", "平安", "华", "红", "乐乐", "迟"]
    surnames = [*data.SURNAMES, "曾", "单", "尉", "尉迟", "长孙", "乐", "张"]
    for surname in surnames:
        for given in givens:
            name = surname + given
            assert pinyin.syllables_of(surname, given) == tuple(pinyin.syllables(name)), name
            assert pinyin.forms_of(surname, given) == (pinyin.full(name), pinyin.initials(name))
