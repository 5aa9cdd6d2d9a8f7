"""Checks every uploaded file passes before Luodi stores it, and where it stores it.

A file is accepted by what it holds, never by its name or the content type the browser sent:
its first bytes must be those of a kind Luodi accepts (PDF, Word/Excel/PowerPoint documents,
PNG/JPEG images, MP4 video), its name's extension must agree with them, and it must fit
``LUODI_UPLOAD_MAX_MB``. Office documents with macros are refused, and an Office Open XML file
(a zip) is judged from its zip directory alone: sizes it would unpack to are summed before
anything is unpacked, so a zip bomb is refused without being opened.

Accepted files are stored under a random folder (``courseware/<32 hex>/<name>``): the name
cannot be guessed, and the media folder is never served; downloads go through views that check
access (``luodi.lib.documents.http.file_attachment``).
"""

import os
import re
import secrets
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from luodi.lib import audit


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # for messages
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a download is named with


PDF = Kind("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = Kind(
    "docx",
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = Kind(
    "xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
PPTX = Kind(
    "pptx",
    "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
# Word 97-2003, Excel 97-2003 and PowerPoint 97-2003 share one container (OLE2); which of them
# a file is does not change how it is served.
OLE2 = Kind("ole2", "Office 97-2003", "application/octet-stream", (".doc", ".xls", ".ppt"))
PNG = Kind("png", "PNG", "image/png", (".png",))
JPEG = Kind("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"))
MP4 = Kind("mp4", "MP4", "video/mp4", (".mp4",))

COURSEWARE_KINDS = (PDF, DOCX, XLSX, PPTX, OLE2, PNG, JPEG, MP4)
OLE2_CONTENT_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}

# The part each Office Open XML kind must have.
OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A VBA project is a storage of this name in an OLE2 file (names are UTF-16 in its directory).
OLE2_VBA = "_VBA_PROJECT".encode("utf-16-le")
# A zip of Office parts unpacks to at most this many times the upload limit, in at most this
# many parts; real documents stay far below both.
MAX_UNZIP_RATIO = 10
MAX_ZIP_MEMBERS = 10_000
CONTENT_TYPES_MAX = 1 << 20


class Refused(ValidationError):
    """A file Luodi does not store, with the reason a person can act on."""


def max_bytes(max_mb: int | None = None) -> int:
    return (max_mb or settings.LUODI_UPLOAD_MAX_MB) * 1024 * 1024


def read_head(file: IO[bytes], n: int = 16) -> bytes:
    file.seek(0)
    head = file.read(n)
    file.seek(0)
    return head


def _zip_kind(file: IO[bytes], limit: int) -> Kind | None:
    """The Office Open XML kind of a zip, from its directory; refuses bombs and macros."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > limit:
                raise Refused(
                    _("The file would unpack to far more than its size; it is refused."),
                    code="zip_bomb",
                )
            names = {m.filename for m in members}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise _macros()
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(CONTENT_TYPES_MAX)
            if b"macroenabled" in content_types.lower():
                raise _macros()
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    return next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in names), None)


def _has_vba(file: IO[bytes]) -> bool:
    """Whether an OLE2 file holds a VBA project, read in chunks that overlap by a name."""
    file.seek(0)
    tail = b""
    try:
        while chunk := file.read(1 << 20):
            if OLE2_VBA in tail + chunk:
                return True
            tail = chunk[-len(OLE2_VBA) :]
        return False
    finally:
        file.seek(0)


def _macros() -> Refused:
    return Refused(
        _(
            "Documents with macros (.docm, .xlsm, .pptm or macros in an older Office file) are "
            "refused: save the document without macros (as .docx, .xlsx or .pptx) and upload "
            "it again."
        ),
        code="macros",
    )


def sniff(file: IO[bytes], *, unzip_limit: int | None = None) -> Kind | None:
    """The kind a file's content shows, or None. Raises ``Refused`` for macros and zip bombs."""
    head = read_head(file)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[4:8] == b"ftyp":
        return MP4
    if head.startswith(OLE2_MAGIC):
        if _has_vba(file):
            raise _macros()
        return OLE2
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file, unzip_limit or MAX_UNZIP_RATIO * max_bytes())
    return None


def _accepted_list(kinds: Collection[Kind]) -> str:
    return ", ".join(ext for kind in kinds for ext in kind.extensions)


def check_upload(
    file: Any,
    *,
    kinds: Collection[Kind] = COURSEWARE_KINDS,
    by: Any = None,
    max_mb: int | None = None,
) -> Kind:
    """The kind of an uploaded file, or ``Refused`` (a ValidationError) saying why not; each
    refusal is audited as ``upload.refused``. ``max_mb`` replaces the general upload limit."""
    name = os.path.basename(getattr(file, "name", "") or "")
    try:
        return _check(file, name, kinds, max_mb)
    except Refused as refusal:
        audit.record("upload.refused", by=by, outcome="refused", filename=name, reason=refusal.code)
        raise


def check_size(file: Any, name: str, *, max_mb: int | None = None) -> None:
    """Refuse an empty file, or one larger than ``max_mb`` (the upload limit by default)."""
    size, limit = file.size, max_bytes(max_mb)
    if size > limit:
        raise Refused(
            _("The file “%(name)s” is %(size)s MB; files may be at most %(limit)s MB.")
            % {"name": name, "size": f"{size / 1048576:.1f}", "limit": limit // 1048576},
            code="too_large",
        )
    if size == 0:
        raise Refused(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")


def _check(file: Any, name: str, kinds: Collection[Kind], max_mb: int | None = None) -> Kind:
    check_size(file, name, max_mb=max_mb)
    extension = os.path.splitext(name)[1].lower()
    if extension in {".docm", ".xlsm", ".pptm", ".dotm", ".xltm", ".potm", ".ppsm"}:
        raise _macros()
    kind = sniff(file, unzip_limit=MAX_UNZIP_RATIO * max_bytes(max_mb))
    if kind is None or kind not in kinds:
        raise Refused(
            _(
                "The file “%(name)s” is not of a kind Luodi accepts. Upload one of: "
                "%(accepted)s (the content is checked, not only the name)."
            )
            % {"name": name, "accepted": _accepted_list(kinds)},
            code="kind",
        )
    if extension not in kind.extensions:
        raise Refused(
            _(
                "The file “%(name)s” holds a %(kind)s file but its name ends in “%(extension)s”. "
                "Name it %(expected)s, or upload the right file."
            )
            % {
                "name": name,
                "kind": kind.label,
                "extension": extension or _("(nothing)"),
                "expected": " / ".join(kind.extensions),
            },
            code="extension",
        )
    return kind


def content_type_of(file: IO[bytes], name: str) -> tuple[str, str]:
    """The content type and extension to serve a stored file with, from its content; files of
    no known kind (stored before checks existed) are served as plain bytes."""
    try:
        kind = sniff(file)
    except Refused:
        kind = None
    extension = os.path.splitext(name)[1].lower()
    if kind is None:
        return "application/octet-stream", extension
    if kind is OLE2:
        ext = extension if extension in kind.extensions else ".doc"
        return OLE2_CONTENT_TYPES[ext], ext
    return kind.content_type, extension if extension in kind.extensions else kind.extensions[0]


@deconstructible
class RandomPath:
    """``upload_to`` that stores each file as ``<folder>/<128 random bits>/<safe name>``."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        base, extension = os.path.splitext(os.path.basename(filename))
        try:
            safe = get_valid_filename(base.lstrip("."))[:60]
        except SuspiciousFileOperation:  # nothing usable left of the name
            safe = "file"
        extension = extension.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", extension) else ""
        return f"{self.folder}/{secrets.token_hex(16)}/{safe}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomPath) and other.folder == self.folder


def validate_courseware(file: Any) -> None:
    """Model-field validator: new uploads only; files stored earlier are left as they are."""
    if getattr(file, "_committed", False):
        return
    check_upload(file)
