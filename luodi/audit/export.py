"""The audit log as an xlsx workbook (what an administrator filtered in the admin)."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from luodi.audit.models import AuditEvent
from luodi.lib.documents import xlsx

# A workbook larger than this is not useful to read; narrow the filters instead.
MAX_ROWS = 50_000


def events_xlsx(events: Iterable[AuditEvent], *, description: str) -> bytes:
    """One row per event, newest first; every value neutralised (no text becomes a formula)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Audit log")
    headers = [
        _("Time"),
        _("User"),
        _("IP address"),
        _("Event"),
        _("Outcome"),
        _("Object type"),
        _("Object ID"),
        _("Object"),
        _("Details"),
    ]
    xlsx.title(ws, _("Audit log"), len(headers), subtitle=description)
    header_row = xlsx.append_row(ws, headers, header=True)
    tz = timezone.get_current_timezone()
    for event in events:
        details = "; ".join(f"{k}={v}" for k, v in sorted(event.details.items()))
        xlsx.append_row(
            ws,
            [
                timezone.localtime(event.at, tz).strftime("%Y-%m-%d %H:%M:%S"),
                event.username,
                event.ip,
                event.event,
                event.outcome,
                event.object_type,
                event.object_id,
                event.object_repr,
                details,
            ],
        )
    xlsx.set_widths(ws, [20, 16, 16, 24, 10, 22, 10, 28, 50])
    xlsx.print_setup(ws, header_row=header_row)
    return xlsx.workbook_bytes(wb)
