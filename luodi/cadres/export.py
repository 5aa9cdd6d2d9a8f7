"""The cadre list as an xlsx workbook: the rows of the list page with its filters, numbers
masked as the page shows them. Thousands of rows, so it is built by a background job
(``cadres.jobs``) that reports progress as it goes."""

from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from luodi.cadres.models import Cadre
from luodi.lib.documents import xlsx
from luodi.lib.documents.text import in_chinese

# A cadre as every list export shows them (numbers masked); the roster adds its own columns.
CADRE_HEADERS = ("姓名", "性别", "身份证号", "手机号", "地市", "社区", "职务")
CADRE_WIDTHS = (10, 6, 21, 14, 10, 24, 16)
HEADERS = ("序号", *CADRE_HEADERS)
WIDTHS = (7, *CADRE_WIDTHS)
# Progress is written every so many rows: often enough for the bar, rarely enough to be cheap.
PROGRESS_EVERY = 500


def cadre_cells(cadre: Cadre) -> tuple:
    """The ``CADRE_HEADERS`` columns of one cadre (community and city loaded)."""
    return (
        cadre.name,
        cadre.get_gender_display(),
        cadre.masked_id_number,
        cadre.masked_phone,
        cadre.community.city.name,
        cadre.community.name,
        cadre.get_post_display(),
    )


@in_chinese
def cadre_list_xlsx(
    cadres: Iterable[Cadre],
    *,
    total: int,
    subtitle: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """One row per cadre of ``cadres`` (already scoped to the user and filtered), in order.

    A write-only sheet keeps memory flat however long the list is; its cells are still
    neutralised, so a name never becomes a formula."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("社区干部名单")
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.append([xlsx.neutralise(f"社区干部名单（共{total}人）{subtitle}")])
    ws.append(list(HEADERS))
    ws.freeze_panes = "A3"
    done = 0
    for done, cadre in enumerate(cadres, start=1):
        ws.append([xlsx.neutralise(v) for v in (done, *cadre_cells(cadre))])
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress:
        progress(done, total)
    return xlsx.workbook_bytes(workbook)
