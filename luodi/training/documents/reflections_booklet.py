"""A class's reflections as a booklet (培训心得汇编) to print: a title page (the class, its
dates), a table of contents, the outstanding reflections (优秀心得) first, then the others by
city and name; each with the trainee's name, community and post."""

from collections.abc import Callable

from django.template.loader import render_to_string

from luodi.lib.documents import pdf
from luodi.lib.documents.text import in_chinese, span_text
from luodi.training.documents.timetable import print_context
from luodi.training.models import TrainingClass
from luodi.training.selectors import booklet_reflections


@in_chinese
def booklet_pdf(
    training_class: TrainingClass, *, progress: Callable[[int, int], None] | None = None
) -> bytes:
    reflections = booklet_reflections(training_class)
    if progress:
        progress(0, len(reflections))
    html = render_to_string(
        "training/print/reflections_booklet.html",
        print_context(
            training_class=training_class,
            dates=span_text(training_class.start_date, training_class.end_date),
            outstanding=[r for r in reflections if r.outstanding],
            others=[r for r in reflections if not r.outstanding],
        ),
    )
    content = pdf.pdf_bytes(html)
    if progress:
        progress(len(reflections), len(reflections))
    return content
