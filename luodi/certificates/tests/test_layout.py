"""How a certificate is laid out: long names wrap clear of the QR code and the seal, the
seal sits over the date, and the date follows the college's rule."""

import io
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from weasyprint.formatting_structure.boxes import TextBox

from luodi.certificates import pdf, services
from luodi.certificates.models import Certificate
from luodi.college.models import CertificateDate, CollegeSettings
from luodi.lib.documents.pdf import render

pytestmark = pytest.mark.django_db

LONGEST_CLASS_TYPE = (
    "社区党组织书记暨居民委员会主任基层治理能力提升专题示范培训班" + "全省骨干研修" * 4
)[:50]
LONGEST_NAME = "阿依古丽·买买提艾力·热合曼江·吐尔逊古丽·阿不都热西提江木"  # 30, the most allowed


def _rect(box):
    x, y = box.border_box_x(), box.border_box_y()
    return x, y, x + box.border_width(), y + box.border_height()


def _first(page, cls):
    # absolutely positioned boxes (the QR code, the issuer, the seal) hide behind placeholders
    for box in page._page_box.descendants(placeholders=True):
        element = getattr(box, "element", None)
        if element is not None and cls in (element.get("class") or "").split():
            return box
    raise AssertionError(f"no box of class {cls}")


def _text_rects(box):
    return [
        _rect(b)
        for b in box.descendants(placeholders=True)
        if isinstance(b, TextBox) and b.text.strip()
    ]


def _layout(certificates):
    return render(pdf.certificates_html(certificates))


@pytest.fixture
def certificates(college):
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    return list(Certificate.objects.of_class(college.finished).for_print())


@pytest.fixture
def longest(college, certificates):
    assert len(LONGEST_CLASS_TYPE) == 50
    assert len(LONGEST_NAME) == 30
    college.class_type.name = LONGEST_CLASS_TYPE
    college.class_type.save()
    cadre = certificates[0].enrolment.cadre
    cadre.name = LONGEST_NAME
    cadre.save()
    return Certificate.objects.for_print().get(pk=certificates[0].pk)


@pytest.mark.parametrize("case", ["short", "longest"])
def test_the_text_keeps_clear_of_the_qr_code_the_seal_and_the_edges(case, certificates, longest):
    certificate = longest if case == "longest" else certificates[1]
    (page,) = _layout([certificate]).pages
    inner = _rect(_first(page, "inner"))
    body = _text_rects(_first(page, "salute")) + _text_rects(_first(page, "body"))
    body += _text_rects(_first(page, "thanks"))
    qr = _rect(_first(page, "verify"))
    seal = _rect(_first(page, "seal-area"))
    issuer = _text_rects(_first(page, "issuer"))
    assert body
    assert issuer
    for left, top, right, bottom in body + issuer + [qr]:
        assert inner[0] <= left, (left, right, inner)
        assert right <= inner[2], (left, right, inner)
        assert inner[1] <= top, (top, bottom, inner)
        assert bottom <= inner[3], (top, bottom, inner)
    text_bottom = max(r[3] for r in body)
    assert text_bottom < qr[1], "the text runs into the QR code"
    assert text_bottom < min(r[1] for r in issuer), "the text runs into the college's name"
    assert text_bottom < seal[1], "the text runs into the seal"
    assert qr[2] < seal[0], "the seal covers the QR code"
    # the whole class title and name are printed
    printed = "".join(b.text for b in _first(page, "body").descendants() if isinstance(b, TextBox))
    assert certificate.enrolment.training_class.title in printed


def test_the_seal_is_printed_over_the_date(certificates, college):
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((5, 5, 195, 195), outline=(200, 0, 0, 255), width=12)
    content = io.BytesIO()
    image.save(content, "PNG")
    settings_ = CollegeSettings.load()
    settings_.seal = SimpleUploadedFile("seal.png", content.getvalue(), "image/png")
    settings_.save()
    html = pdf.certificates_html(certificates[:1])
    assert "data:image/png;base64," in html
    (page,) = _layout(certificates[:1]).pages
    seal = _rect(_first(page, "seal-area"))
    date = _text_rects(_first(page, "date"))[0]
    # the date's middle lies inside the seal
    middle_x, middle_y = (date[0] + date[2]) / 2, (date[1] + date[3]) / 2
    assert seal[0] < middle_x < seal[2]
    assert seal[1] < middle_y < seal[3]
    images = subprocess.run(
        ["pdfimages", "-list", "-"],
        input=pdf.render_pdf(certificates[:1]),
        capture_output=True,
        check=False,
    )
    if images.returncode != 0:  # older poppler reads no standard input: use a file
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf.render_pdf(certificates[:1]))
            f.flush()
            images = subprocess.run(["pdfimages", "-list", f.name], capture_output=True)
    assert re.search(rb"\n\s*1\s+0\s+image\s+200\s+200", images.stdout), images.stdout


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", result.stdout.decode())


def test_a_certificate_is_dated_the_last_day_of_the_class_by_default(certificates, college):
    assert college.finished.end_date.isoformat() == "2024-05-08"
    text = pdf_text(pdf.render_pdf(certificates[:1]))
    assert "二〇二四年五月八日" in text


def test_a_college_may_date_certificates_the_day_they_were_issued(certificates):
    college_settings = CollegeSettings.load()
    college_settings.certificate_date = CertificateDate.ISSUED
    college_settings.save()
    certificate = certificates[0]
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=certificate.issued_at.replace(year=2025, month=1, day=15, hour=4)
    )
    certificate = Certificate.objects.for_print().get(pk=certificate.pk)
    text = pdf_text(pdf.render_pdf([certificate]))
    assert "二〇二五年一月十五日" in text
    assert "二〇二四年五月八日" not in text


def test_the_college_name_on_certificates_can_be_set(certificates):
    CollegeSettings(name="大连市社区干部学院").save()
    assert "大连市社区干部学院" in pdf_text(pdf.render_pdf(certificates[:1]))
