"""Certificates of completion as PDF: one certificate, a whole class in one file, or a zip.

A batch is laid out ONCE, as one WeasyPrint document with one A4 landscape page per
certificate: fonts are loaded, styles parsed and glyphs subset once, not once per certificate.
The zip's single PDFs are the pages of that one PDF, split without laying anything out again
(each carries the batch's font subset, so it costs a copy, not a render).
"""

import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from luodi.certificates.models import Certificate
from luodi.college.models import CertificateDate, CollegeSettings
from luodi.jobs.kinds import Progress
from luodi.lib.documents import pdf
from luodi.lib.documents.text import chinese_date, hours_text, span_text

# Characters that file systems or zip tools refuse in a file name.
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# Past these many characters of name and class title, the text is set smaller so that it
# keeps clear of the QR code and the seal (the longest class type name is 50 characters,
# the longest name 30).
_LONG_TEXT, _VERY_LONG_TEXT = 48, 72


def qr_data_uri(url: str) -> str:
    """The QR code as an inline SVG: printed sharp at any size, and nothing to fetch."""
    return segno.make(url, error="m").svg_data_uri(border=0, dark="#1a1a1a")


@dataclass
class CertificatePage:
    serial: str
    name: str
    class_title: str
    dates: str
    hours: str
    body: str  # the college's wording, filled in
    dated: str
    qr: str
    revoked: bool

    @property
    def size(self) -> str:
        """``""``, ``"long"`` or ``"very-long"``: how small the text is set."""
        length = len(self.name) + len(self.class_title)
        if length > _VERY_LONG_TEXT:
            return "very-long"
        return "long" if length > _LONG_TEXT else ""


def certificate_date(certificate: Certificate, college: CollegeSettings):
    """The date a certificate carries: the class's last day, or the day it was issued, as the
    college chose."""
    if college.certificate_date == CertificateDate.ISSUED:
        return timezone.localdate(certificate.issued_at)
    return certificate.enrolment.training_class.end_date


def page_of(certificate: Certificate, college: CollegeSettings) -> CertificatePage:
    """What one certificate prints. Needs ``Certificate.objects.for_print()``."""
    enrolment = certificate.enrolment
    tc = enrolment.training_class
    return CertificatePage(
        serial=certificate.serial,
        name=enrolment.cadre.name,
        class_title=tc.title,
        dates=span_text(tc.start_date, tc.end_date),
        hours=hours_text(certificate.hours),
        body=college.wording(
            dates=span_text(tc.start_date, tc.end_date),
            class_title=tc.title,
            hours=hours_text(certificate.hours),
        ),
        dated=chinese_date(certificate_date(certificate, college)),
        qr=qr_data_uri(certificate.get_public_url()),
        revoked=certificate.is_revoked,
    )


def certificates_html(certificates: Sequence[Certificate]) -> str:
    college = CollegeSettings.load()
    seal = college.seal_bytes()
    context = {
        "pages": [page_of(c, college) for c in certificates],
        "college_name": college.printed_name,
        "seal": pdf.data_uri(seal, filename=college.seal.name) if seal else "",
    }
    return render_to_string("certificates/print/certificates.html", context)


def _document(certificates: Sequence[Certificate]):
    if not certificates:
        raise ValueError("No certificate to print.")
    document = pdf.render(certificates_html(certificates))
    # Each certificate is a fixed-size page that clips what does not fit, so this holds; the
    # zip pairs pages with certificates and must never pair them wrongly.
    if len(document.pages) != len(certificates):
        raise RuntimeError(
            f"{len(certificates)} certificates were laid out on {len(document.pages)} pages."
        )
    return document


def render_pdf(certificates: Sequence[Certificate]) -> bytes:
    """One PDF, one page per certificate, in the order given."""
    return _document(certificates).write_pdf()


def zip_entry_name(certificate: Certificate) -> str:
    name = _UNSAFE_IN_FILENAME.sub("", certificate.enrolment.cadre.name).strip() or "certificate"
    return f"{certificate.serial}_{name}.pdf"


def single_pages(content: bytes):
    """Split a PDF into one-page PDFs, in order, without laying anything out again."""
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        yield out.getvalue()


def render_zip(certificates: Sequence[Certificate], *, progress: Progress | None = None):
    """A zip with one PDF per certificate, named ``<serial>_<name>.pdf``.

    Returns an open temporary file positioned at its start (in memory while small, on disk
    beyond 32 MB); the caller closes it. ``progress(done, total)`` is called as files are
    added, the layout counting as the first half of the work.
    """
    total = len(certificates)
    content = render_pdf(certificates)
    if progress:
        progress(total // 2, total)
    # Handed to the caller open; closed here only if writing it fails.
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    try:
        # PDFs are compressed already: storing them is as small as deflating, and faster.
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            pages = single_pages(content)
            for n, (certificate, page) in enumerate(zip(certificates, pages, strict=True), 1):
                archive.writestr(zip_entry_name(certificate), page)
                if progress and n % 20 == 0:
                    progress(total // 2 + n // 2, total)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
