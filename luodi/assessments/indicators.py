"""An indicator system written and read as an outline, and the checks a whole system passes.

Staff edit a project's system as text, one indicator a line, children indented under their
parent (spaces or tabs), fields separated by ``|``::

    组织建设 | 30
      党组织设置规范 | 50 | 10 | 按规定设置社区党组织
      党员管理 | 50 | 10
    服务群众 | 70
      ...

``name | weight % | maximum score | description``; a parent needs no maximum (its leaves are
scored). The whole system is checked before anything is stored (``check``): siblings'
weights must add up to 100 %, every leaf needs a maximum score above 0. Writing it as one
text lets a system be built and corrected in one go, where a tree edited node by node would
pass through states whose weights cannot add up.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

SEPARATORS = ("|", "｜")  # noqa: RUF001 -- Chinese keyboards type the full-width bar
MAX_DEPTH = 4


@dataclass
class Item:
    name: str
    weight: Decimal
    max_score: Decimal | None = None
    description: str = ""
    children: list["Item"] = field(default_factory=list)
    line: int = 0


def _number(text: str) -> Decimal | None:
    text = text.strip().rstrip("%％").strip()  # noqa: RUF001 -- a full-width percent sign too
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse(text: str) -> tuple[list[Item], list[str]]:
    """The top-level items of an outline, and the errors found reading it (line by line)."""
    errors: list[str] = []
    top: list[Item] = []
    stack: list[tuple[int, Item]] = []  # (indent, item) of the open parents
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        line = raw.replace("\t", "    ").replace("\u3000", "  ")
        indent = len(line) - len(line.lstrip(" "))
        parts = [p.strip() for p in _split(line.strip())]
        name = parts[0] if parts else ""
        if not name:
            errors.append(_("Line %(n)s: the indicator has no name.") % {"n": number})
            continue
        try:
            weight = _number(parts[1]) if len(parts) > 1 else None
            max_score = _number(parts[2]) if len(parts) > 2 else None
        except ValueError as exc:
            errors.append(
                _("Line %(n)s: “%(text)s” is not a number.") % {"n": number, "text": exc.args[0]}
            )
            continue
        if weight is None:
            errors.append(
                _("Line %(n)s: “%(name)s” has no weight (write “name | weight %%”).")
                % {"n": number, "name": name}
            )
            continue
        item = Item(
            name=name[:100],
            weight=weight,
            max_score=max_score,
            description=(parts[3] if len(parts) > 3 else "")[:300],
            line=number,
        )
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            stack[-1][1].children.append(item)
        else:
            top.append(item)
        if len(stack) >= MAX_DEPTH:
            errors.append(
                _("Line %(n)s: indicators go at most %(depth)s levels deep.")
                % {"n": number, "depth": MAX_DEPTH}
            )
        stack.append((indent, item))
    return top, errors


def _split(line: str) -> list[str]:
    for separator in SEPARATORS[1:]:
        line = line.replace(separator, SEPARATORS[0])
    return line.split(SEPARATORS[0])


def check(top: list[Item]) -> list[str]:
    """What is wrong with a system: weights of siblings that do not add up to 100 % (naming
    their parent), a leaf without a maximum score, weights outside 0–100."""
    errors: list[str] = []
    if not top:
        return [_("The indicator system is empty.")]

    def walk(items: list[Item], parent: Item | None) -> None:
        total = sum((i.weight for i in items), Decimal(0))
        if total != 100:
            where = (
                _("under “%(parent)s”") % {"parent": parent.name}
                if parent
                else _("of the first-level indicators")
            )
            errors.append(
                _("The weights %(where)s add up to %(total)s %%, not 100 %%.")
                % {"where": where, "total": _plain(total)}
            )
        for item in items:
            if not 0 <= item.weight <= 100:
                errors.append(
                    _("“%(name)s” has a weight of %(weight)s %%; a weight is from 0 to 100 %%.")
                    % {"name": item.name, "weight": _plain(item.weight)}
                )
            if item.children:
                walk(item.children, item)
            elif item.max_score is None or item.max_score <= 0:
                errors.append(
                    _("The leaf indicator “%(name)s” needs a maximum score above 0.")
                    % {"name": item.name}
                )

    walk(top, None)
    return errors


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def outline(nodes) -> str:
    """The outline of stored indicators (``Indicator`` rows ordered by position), which
    ``parse`` reads back to the same system."""
    by_parent: dict = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    lines: list[str] = []

    def walk(parent_id, depth: int) -> None:
        for node in by_parent.get(parent_id, []):
            fields = [node.name, _plain(node.weight)]
            leaf = node.pk not in by_parent
            if leaf or node.description:
                fields.append(_plain(node.max_score) if leaf and node.max_score else "")
            if node.description:
                fields.append(node.description)
            lines.append("  " * depth + " | ".join(fields))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return "\n".join(lines)
