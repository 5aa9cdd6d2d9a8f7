"""The GB/T 2260 division codes of a province: its prefecture-level cities and its districts.

Read from the table python-stdnum ships to validate resident ID numbers (``stdnum/cn/loc.dat``:
every code since 1980 with the years each name was in use, kept up to date with each
release), so any province's tree loads without a download. A code whose every name has ended
(a county merged into a district, a renamed city's old code) is left out; a code's current
name is the one without an end year.

Municipalities (北京, 天津, 上海, 重庆) have no prefecture-level cities: their "市辖区" and "县"
rows stand where a city would, and are named after the municipality, so that the tree keeps its
levels (province → city → district) and a district's city reads as the municipality.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import stdnum

TABLE = Path(stdnum.__file__).parent / "cn" / "loc.dat"
_PROVINCE = re.compile(r'^(\d{2}) province="([^"]+)"')
_ROW = re.compile(r'^\s+(\d{4}) county="([^"]*)"')
_PERIOD = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")
# Rows that stand for a group of districts rather than a place of their own.
_GROUPING = {"市辖区", "县", "郊区"}


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str
    level: str  # "province", "city" or "district" (``RegionLevel`` values)
    parent: str | None  # the parent's code


class UnknownProvince(LookupError):
    pass


def current_name(names: str) -> str | None:
    """The name in use now of ``[1983-2013]东陵区,[2014-]浑南区`` (浑南区); None if every
    name has ended."""
    current = None
    for part in names.split(","):
        match = _PERIOD.match(part.strip())
        if match is None:
            current = part.strip() or current  # no period: in use since the table began
        elif match[2] is None:
            current = match[3].strip()
    return current


def provinces(table: Path = TABLE) -> dict[str, str]:
    """Two-digit code → name of every province in the table."""
    found = {}
    with table.open(encoding="utf-8") as lines:
        for line in lines:
            if match := _PROVINCE.match(line):
                found[match[1]] = match[2]
    return found


def divisions(province: str, table: Path = TABLE) -> list[Division]:
    """The province (``21``), its cities and their districts in use now, parents first."""
    name, rows = None, []
    with table.open(encoding="utf-8") as lines:
        for line in lines:
            if match := _PROVINCE.match(line):
                if name is not None:
                    break  # the next province: ours is read
                if match[1] == province:
                    name = match[2]
            elif name is not None and (match := _ROW.match(line)):
                rows.append((match[1], current_name(match[2])))
    if name is None:
        raise UnknownProvince(province)
    result = [Division(f"{province}0000", name, "province", None)]
    cities = {}
    for suffix, current in rows:
        if current is None or suffix == "0000" or not suffix.endswith("00"):
            continue
        city = name if current in _GROUPING else current
        cities[suffix[:2]] = f"{province}{suffix}"
        result.append(Division(f"{province}{suffix}", city, "city", f"{province}0000"))
    for suffix, current in rows:
        if current is None or suffix.endswith("00") or current in _GROUPING:
            continue
        parent = cities.get(suffix[:2])
        if parent is None:  # a district whose city has ended: nothing to hang it on
            continue
        result.append(Division(f"{province}{suffix}", current, "district", parent))
    return result
