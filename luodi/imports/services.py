"""Importing a file: upload, check (a background job), correct the mapping, import (a
background job), each by the acting user and audited. ``import_records`` runs the same
``read_table``/``check``/``commit`` without jobs.

Nothing is written before the commit, and the commit writes everything or nothing: it reads
the stored file again, checks every row again (the records may have changed since the check
staff looked at) and writes only if no row has a problem, in one transaction.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luodi.imports import kinds
from luodi.imports.base import Plan, Progress, glimpse, is_blank
from luodi.imports.models import OUTCOMES_KEPT, PROBLEMS_KEPT, ImportRun, ImportStatus, SavedHeader
from luodi.imports.reading import check_file, read_sheets, stored_kind
from luodi.jobs.kinds import JobError
from luodi.jobs.services import job_start
from luodi.lib import audit
from luodi.lib.office_values import clean_text, header_key
from luodi.lib.uploads import Refused

CHECK_JOB, COMMIT_JOB = "imports.check", "imports.commit"


@dataclass
class Table:
    sheet: str
    rows: list[list[Any]]
    header: int  # 0-based
    mapping: dict[int, str]

    @property
    def headers(self) -> list[str]:
        return [clean_text(c) for c in self.rows[self.header]]


def saved_headers(kind: str) -> dict[str, str]:
    return dict(SavedHeader.objects.filter(kind=kind).values_list("header", "field"))


def read_table(
    kind: kinds.ImportKind,
    file: IO[bytes],
    file_kind,
    *,
    header: int | None = None,
    mapping: dict[int, str] | None = None,
) -> Table:
    """The sheet to import, its header row and mapping: as given, or the first visible sheet
    whose first rows hold a header naming this kind's columns."""
    sheets = read_sheets(file, file_kind)
    saved = saved_headers(kind.name)
    for sheet in sheets:
        if header is not None and mapping is not None:
            return Table(sheet.name, sheet.rows, header, mapping)
        found = kind.detect(sheet.rows, saved)
        if found:
            return Table(sheet.name, sheet.rows, *found)
    raise Refused(
        _(
            "No header row was found: none of the first rows of any sheet names a column of "
            "%(kind)s (such as %(example)s). Download the template to see the headers Luodi reads."
        )
        % {"kind": kind.label, "example": "、".join(c.header for c in kind.columns[:3])},
        code="no_header",
    )


def check(kind: kinds.ImportKind, table: Table, *, options: dict, progress=None) -> Plan:
    return kind.plan(table.rows, table.header, table.mapping, options=options, progress=progress)


def commit(
    kind: kinds.ImportKind, table: Table, *, options: dict, by, progress: Progress | None = None
) -> Plan:
    """Check again and, if no row has a problem, write everything in one transaction. The
    progress bar's first half is the check, its second the writing."""
    report = progress or (lambda done, total: None)

    def checking(done: int, total: int) -> None:
        report(done, 2 * total)

    def writing(done: int, total: int) -> None:
        report(total + done, 2 * total)

    plan = check(kind, table, options=options, progress=checking)
    if plan.problems or not plan.changes_anything:
        return plan
    with transaction.atomic():
        kind.write(plan, options=options, by=by, progress=writing)
    return plan


# -- The pages' import runs -------------------------------------------------------------


def options_of(run: ImportRun) -> dict:
    return {"create_communities": run.create_communities, "training_class": run.training_class}


def import_upload(
    *, kind: str, file: Any, by, create_communities: bool = False, training_class=None
) -> ImportRun:
    """Store an uploaded file as a new import and start checking it; ``Refused`` (a
    ValidationError) says why a file cannot be imported."""
    import_kind = kinds.get(kind)
    if import_kind.needs_class and training_class is None:
        raise ValidationError(_("Choose the class the trainees are enrolled in."))
    check_file(file, by=by)  # what it holds; reading it is the check job's
    file.seek(0)
    run = ImportRun.objects.create(
        kind=kind,
        file=file,
        filename=getattr(file, "name", "")[:200],
        uploaded_by=by,
        training_class=training_class if import_kind.needs_class else None,
        create_communities=create_communities,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    audit.record("import.upload", by=by, obj=run, kind=kind, filename=run.filename)
    _start_check(run, by)
    return run


def import_remap(*, run: ImportRun, mapping: dict[int, str], remember: bool, by) -> ImportRun:
    """Read the columns as staff chose (each field at most once) and check again; with
    ``remember`` the headers they mapped by hand are kept for the next file of this kind."""
    if run.is_busy or run.status == ImportStatus.DONE or not run.file:
        raise ValidationError(_("This import can no longer be changed."))
    kind = kinds.get(run.kind)
    known = {c.field for c in kind.columns}
    chosen = {p: f for p, f in mapping.items() if f}
    if any(f not in known for f in chosen.values()) or any(
        not 0 <= p < len(run.headers) for p in chosen
    ):
        raise ValidationError(_("Choose a field from the list for each column."))
    taken: dict[str, int] = {}
    for position, name in sorted(chosen.items()):
        if name in taken:
            raise ValidationError(
                _("Two columns (%(first)s and %(second)s) are both read as “%(field)s”.")
                % {
                    "first": run.headers[taken[name]] or taken[name] + 1,
                    "second": run.headers[position] or position + 1,
                    "field": kind.column_label(name),
                }
            )
        taken[name] = position
    with transaction.atomic():
        if remember:
            detected = kind.mapping_for(run.headers)
            for position, header in enumerate(run.headers):
                key = header_key(header)
                if key and chosen.get(position) != detected.get(position):
                    SavedHeader.objects.update_or_create(
                        kind=run.kind,
                        header=key[:100],
                        defaults={"field": chosen.get(position, ""), "saved_by": by},
                    )
        run.mapping = {str(p): f for p, f in sorted(chosen.items())}
        run.status = ImportStatus.CHECKING
        run.save(update_fields=["mapping", "status", "updated_at"])
        audit.record("import.remap", by=by, obj=run, mapping=run.mapping, remember=remember)
        _start_check(run, by)
    return run


def import_commit(*, run: ImportRun, by) -> ImportRun:
    """Start importing a checked file with no problems."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if not run.can_import:
            raise ValidationError(
                _("This file cannot be imported: check it first and correct every row.")
            )
        run.status = ImportStatus.IMPORTING
        run.save(update_fields=["status", "updated_at"])
        audit.record("import.start", by=by, obj=run, kind=run.kind)
        job_start(kind=COMMIT_JOB, subject=run, by=by, parameters={"revision": run.revision})
    run.refresh_from_db()
    return run


def _start_check(run: ImportRun, by) -> None:
    run.revision += 1
    run.status = ImportStatus.CHECKING
    run.save(update_fields=["revision", "status", "updated_at"])
    job_start(kind=CHECK_JOB, subject=run, by=by, parameters={"revision": run.revision})


def run_table(run: ImportRun) -> Table:
    """The table of a stored import, read as its mapping says; on the first check, the sheet,
    header row and mapping are found (and kept on the run)."""
    if run.header_row is None:
        with run.file.open("rb") as file:
            table = read_table(kinds.get(run.kind), file, stored_kind(run.filename))
        run.sheet, run.header_row, run.headers = table.sheet, table.header + 1, table.headers
        run.mapping = {str(p): f for p, f in table.mapping.items()}
        run.save(update_fields=["sheet", "header_row", "headers", "mapping", "updated_at"])
        return table
    with run.file.open("rb") as file:
        sheets = read_sheets(file, stored_kind(run.filename))
    rows = next((s.rows for s in sheets if s.name == run.sheet), sheets[0].rows if sheets else [])
    return Table(run.sheet, rows, (run.header_row or 1) - 1, run.columns)


def keep_plan(run: ImportRun, plan: Plan, *, status: str, **fields) -> None:
    """Keep what a check or commit found on the run (the page shows it)."""
    counts = plan.counts()
    # Records a row creates besides its own: communities and streets a roster names, classes
    # of a history file, expertise tags of a teachers' file.
    for name in ("communities", "streets", "classes", "tags"):
        counts[f"new_{name}"] = len(plan.extra.get(name) or ())
    counts["changes"] = (
        counts["create"]
        + counts["update"]
        + sum(counts[f"new_{name}"] for name in ("communities", "streets", "classes", "tags"))
    )
    counts["problems"] = len(plan.problems)
    run.summary = counts
    run.problems = [[p.row, p.column, p.value, p.reason] for p in plan.problems[:PROBLEMS_KEPT]]
    run.outcomes = [
        [o.row, o.key, o.action, o.changes] for o in plan.outcomes if o.action != "unchanged"
    ][:OUTCOMES_KEPT]
    run.status = status
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()


def import_failed(run: ImportRun, error: str) -> None:
    ImportRun.objects.filter(pk=run.pk, revision=run.revision).update(
        status=ImportStatus.FAILED, error=error
    )


def run_check(run: ImportRun, progress: Progress) -> Plan:
    kind = kinds.get(run.kind)
    table = run_table(run)
    plan = check(kind, table, options=options_of(run), progress=progress)
    current = ImportRun.objects.filter(pk=run.pk).values_list("revision", flat=True).first()
    if current == run.revision:
        keep_plan(run, plan, status=ImportStatus.CHECKED)
        run.summary["samples"] = samples(table)
        run.save(update_fields=["summary"])
    return plan


def samples(table: Table, rows: int = 3) -> list[list[str]]:
    """Per column, a glimpse of its first values (never a whole ID or phone number), for the
    page's column list."""
    first = [r for r in table.rows[table.header + 1 :] if not is_blank(r)][:rows]
    return [
        [glimpse(r[position]) for r in first if position < len(r)]
        for position in range(len(table.headers))
    ]


def run_commit(run: ImportRun, progress: Progress, by) -> Plan:
    kind = kinds.get(run.kind)
    try:
        plan = commit(kind, run_table(run), options=options_of(run), by=by, progress=progress)
    except Exception:
        ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.CHECKED)
        raise
    if plan.problems:
        keep_plan(run, plan, status=ImportStatus.CHECKED)
        raise JobError(
            _(
                "Nothing was imported: the records changed since the check and %(n)s rows "
                "now have problems."
            )
            % {"n": plan.counts()["problem_rows"]}
        )
    run.file.delete(save=False)  # it holds whole ID numbers; the run keeps its report
    keep_plan(run, plan, status=ImportStatus.DONE, imported_at=timezone.now())
    return plan


def import_files_purge(*, now=None) -> int:
    """Delete the uploaded files of imports older than the document retention (they hold whole
    ID and phone numbers); their runs stay, with their (masked) reports. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.LUODI_JOB_FILE_RETENTION_HOURS)
    stale = ImportRun.objects.filter(created_at__lt=cutoff).exclude(file="")
    stale = stale.exclude(status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING])
    count = 0
    for run in stale:
        run.file.delete(save=False)
        run.status = ImportStatus.FAILED
        run.error = _(
            "The file was deleted after %(hours)s hours; upload it again to import it."
        ) % {"hours": settings.LUODI_JOB_FILE_RETENTION_HOURS}
        run.save(update_fields=["file", "status", "error", "updated_at"])
        count += 1
    return count
