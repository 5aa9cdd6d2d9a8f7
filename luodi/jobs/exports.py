"""List exports: every list page exports what it shows to xlsx — its filter and the user's scope.

An app declares each of its lists once, as a ``ListExport`` in its ``lists.py``: the filters it
reads from the query string, ``rows(user, filters, obj)`` (the one reading of the list, which
the page itself uses, so that the page and its export can never disagree) and its columns
(``lib.documents.tables``). The export view of a list declares its access as every view does,
then calls ``export``; the list page shows the button with ``{% list_export "name" obj %}``.

Where the workbook is made, by one rule: a list bounded by one class (its roster, attendance,
leave requests, certificates: at most a few hundred rows) or by the college's own catalogue
(classes, courses, teachers, communities: a few thousand rows at most) is built in the request
and downloaded at once (GET); a list of people across the province (the cadres: tens of
thousands) is a background job (``background=True``, POST), whose progress and download show
on the list page (``{% document_jobs request.user %}``).

Personal columns (ID numbers, phone numbers) are masked as the pages mask them. A user who
holds ``Perm.VIEW_FULL_ID`` may ask for them in full (``full=1``): such a workbook is on record
as ``personal.export_full`` when it is made, beside the ``personal.export`` every list export
leaves when it is downloaded.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_stubs_ext import StrOrPromise

from luodi.accounts.access import Perm, has_perm
from luodi.jobs.kinds import Document, JobKind, register
from luodi.jobs.services import job_start
from luodi.lib import audit
from luodi.lib.documents import tables
from luodi.lib.documents.http import attachment
from luodi.lib.documents.text import in_chinese
from luodi.lib.documents.xlsx import XLSX
from luodi.lib.params import parse_text

FULL = "full"  # the query-string key asking for personal columns in full


@dataclass(frozen=True)
class ListExport:
    name: str  # "regions.community-list-xlsx": the audit's ``what``, a background job's kind
    title: Callable[[Any], str]  # the workbook's title (and file name), from the list's object
    columns: Sequence[tables.Column]
    # The list's rows for a user, the filters and the list's object (a class, or None).
    rows: Callable[[Any, dict[str, str], Any], Any]
    url_name: str  # the export's URL: takes the object's pk if the list has one
    page_name: str  # the list page, where a background export comes back to
    perms: tuple[Perm, ...]  # as the export view's ``requires``: checked again at download
    filters: tuple[str, ...] = ()
    # The filters (and the list's object) said in Chinese, for the workbook's second line.
    describe: Callable[[dict[str, str], Any], str] | None = None
    model: type[models.Model] | None = None  # the list's object, if it has one
    # An object rule (user, obj) -> bool, checked again when a job's file is downloaded.
    rule: Callable[[Any, Any], bool] | None = None
    background: bool = False
    label: Any = ""  # a background job's label on the page (a lazy translation)
    # The list's extra columns (counts, sums), annotated on ``rows``: a page computes them
    # for its own rows only (``lib.paging.with_extras``), a workbook for all of them.
    extras: Callable[[models.QuerySet], models.QuerySet] | None = None

    @property
    def has_personal_columns(self) -> bool:
        return any(c.is_personal for c in self.columns)

    def filters_from(self, query: Mapping) -> dict[str, str]:
        """The list's filters as the page reads them from its query string."""
        return {k: parse_text(query.get(k)) for k in self.filters}

    def url(self, obj=None) -> str:
        return reverse(self.url_name, args=[obj.pk] if obj is not None else [])

    def page_url(self, obj=None) -> str:
        return reverse(self.page_name, args=[obj.pk] if obj is not None else [])


_lists: dict[str, ListExport] = {}


def register_list(spec: ListExport) -> ListExport:
    _lists[spec.name] = spec
    if spec.background:
        register(
            JobKind(
                name=spec.name,
                label=spec.label,
                build=partial(_build_job, spec),
                may_use=partial(_may_use, spec),
            )
        )
    return spec


def get(name: str) -> ListExport:
    return _lists[name]


def said(**parts: StrOrPromise) -> str:
    """Filters in words for a workbook's second line: ``地市：大连市　职务：社区书记``."""
    return "　".join(f"{label}：{value}" for label, value in parts.items() if value)


def may_export_full(user, spec: ListExport) -> bool:
    return spec.has_personal_columns and has_perm(user, Perm.VIEW_FULL_ID)


def _subtitle(spec: ListExport, filters: dict[str, str], obj, total: int) -> str:
    described = spec.describe(filters, obj) if spec.describe else ""
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return "　".join([described or "全部", f"共{total}条", f"导出时间：{now}"])


@in_chinese
def workbook(
    spec: ListExport, *, user, filters: dict[str, str], obj=None, full: bool = False, progress=None
) -> tuple[bytes, int]:
    """The list's workbook for ``user`` and its row count: the rows of the page, every one of
    them (no paging). A full workbook is on record as it is made."""
    records = spec.rows(user, filters, obj)
    if spec.extras is not None:
        records = spec.extras(records)
    if isinstance(records, models.QuerySet):
        total = records.count()
        records = records.iterator(chunk_size=1000)
    else:
        records = list(records)
        total = len(records)
    if progress:
        progress(0, total)
    content = tables.table_xlsx(
        title=spec.title(obj),
        subtitle=_subtitle(spec, filters, obj, total),
        columns=spec.columns,
        records=records,
        full=full,
        total=total,
        progress=progress,
    )
    if full:
        audit.record(
            "personal.export_full",
            by=user,
            obj=obj,
            what=spec.name,
            rows=total,
            fields="id_number,phone",
            **filters,
        )
    return content, total


def _wants_full(request, spec: ListExport) -> bool:
    query = request.POST if request.method == "POST" else request.GET
    if query.get(FULL) != "1":
        return False
    if not may_export_full(request.user, spec):
        raise PermissionDenied
    return True


def export(request, spec: ListExport, obj=None):
    """Answer a list's export URL: the workbook at once, or a queued job and back to the list.
    The view has checked the permission and the object rule, as for the page."""
    if spec.background:
        return require_POST(_queue)(request, spec, obj)
    return require_GET(_download)(request, spec, obj)


def _download(request, spec: ListExport, obj):
    filters = spec.filters_from(request.GET)
    full = _wants_full(request, spec)
    content, total = workbook(spec, user=request.user, filters=filters, obj=obj, full=full)
    audit.record(
        "personal.export",
        by=request.user,
        obj=obj,
        what=spec.name,
        rows=total,
        full=full,
        **filters,
    )
    title = spec.title(obj)
    return attachment(
        content,
        filename=f"{title}.xlsx",
        fallback=f"{spec.name.replace('.', '-')}.xlsx",
        content_type=XLSX,
    )


def _queue(request, spec: ListExport, obj):
    filters = spec.filters_from(request.POST)
    parameters = {**filters, **({FULL: "1"} if _wants_full(request, spec) else {})}
    job_start(kind=spec.name, subject=obj or request.user, by=request.user, parameters=parameters)
    query = urlencode({k: v for k, v in filters.items() if v})
    return redirect(spec.page_url(obj) + (f"?{query}" if query else ""))


def _object_of(spec: ListExport, job):
    if spec.model is None:
        return None
    label, pk = job.subject_parts
    model = apps.get_model(label)
    return model._default_manager.get(pk=pk)


def _build_job(spec: ListExport, job, progress) -> Document:
    obj = _object_of(spec, job)
    filters = {k: parse_text(job.parameters.get(k)) for k in spec.filters}
    user = job.requested_by
    # The permission is asked again: it may have been withdrawn since the job was queued.
    full = job.parameters.get(FULL) == "1" and may_export_full(user, spec)
    content, _total = workbook(
        spec, user=user, filters=filters, obj=obj, full=full, progress=progress
    )
    return Document(content=content, filename=f"{spec.title(obj)}.xlsx", content_type=XLSX)


def _may_use(spec: ListExport, user, job) -> bool:
    """Whoever may still use the list (and, for a full workbook, see full numbers); the rows
    were those of the user who asked."""
    if not any(has_perm(user, p) for p in spec.perms):
        return False
    if job.parameters.get(FULL) == "1" and not may_export_full(user, spec):
        return False
    return spec.rule is None or spec.rule(user, _object_of(spec, job))
