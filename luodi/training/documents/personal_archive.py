"""A cadre's personal training archive (一人一档) as a PDF to print: their details with the ID
and phone numbers masked, every class with its hours and result, the certificates, and the
hours of each year against the post's annual target. The page's own reading
(``selectors.personal_archive``) fills it, so the PDF and the page never disagree."""

from django.template.loader import render_to_string

from luodi.lib.documents import pdf
from luodi.lib.documents.text import in_chinese, span_text
from luodi.training.documents.timetable import print_context
from luodi.training.selectors import Archive


@in_chinese
def personal_archive_pdf(archive: Archive) -> bytes:
    classes = [
        {
            "enrolment": e,
            "dates": span_text(e.training_class.start_date, e.training_class.end_date),
            "certificate": e.certificate,
        }
        for e in archive.enrolments
    ]
    html = render_to_string(
        "training/print/personal_archive.html",
        print_context(archive=archive, cadre=archive.cadre, classes=classes),
    )
    return pdf.pdf_bytes(html)
