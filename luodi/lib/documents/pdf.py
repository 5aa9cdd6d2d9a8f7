"""HTML to PDF with WeasyPrint, offline.

Templates name the CJK fonts by family ("Noto Serif CJK SC", "Noto Sans CJK SC") and set
``lang="zh-CN"``; fontconfig finds them on the machine. Documents load nothing but ``data:``
URIs (QR codes, the seal image are inlined), so nothing in them — a name, a course title — can
make the server fetch a URL or read a file.
"""

import base64
import mimetypes
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import HTML

PDF = "application/pdf"

# WeasyPrint is imported when a document is made, not when Django starts: it takes about a
# second to import, which every management command and worker start would otherwise pay.


def html_document(html: str) -> "HTML":
    """A WeasyPrint document that may load ``data:`` URIs only."""
    from weasyprint import HTML, URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))


def render(html: str):
    """Lay out ``html`` once: a WeasyPrint ``Document`` whose pages can be written together or
    one by one. One font configuration per layout, so fonts are loaded once per document."""
    from weasyprint.text.fonts import FontConfiguration

    return html_document(html).render(font_config=FontConfiguration())


def pdf_bytes(html: str) -> bytes:
    return render(html).write_pdf()


def data_uri(content: bytes, *, filename: str = "", content_type: str = "") -> str:
    """Inline an image (a seal, a logo) so that the document needs nothing from outside."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"
