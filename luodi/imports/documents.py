"""An import's two workbooks: the template staff fill in, and the report of a check or import."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from luodi.imports.base import Plan
from luodi.imports.kinds import ImportKind
from luodi.lib.documents import xlsx


def template_xlsx(kind: ImportKind) -> bytes:
    """Chinese headers and an example row on the first sheet, every column explained on a
    second; every column is text, so Excel keeps an ID number's 18 digits."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)[:31]
    header, example = kind.template_rows()
    xlsx.append_row(sheet, header, header=True)
    xlsx.append_row(sheet, example)
    xlsx.set_widths(
        sheet,
        [
            max(10.0, xlsx.text_width(h) + 4, xlsx.text_width(e) + 2)
            for h, e in zip(header, example, strict=True)
        ],
    )
    for column in range(1, len(header) + 1):
        for row in range(2, 1002):
            sheet.cell(row, column).number_format = "@"
    xlsx.print_setup(sheet, header_row=1)
    notes = workbook.create_sheet(_("Notes"))
    xlsx.append_row(
        notes, [_("Column"), _("Required"), _("Also read under"), _("Notes")], header=True
    )
    for c in kind.columns:
        explained = [
            c.header,
            _("yes") if c.required else "",
            "、".join(c.headers[1:]),
            str(c.note),
        ]
        xlsx.append_row(notes, explained)
    xlsx.set_widths(notes, [16, 8, 40, 60])
    xlsx.fit_all_rows(notes)
    xlsx.print_setup(notes, header_row=1)
    return xlsx.workbook_bytes(workbook)


def report_xlsx(kind: ImportKind, plan: Plan, *, title: str) -> bytes:
    """Every problem (row, column, value, reason) and what each row did or would do."""
    workbook = Workbook()
    problems = workbook.active
    problems.title = _("Problems")
    xlsx.title(problems, title, 4)
    header = xlsx.append_row(
        problems, [_("Row"), _("Column"), _("Value"), _("Reason")], header=True
    )
    for p in plan.problems:
        xlsx.append_row(problems, [p.row, p.column, p.value, p.reason])
    xlsx.set_widths(problems, [8, 16, 30, 60])
    xlsx.print_setup(problems, header_row=header)
    rows = workbook.create_sheet(_("Rows"))
    header = xlsx.append_row(
        rows, [_("Row"), str(kind.key_label), _("Action"), _("Changed")], header=True
    )
    actions = {"create": _("new"), "update": _("updated"), "unchanged": _("unchanged")}
    for o in plan.outcomes:
        labels = "、".join(kind.column_label(c) for c in o.changes)
        xlsx.append_row(rows, [o.row, o.key, actions[o.action], labels])
    xlsx.set_widths(rows, [8, 24, 10, 50])
    xlsx.print_setup(rows, header_row=header)
    return xlsx.workbook_bytes(workbook)
