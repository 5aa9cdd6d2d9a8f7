"""Certificates of completion as PDF: one certificate, a whole class in one file, or a zip.

All the certificates of a batch are laid out in ONE WeasyPrint document, one A4 landscape page
each: fonts are loaded, styles parsed and glyphs subset once, not once per certificate. The
zip's single PDFs are pages of that same document written one by one.
"""

import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.utils import timezone

from luodi.certificates.models import Certificate
from luodi.training.exports import college_name, hours_text, pdf_from_html, span_text

_DIGITS = "〇一二三四五六七八九"
# Characters that file systems or zip tools refuse in a file name.
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def chinese_date(d) -> str:
    """``2024-05-08`` → ``二〇二四年五月八日``, as dates are written on certificates."""

    def number(n: int) -> str:
        tens, ones = divmod(n, 10)
        if not tens:
            return _DIGITS[ones]
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")

    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{number(d.month)}月{number(d.day)}日"


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
    issued_on: str
    qr: str
    revoked: bool


def page_of(certificate: Certificate) -> CertificatePage:
    """What one certificate prints. Needs ``Certificate.objects.for_print()``."""
    enrolment = certificate.enrolment
    tc = enrolment.training_class
    return CertificatePage(
        serial=certificate.serial,
        name=enrolment.cadre.name,
        class_title=tc.title,
        dates=span_text(tc.start_date, tc.end_date),
        hours=hours_text(certificate.hours),
        issued_on=chinese_date(timezone.localdate(certificate.issued_at)),
        qr=qr_data_uri(certificate.get_public_url()),
        revoked=certificate.is_revoked,
    )


def certificates_html(certificates: Sequence[Certificate]) -> str:
    pages = [page_of(c) for c in certificates]
    return render_to_string(
        "certificates/print/certificates.html", {"pages": pages, "college_name": college_name()}
    )


def _document(certificates: Sequence[Certificate]):
    if not certificates:
        raise ValueError("No certificate to print.")
    document = pdf_from_html(certificates_html(certificates)).render()
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


def render_zip(certificates: Sequence[Certificate]):
    """A zip with one PDF per certificate, named ``<serial>_<name>.pdf``.

    Returns an open temporary file positioned at its start (in memory while small, on disk
    beyond 32 MB); the caller closes it, e.g. by handing it to a ``FileResponse``.
    """
    document = _document(certificates)
    # Handed to the caller open; closed here only if writing it fails.
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    try:
        # PDFs are compressed already: storing them is as small as deflating, and faster.
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            for certificate, page in zip(certificates, document.pages, strict=True):
                archive.writestr(zip_entry_name(certificate), document.copy([page]).write_pdf())
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
