"""Certificates as PDF: what they say, one page each, and the zip of single files."""

import io
import re
import subprocess
import zipfile

import pytest

from luodi.certificates import pdf, services
from luodi.certificates.models import Certificate

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text with all white space removed: spaced titles and wrapped lines join up."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", result.stdout.decode())


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])


@pytest.fixture
def certificates(college):
    services.certificates_issue_for_class(training_class=college.finished, by=None)
    return list(Certificate.objects.of_class(college.finished).for_print())


def test_it_prints_the_certificate_in_chinese(certificates, college, tmp_path):
    certificate = certificates[0]
    content = pdf.render_pdf([certificate])
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "结业证书" in text
    assert certificate.enrolment.cadre.name + "同志" in text
    assert certificate.serial in text
    assert college.finished.title in text
    assert "于2024年5月6日至5月8日参加" in text
    assert "共计9学时" in text
    assert "考核合格，准予结业" in text
    assert "辽宁社区干部学院" in text
    assert pdf_pages(content, tmp_path) == 1


def test_the_qr_code_points_to_the_public_verification_page(certificates, settings):
    settings.LUODI_PUBLIC_URL = "https://px.example.edu.cn/"
    certificate = certificates[0]
    url = f"https://px.example.edu.cn/verify/{certificate.serial}/"
    assert certificate.get_public_url() == url
    html = pdf.certificates_html([certificate])
    assert pdf.qr_data_uri(url) in html
    assert "http" not in html.replace(pdf.qr_data_uri(url), "")  # nothing else to fetch


def test_a_class_prints_as_one_document_with_a_page_per_certificate(certificates, tmp_path):
    content = pdf.render_pdf(certificates)
    assert pdf_pages(content, tmp_path) == len(certificates) == 4
    text = pdf_text(content)
    assert text.count("结业证书") == 4
    for c in certificates:
        assert c.serial in text
        assert c.enrolment.cadre.name in text


def test_a_long_class_name_stays_on_one_page(certificates, college, tmp_path):
    # as long as the field allows (50 characters)
    long_name = "社区党组织书记暨居民委员会主任基层治理能力提升专题示范培训班" + "全省骨干研修" * 4
    college.class_type.name = long_name[:50]
    college.class_type.save()
    content = pdf.render_pdf(list(Certificate.objects.for_print()))
    assert pdf_pages(content, tmp_path) == len(certificates)


def test_the_zip_holds_one_pdf_per_certificate_named_by_serial_and_holder(certificates):
    with pdf.render_zip(certificates) as out, zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(
            f"{c.serial}_{c.enrolment.cadre.name}.pdf" for c in certificates
        )
        for c in certificates:
            content = archive.read(f"{c.serial}_{c.enrolment.cadre.name}.pdf")
            text = pdf_text(content)
            assert c.serial in text
            assert c.enrolment.cadre.name in text
            assert text.count("结业证书") == 1


def test_zip_entry_names_are_safe_file_names(certificates):
    cadre = certificates[0].enrolment.cadre
    cadre.name = "../张/三"
    assert pdf.zip_entry_name(certificates[0]) == f"{certificates[0].serial}_..张三.pdf"


def test_a_revoked_certificate_is_printed_marked_as_revoked(certificates):
    services.certificate_revoke(certificate=certificates[0], by=None, reason="信息有误")
    certificate = Certificate.objects.for_print().get(pk=certificates[0].pk)
    # the stamp is rotated, so its characters come out of the text in any order
    assert {"撤", "销"} <= set(pdf_text(pdf.render_pdf([certificate])))
    assert not {"撤", "销"} & set(pdf_text(pdf.render_pdf([certificates[1]])))


def test_it_refuses_to_print_nothing():
    with pytest.raises(ValueError, match="No certificate"):
        pdf.render_pdf([])


def test_the_zip_can_be_read_back_whole(certificates):
    out = pdf.render_zip(certificates)
    data = out.read()
    out.close()
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
