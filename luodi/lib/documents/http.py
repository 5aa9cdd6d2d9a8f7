"""Download responses for documents that may hold personal data."""

from typing import IO, TypeVar
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase

from luodi.lib import uploads

Response = TypeVar("Response", bound=HttpResponseBase)


def private(response: Response) -> Response:
    """Keep a document with personal data out of shared caches and the browser's cache."""
    response["Cache-Control"] = "private, no-store"
    return response


def content_disposition(filename: str, fallback: str) -> str:
    """Name a download in Chinese for browsers that read RFC 6266's ``filename*``, and in plain
    ASCII (``fallback``) for those that do not."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment(content: bytes, *, filename: str, fallback: str, content_type: str) -> HttpResponse:
    """A document made in memory, as a private download."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return private(response)


def file_attachment(file, *, filename: str, fallback: str, content_type: str) -> FileResponse:
    """An open file (a stored document, a temporary file) streamed as a private download;
    the response closes it."""
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    private(response)
    return response


def open_upload(field) -> tuple[IO[bytes], str, str]:
    """An uploaded file (a ``FileField``'s value) opened for a download: the open file, the
    content type and extension of what it holds (never its name's say). 404 if there is none
    or it is gone from the storage."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    content_type, extension = uploads.content_type_of(handle, field.name)
    return handle, content_type, extension
